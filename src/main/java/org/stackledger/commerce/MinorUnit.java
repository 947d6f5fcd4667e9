package org.stackledger.commerce;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * A currency's minor unit: the scale every amount in that currency is written with — two decimals
 * for USD, none for JPY — in JSON and CSV alike. The store keeps amounts in {@code DECIMAL(38,6)}
 * columns, which hand them back with six decimals; whatever reads an amount back puts it at its
 * currency's scale here. Amounts were rounded once when they were made, so this never rounds.
 */
final class MinorUnit {
  private MinorUnit() {}

  /** The digits after the decimal point of the currency's minor unit. */
  static int digits(String currency) {
    return Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
  }

  /**
   * An amount at its currency's scale ({@code 44.100000} becomes {@code 44.10}).
   *
   * @throws ArithmeticException if the amount has digits below the minor unit: it was never rounded
   */
  static BigDecimal of(BigDecimal amount, String currency) {
    return amount.setScale(digits(currency), RoundingMode.UNNECESSARY);
  }

  /** Nothing, written at the currency's scale ({@code 0.00}). */
  static BigDecimal zero(String currency) {
    return BigDecimal.ZERO.setScale(digits(currency));
  }
}
