package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/** The one rounding of a charge: exact product, then half-even to the currency's minor unit. */
class ChargebackTest {

  @Test
  void aChargeIsTheExactProductRoundedOnceHalfEven() {
    // 10.05 × 1.5 = 15.075: half-even keeps the even neighbour, 15.08; 10.15 × 1.5 = 15.225 → 15.22.
    assertThat(Chargeback.charge(new BigDecimal("10.05"), new BigDecimal("50"), "USD")).isEqualByComparingTo("15.08");
    assertThat(Chargeback.charge(new BigDecimal("10.15"), new BigDecimal("50"), "USD")).isEqualByComparingTo("15.22");
    // 300.00 × 1.003333 = 300.9999, rounded once at the end.
    assertThat(Chargeback.charge(new BigDecimal("300.00"), new BigDecimal("0.3333"), "USD"))
        .isEqualByComparingTo("301.00");
    assertThat(Chargeback.charge(new BigDecimal("1000"), new BigDecimal("12.5"), "JPY")).isEqualByComparingTo("1125");
    assertThat(Chargeback.charge(new BigDecimal("80.00"), new BigDecimal("-100"), "USD")).isEqualByComparingTo("0");
    assertThat(Chargeback.charge(new BigDecimal("80.00"), BigDecimal.ZERO, "USD").scale()).isEqualTo(2);
  }

  @Test
  void aPercentIsWrittenPlainNeverInExponentForm() {
    assertThat(Chargeback.plain(new BigDecimal("100.0000")).toString()).isEqualTo("100");
    assertThat(Chargeback.plain(new BigDecimal("12.5000")).toString()).isEqualTo("12.5");
  }
}
