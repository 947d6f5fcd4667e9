package org.stackledger.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A line's amount: quantity × unit price ÷ divisor, rounded once, half-even, to the currency's minor unit. */
class PriceTest {
  private static final Instant FROM = Instant.parse("2017-01-01T00:00:00Z");

  private static Price price(String currency, String unitPrice, int divisor) {
    return new Price("FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5", "c", "Base VM Size Hours", currency,
        new BigDecimal(unitPrice), "vCPU hour", divisor, FROM);
  }

  private static BigDecimal amount(Price p, String quantity) {
    return p.lineAmount(new BigDecimal(quantity));
  }

  @Test
  void halfAHundredthRoundsToTheEvenCent() {
    Price one = price("USD", "1", 1);
    assertThat(amount(one, "0.125")).isEqualTo(new BigDecimal("0.12"));
    assertThat(amount(one, "0.135")).isEqualTo(new BigDecimal("0.14"));
    assertThat(amount(one, "0.005")).isEqualTo(new BigDecimal("0.00"));
    assertThat(amount(one, "0.015")).isEqualTo(new BigDecimal("0.02"));
    // Just above half rounds up whatever the digit: only an exact half goes to the even neighbour.
    assertThat(amount(one, "0.1250000000000000001")).isEqualTo(new BigDecimal("0.13"));
  }

  @Test
  void anAmountAlwaysHasTheCurrencysMinorUnitAsScale() {
    assertThat(amount(price("USD", "0", 1), "12345.678")).isEqualTo(new BigDecimal("0.00"));
    assertThat(amount(price("USD", "0.008", 1), "1")).isEqualTo(new BigDecimal("0.01"));
    assertThat(amount(price("BHD", "1", 1), "0.0005")).isEqualTo(new BigDecimal("0.000"));
    assertThat(amount(price("BHD", "1", 1), "0.0015")).isEqualTo(new BigDecimal("0.002"));
  }

  @Test
  void theDivisorTurnsGigabyteHoursIntoGigabyteMonthsBeforeTheOneRounding() {
    Price blob = price("USD", "0.006", 730);
    // 100 GB for a 730-hour month: 60 cents.
    assertThat(amount(blob, "73000")).isEqualTo(new BigDecimal("0.60"));
    // Exactly half a cent, twice: 1825 GB × hours is 0.005, 5475 is 0.015.
    assertThat(amount(price("USD", "0.002", 730), "1825")).isEqualTo(new BigDecimal("0.00"));
    assertThat(amount(price("USD", "0.002", 730), "5475")).isEqualTo(new BigDecimal("0.02"));
    // A month of 10 GB hour by hour: 7300 GB × hours is 6 cents; rounding each hour's share first
    // (0.00008219… → 0.00) would bill nothing at all.
    assertThat(amount(blob, "7300")).isEqualTo(new BigDecimal("0.06"));
    BigDecimal hourByHour = BigDecimal.ZERO;
    for (int h = 0; h < 730; h++) {
      hourByHour = hourByHour.add(amount(blob, "10"));
    }
    assertThat(hourByHour).isEqualByComparingTo("0");
    // A quotient that does not terminate (1/730 of the price) is rounded once, at the cent.
    assertThat(amount(blob, "1000")).isEqualTo(new BigDecimal("0.01"));
    assertThat(amount(price("USD", "0.018", 730), "123456.789")).isEqualTo(new BigDecimal("3.04"));
  }

  @Test
  void largeQuantitiesKeepEveryDigit() {
    assertThat(amount(price("USD", "0.046", 1), "1000000000000")).isEqualTo(new BigDecimal("46000000000.00"));
    // 123456789012.123456789 × 0.008 = 987654312.096987654312
    assertThat(amount(price("USD", "0.008", 1), "123456789012.123456789")).isEqualTo(new BigDecimal("987654312.10"));
    assertThat(amount(price("USD", "0.000000000000000001", 1), "5000000000000000")).isEqualTo(new BigDecimal("0.00"));
    assertThat(amount(price("USD", "0.000000000000000001", 1), "15000000000000000")).isEqualTo(new BigDecimal("0.02"));
  }

  @Test
  void yenHasNoMinorUnit() {
    Price yen = price("JPY", "1.5", 1);
    assertThat(amount(yen, "1")).isEqualTo(new BigDecimal("2"));
    assertThat(amount(price("JPY", "1", 1), "2.5")).isEqualTo(new BigDecimal("2"));
    assertThat(amount(price("JPY", "1", 1), "3.5")).isEqualTo(new BigDecimal("4"));
    assertThat(amount(price("JPY", "0.9", 730), "1000")).isEqualTo(new BigDecimal("1"));
    assertThat(amount(yen, "1").scale()).isZero();
  }

  @Test
  void aPriceIsKeptWithoutTrailingZerosSoEqualPricesAreEqual() {
    assertThat(price("USD", "0.0080", 1)).isEqualTo(price("USD", "0.008", 1));
    assertThat(price("USD", "100", 1).unitPrice().toString()).isEqualTo("100");
    assertThat(price("USD", "0.000", 1).unitPrice().toString()).isEqualTo("0");
  }

  @Test
  void aNegativePriceOrADivisorBelowOneIsNoPrice() {
    assertThatThrownBy(() -> price("USD", "-0.01", 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> price("USD", "0.01", 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
