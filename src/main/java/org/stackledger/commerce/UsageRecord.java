package org.stackledger.commerce;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;

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
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
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
    String identity = String.join("\n", cloudId, reportedHour.toString(), subscriptionId,
        meterId.toUpperCase(Locale.ROOT), resourceUri, location.toLowerCase(Locale.ROOT), usageHour().toString());
    return HOUR.format(reportedHour) + HexFormat.of().formatHex(sha256(identity), 0, 11);
  }
}
