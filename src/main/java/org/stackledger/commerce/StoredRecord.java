package org.stackledger.commerce;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A usage record as commerce keeps it: the record, who pays for it and why, and its price. What
 * {@link RatedRecord} decided on arrival, flattened to what is stored ({@code mappedFrom} is the start
 * of the mapping that attributed it, {@code null} for {@link Attribution.Rule#RegistrationDefault};
 * {@code invoiceMonth} is {@code null} for records that are never billed).
 */
record StoredRecord(UsageRecord usage, String registrationId, String billingSubscriptionId, Attribution.Rule rule,
    Instant mappedFrom, String billingModel, String commerceMeterId, String currency, BigDecimal unitPrice,
    int unitDivisor, String usageMonth, String invoiceMonth, boolean adjustment) {

  static StoredRecord of(RatedRecord r) {
    Attribution.Attributed a = r.attributed();
    return new StoredRecord(r.usage(), a.registrationId(), a.billingSubscriptionId(), a.rule(),
        a.mapping() == null ? null : a.mapping().effectiveFrom(), r.model().name(), r.commerceMeterId(), r.currency(),
        r.unitPrice(), r.unitDivisor(), r.usageMonth(), r.invoiceMonth(), r.adjustment());
  }
}
