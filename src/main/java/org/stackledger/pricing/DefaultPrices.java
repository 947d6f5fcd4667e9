package org.stackledger.pricing;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.stackledger.meters.Meter;

/**
 * The price sheet a new cloud plane starts with: the pay-as-you-use prices published at release
 * (spec §7, USD, in force from 2017), zero for the deployment's own admin meters and for every meter
 * the spec gives no price; the operator changes any of them by import.
 */
final class DefaultPrices {
  static final String CURRENCY = "USD";
  static final Instant EFFECTIVE_FROM = Instant.parse("2017-01-01T00:00:00Z");
  /** Hours in a billing month as Azure counts them: 730 GB × hours make a GB-month. */
  static final int HOURS_PER_MONTH = 730;
  private static final String VCPU_HOUR = "vCPU hour";
  private static final String GB_MONTH = "GB-month";

  private record Rate(String price, String unit, int divisor) {}

  /** By upper-case meter id; the ids are the spec's, which never change. */
  private static final Map<String, Rate> PUBLISHED = Map.of(
      "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5", new Rate("0.008", VCPU_HOUR, 1), // Base VM Size Hours
      "9CD92D4C-BAFD-4492-B278-BEDC2DE8232A", new Rate("0.046", VCPU_HOUR, 1), // Windows VM Size Hours
      "09F8879E-87E9-4305-A572-4B7BE209F857", new Rate("0.006", GB_MONTH, HOURS_PER_MONTH), // BlockBlobCapacity
      "B5C15376-6C94-4FDD-B655-1A69D138ACA3", new Rate("0.006", GB_MONTH, HOURS_PER_MONTH), // PageBlobCapacity
      "B4438D5D-453B-4EE1-B42A-DC72E377F1E4", new Rate("0.018", GB_MONTH, HOURS_PER_MONTH), // TableCapacity
      "B03C6AE7-B080-4BFA-84A3-22C800F315C6", new Rate("0.018", GB_MONTH, HOURS_PER_MONTH), // QueueCapacity
      "190C935E-9ADA-48FF-9AB8-56EA1CF9ADAA", new Rate("0.056", VCPU_HOUR, 1)); // App Service

  private DefaultPrices() {}

  /** The default entry of a meter. */
  static Price of(Meter meter) {
    Rate rate = meter.kind() == Meter.Kind.ADMIN ? null : PUBLISHED.get(meter.id().toUpperCase(Locale.ROOT));
    return new Price(meter.id(), commerceMeterId(meter.id()), meter.name(), CURRENCY,
        rate == null ? BigDecimal.ZERO : new BigDecimal(rate.price()), rate == null ? meter.unit() : rate.unit(),
        rate == null ? 1 : rate.divisor(), EFFECTIVE_FROM);
  }

  /**
   * A meter's commerce id unless the operator imports another: local meter ids are mapped to
   * different commerce ids on upload (spec §4.2), and Microsoft's mapping is not published, so ours
   * is a name-based UUID of the id — the same on every cloud plane, whatever the id's case.
   */
  static String commerceMeterId(String meterId) {
    return UUID.nameUUIDFromBytes(("stackledger-commerce:" + meterId.toUpperCase(Locale.ROOT))
        .getBytes(StandardCharsets.UTF_8)).toString();
  }
}
