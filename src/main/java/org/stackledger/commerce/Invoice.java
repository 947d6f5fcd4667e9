package org.stackledger.commerce;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * One billing subscription's invoice for one calendar month (UTC). A {@code Draft} is computed from
 * the records on it whenever it is read; a {@code Final} one from the lines frozen when it was
 * finalized.
 */
public record Invoice(String billingSubscriptionId, String month, String currency, State state, Instant createdAt,
    Instant finalizedAt, String finalizedBy, List<Line> lines, BigDecimal total) {

  public enum State { Draft, Final }

  /**
   * One line: the usage of one local subscription of one deployment on one meter at one price; an
   * adjustment line holds usage of an earlier, already final month ({@code usageMonth}). The amount is
   * {@code quantity × unitPrice ÷ unitDivisor}, rounded once, half-even, to the currency's minor unit.
   */
  public record Line(int number, String cloudId, String localSubscriptionId, String tenantId, String meterId,
      String commerceMeterId, String usageMonth, boolean adjustment, BigDecimal quantity, BigDecimal unitPrice,
      int unitDivisor, BigDecimal amount, Instant usageFrom, Instant usageTo, long records) {}
}
