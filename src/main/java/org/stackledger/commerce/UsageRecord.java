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
   * Makes the keys of many records (a batch) in binary, the digest of {@link #key()} without its text:
   * each distinct hour's text made once, one digest reused. A batch holds thousands of records of a
   * few hours, and formatting the key as text to parse it back was a fifth of the key's cost.
   */
  static final class Keys {
    private final Map<Instant, byte[]> text = new HashMap<>();
    private final MessageDigest sha = digest();
    private String cloudId;
    private byte[] cloudIdBytes;

    /** The record's key as text, as {@link #key()} writes it. */
    String of(UsageRecord r) {
      return HOUR.format(r.reportedHour) + HexFormat.of().formatHex(binary(r).digest());
    }

    /** The record's key in binary: what commerce compares and stores. */
    RecordStore.Key binary(UsageRecord r) {
      // The digest of the fields joined by newlines, fed part by part: the same bytes, no joined copy.
      if (!r.cloudId.equals(cloudId)) {
        cloudId = r.cloudId;
        cloudIdBytes = r.cloudId.getBytes(StandardCharsets.UTF_8);
      }
      sha.update(cloudIdBytes);
      sha.update((byte) '\n');
      sha.update(text.computeIfAbsent(r.reportedHour, Keys::utf8));
      part(subscription.of(r.subscriptionId));
      part(meter.of(r.meterId));
      part(r.resourceUri.getBytes(StandardCharsets.UTF_8));
      part(location.of(r.location));
      sha.update((byte) '\n');
      sha.update(text.computeIfAbsent(r.usageHour(), Keys::utf8));
      int hour = (int) Math.floorDiv(r.reportedHour.getEpochSecond(), 3600L);
      return RecordStore.Key.of(hour, sha.digest(), 0);
    }

    private final Part subscription = new Part(s -> s);
    private final Part meter = new Part(s -> s.toUpperCase(Locale.ROOT));
    private final Part location = new Part(s -> s.toLowerCase(Locale.ROOT));

    private void part(byte[] bytes) {
      sha.update((byte) '\n');
      sha.update(bytes);
    }

    /** A field's bytes in the digest, kept for the next record, which mostly has the same. */
    private static final class Part {
      private final java.util.function.UnaryOperator<String> spelling;
      private String last;
      private byte[] bytes;

      Part(java.util.function.UnaryOperator<String> spelling) {
        this.spelling = spelling;
      }

      byte[] of(String text) {
        if (!text.equals(last)) {
          last = text;
          bytes = spelling.apply(text).getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
      }
    }

    private static byte[] utf8(Instant t) {
      return t.toString().getBytes(StandardCharsets.UTF_8);
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
