package org.stackledger.commerce;

import java.math.BigDecimal;
import java.util.Comparator;

/**
 * What makes records one invoice line, in the order an invoice lists its lines: current usage before
 * adjustments, then by usage month, deployment, local subscription, meter and price. The price is
 * compared by value, whatever its scale.
 */
record LineKey(boolean adjustment, String usageMonth, String cloudId, String localSubscriptionId, String meterId,
    BigDecimal unitPrice, String tenantId, String commerceMeterId, int unitDivisor) implements Comparable<LineKey> {
  private static final Comparator<LineKey> ORDER = Comparator.comparing(LineKey::adjustment)
      .thenComparing(LineKey::usageMonth).thenComparing(LineKey::cloudId).thenComparing(LineKey::localSubscriptionId)
      .thenComparing(LineKey::meterId).thenComparing(LineKey::unitPrice).thenComparing(LineKey::tenantId)
      .thenComparing(LineKey::commerceMeterId).thenComparingInt(LineKey::unitDivisor);

  static LineKey of(StoredRecord r) {
    UsageRecord u = r.usage();
    return new LineKey(r.adjustment(), r.usageMonth(), u.cloudId(), u.subscriptionId(), u.meterId(),
        r.unitPrice().stripTrailingZeros(), u.tenantId(), r.commerceMeterId(), r.unitDivisor());
  }

  static LineKey of(Invoice.Line l) {
    return new LineKey(l.adjustment(), l.usageMonth(), l.cloudId(), l.localSubscriptionId(), l.meterId(),
        l.unitPrice().stripTrailingZeros(), l.tenantId(), l.commerceMeterId(), l.unitDivisor());
  }

  @Override
  public int compareTo(LineKey other) {
    return ORDER.compare(this, other);
  }
}
