package org.stackledger.commerce;

import java.math.BigDecimal;

/**
 * A usage record with what arrival decided about it: who pays and why, and at what price. The
 * invoice month is where it is billed ({@code null} when it is never billed); {@code adjustment} marks
 * a record of an already finalized month put on a later invoice.
 */
record RatedRecord(UsageRecord usage, RecordStore.Key key, Attribution.Attributed attributed, BillingModel model,
    String commerceMeterId, String currency, BigDecimal unitPrice, int unitDivisor, String usageMonth,
    String invoiceMonth, boolean adjustment) {

  RatedRecord billedOn(String month, boolean late) {
    return new RatedRecord(usage, key, attributed, model, commerceMeterId, currency, unitPrice, unitDivisor, usageMonth,
        month, late);
  }
}
