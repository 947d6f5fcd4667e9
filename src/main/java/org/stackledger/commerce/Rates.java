package org.stackledger.commerce;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;

/**
 * The prices rating reads: a view of the price sheet in one currency, taken once per batch so a
 * batch is rated against one consistent sheet. The composition root adapts the price sheet to it.
 */
public interface Rates {
  /** The currency every price of this view is in (ISO 4217). */
  String currency();

  /** The price in force for a meter at an instant, or empty when the sheet has none. */
  Optional<Rate> at(String meterId, Instant at);

  /** A meter's price: per {@code unitDivisor} units of the meter, under the commerce meter id. */
  record Rate(String commerceMeterId, BigDecimal unitPrice, int unitDivisor) {}
}
