package org.stackledger.commerce;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;

/**
 * One usage record as a deployment reports it: the sum of a closed reported hour's events for one
 * local subscription, meter, resource, location and usage hour. Ids are kept lower-case (GUIDs and
 * CloudIds) or in the meter catalogue's spelling, so equal records have equal keys.
 */
public record UsageRecord(String cloudId, Instant reportedHour, Instant usageStart, Instant usageEnd,
    String subscriptionId, String tenantId, String meterId, String resourceUri, String location, BigDecimal quantity) {

  /** The UTC hour the usage happened in: what attribution and pricing look at. */
  public Instant usageHour() {
    return usageStart.truncatedTo(ChronoUnit.HOURS);
  }

  /**
   * The look-up key of a deployment's local subscription in one usage hour (what the explanation asks
   * for), indexed instead of the three columns it stands for: the usage hour since the epoch in the
   * high bits, 24 bits of a SHA-256 digest of CloudId and subscription below. Time first keeps the
   * index's inserts at its end — a digest alone would scatter them over every page of the index,
   * which the embedded store rewrites on each commit.
   */
  public static long originKey(String cloudId, String subscriptionId, Instant usageHour) {
    byte[] d = sha256(cloudId + "\n" + subscriptionId);
    long low = ((d[0] & 0xFFL) << 16) | ((d[1] & 0xFFL) << 8) | (d[2] & 0xFFL);
    return (usageHour.getEpochSecond() / 3600) << 24 | low;
  }

  public long originKey() {
    return originKey(cloudId, subscriptionId, usageHour());
  }

  private static byte[] sha256(String text) {
    return digest().digest(text.getBytes(StandardCharsets.UTF_8));
  }

  private static final java.time.format.DateTimeFormatter HOUR =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(java.time.ZoneOffset.UTC);

  /**
   * The record's identity in 32 characters: its reported hour ({@code yyyyMMddHH}), then 88 bits of a
   * SHA-256 digest of the fields that make a record the same record, whichever upload or file carries
   * it. The quantity is not part of it: the same identity with another quantity is a conflict, not a
   * second record. The hour first keeps the unique index's inserts together (a batch is one hour's),
   * where a digest alone would touch every page of the index on every commit.
   */
  public String key() {
    return new Keys().of(this);
  }

  /**
   * Makes the keys of many records (a batch), as {@link #key()} does, formatting each distinct hour once
   * and reusing one digest: a batch holds thousands of records of a few hours.
   */
  static final class Keys {
    private final Map<Instant, String> text = new HashMap<>();
    private final Map<Instant, String> prefix = new HashMap<>();
    private final MessageDigest sha = digest();

    String of(UsageRecord r) {
      // The digest of the fields joined by newlines, fed part by part: the same bytes, no joined copy.
      String[] parts = {r.cloudId, text.computeIfAbsent(r.reportedHour, Instant::toString), r.subscriptionId,
          r.meterId.toUpperCase(Locale.ROOT), r.resourceUri, r.location.toLowerCase(Locale.ROOT),
          text.computeIfAbsent(r.usageHour(), Instant::toString)};
      for (int i = 0; i < parts.length; i++) {
        if (i > 0) {
          sha.update((byte) '\n');
        }
        sha.update(parts[i].getBytes(StandardCharsets.UTF_8));
      }
      byte[] d = sha.digest();
      return prefix.computeIfAbsent(r.reportedHour, HOUR::format) + HexFormat.of().formatHex(d, 0, 11);
    }
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
