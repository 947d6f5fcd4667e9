package org.stackledger.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Currency;
import java.util.Objects;

/**
 * One entry of the price sheet: from {@code effectiveFrom} on, one {@code pricingUnit} of the meter
 * costs {@code unitPrice} in {@code currency}, and {@code unitDivisor} meter units make one pricing
 * unit (730 GB × hours make a GB-month). {@code meterId} is the catalogue's spelling;
 * {@code commerceMeterId} is the id the meter is billed under on the cloud plane (local meter ids are
 * mapped to different commerce ids on upload, spec §4.2).
 *
 * <p>{@code unitPrice} is kept without trailing zeros, so two prices equal in value are equal records.
 */
public record Price(String meterId, String commerceMeterId, String meterName, String currency, BigDecimal unitPrice,
    String pricingUnit, int unitDivisor, Instant effectiveFrom) {

  public Price {
    Objects.requireNonNull(meterId, "meterId");
    Objects.requireNonNull(commerceMeterId, "commerceMeterId");
    Objects.requireNonNull(meterName, "meterName");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(unitPrice, "unitPrice");
    Objects.requireNonNull(pricingUnit, "pricingUnit");
    Objects.requireNonNull(effectiveFrom, "effectiveFrom");
    if (unitPrice.signum() < 0) {
      throw new IllegalArgumentException("a unit price is never negative: " + unitPrice);
    }
    if (unitDivisor < 1) {
      throw new IllegalArgumentException("the unit divisor is at least 1: " + unitDivisor);
    }
    unitPrice = plain(unitPrice);
  }

  /**
   * What {@code totalQuantity} meter units cost: quantity × unit price ÷ divisor, rounded once,
   * half-even, to the currency's minor unit (cents for USD, none for JPY). The product is exact and
   * the division goes straight to the target scale, so there is exactly one rounding: rounding the
   * quantity, the price per meter unit or an hourly share first would let a month's line drift from
   * the sum it stands for (invariant 7).
   */
  public BigDecimal lineAmount(BigDecimal totalQuantity) {
    return totalQuantity.multiply(unitPrice)
        .divide(BigDecimal.valueOf(unitDivisor), minorDigits(currency), RoundingMode.HALF_EVEN);
  }

  /** The digits after the decimal point of the currency's minor unit. */
  static int minorDigits(String currency) {
    return Currency.getInstance(currency).getDefaultFractionDigits();
  }

  /** The value without trailing zeros, never with a negative scale (100, not 1E+2). */
  static BigDecimal plain(BigDecimal value) {
    BigDecimal stripped = value.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}
