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
   * The record's identity as 32 hex digits: a SHA-256 digest (first 128 bits) of the fields that make
   * a record the same record, whichever upload or file carries it. The quantity is not part of it: the
   * same identity with another quantity is a conflict, not a second record.
   */
  public String key() {
    String identity = String.join("\n", cloudId, reportedHour.toString(), subscriptionId,
        meterId.toUpperCase(Locale.ROOT), resourceUri, location.toLowerCase(Locale.ROOT), usageHour().toString());
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
