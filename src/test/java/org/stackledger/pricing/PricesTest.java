package org.stackledger.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.stackledger.meters.MeterCatalogue;

/** The in-memory view rating asks: the entry in force at an instant, by binary search, any case of the id. */
class PricesTest {
  private static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";
  private static final String DISK = "380874f9-300c-48e0-95a0-d2d9a21ade8f";

  private static Price entry(String meter, String unitPrice, String from) {
    return new Price(meter, "c", "n", "EUR", new BigDecimal(unitPrice), "u", 1, Instant.parse(from));
  }

  @Test
  void theEntryInForceIsTheLatestNotAfterTheInstant() {
    List<Price> entries = new ArrayList<>(List.of(entry(BASE_VM, "0.009", "2026-10-15T12:00:00Z"),
        entry(BASE_VM, "0.007", "2026-10-01T00:00:00Z"), entry(BASE_VM, "0.011", "2026-11-01T00:00:00Z"),
        entry(DISK, "1.5", "2026-10-20T00:00:00Z")));
    Prices prices = new Prices("EUR", MeterCatalogue.standard(), entries);
    assertThat(prices.currency()).isEqualTo("EUR");
    assertThat(prices.at(BASE_VM, Instant.parse("2026-09-30T23:59:59.999999Z"))).isEmpty();
    assertThat(price(prices, BASE_VM, "2026-10-01T00:00:00Z")).isEqualTo("0.007");
    assertThat(price(prices, BASE_VM, "2026-10-15T11:59:59.999999Z")).isEqualTo("0.007");
    assertThat(price(prices, BASE_VM, "2026-10-15T12:00:00Z")).isEqualTo("0.009");
    assertThat(price(prices, BASE_VM, "2026-10-31T23:59:59Z")).isEqualTo("0.009");
    assertThat(price(prices, BASE_VM, "2099-01-01T00:00:00Z")).isEqualTo("0.011");
    assertThat(price(prices, DISK.toUpperCase(), "2026-10-21T00:00:00Z")).isEqualTo("1.5");
    assertThat(price(prices, BASE_VM.toLowerCase(), "2026-10-21T00:00:00Z")).isEqualTo("0.009");
    assertThat(prices.at("not-a-meter", Instant.EPOCH)).isEmpty();
    assertThat(prices.at(null, Instant.EPOCH)).isEmpty();
    assertThat(prices.at("B4438D5D-453B-4EE1-B42A-DC72E377F1E4", Instant.parse("2026-10-21T00:00:00Z")))
        .as("a meter without entries in this currency").isEmpty();
  }

  @Test
  void anAnswerIsMadeOnceNotPerCall() {
    Prices prices = new Prices("EUR", MeterCatalogue.standard(), List.of(entry(BASE_VM, "0.007", "2026-10-01T00:00:00Z")));
    Optional<Price> first = prices.at(BASE_VM, Instant.parse("2026-10-02T00:00:00Z"));
    assertThat(prices.at(BASE_VM.toLowerCase(), Instant.parse("2026-10-03T00:00:00Z"))).isSameAs(first);
  }

  @Test
  void aMillionLookUpsAllocateNothing() {
    List<Price> entries = new ArrayList<>();
    for (int month = 1; month <= 12; month++) {
      entries.add(entry(BASE_VM, "0.00" + month, String.format("2026-%02d-01T00:00:00Z", month)));
    }
    Prices prices = new Prices("EUR", MeterCatalogue.standard(), entries);
    String[] meters = {BASE_VM, BASE_VM.toLowerCase(), DISK, "unknown"};
    Instant[] instants = new Instant[64];
    for (int i = 0; i < instants.length; i++) {
      instants[i] = Instant.parse("2025-12-01T00:00:00Z").plusSeconds(i * 86_400L * 6);
    }
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long found = 0;
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 1_000_000; i++) {
      if (prices.at(meters[i & 3], instants[i & 63]).isPresent()) {
        found++;
      }
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(found).isPositive();
    assertThat(allocated).as("bytes allocated by a million look-ups").isLessThan(100_000);
  }

  @Test
  void binarySearchAgreesWithALinearScanOnSeededHistories() {
    long seed = new SplittableRandom().nextLong();
    SplittableRandom random = new SplittableRandom(seed);
    for (int round = 0; round < 200; round++) {
      List<Price> entries = new ArrayList<>();
      int n = random.nextInt(1, 40);
      long base = Instant.parse("2020-01-01T00:00:00Z").getEpochSecond();
      for (int i = 0; i < n; i++) {
        long at = base + random.nextLong(0, 100_000) * 60;
        if (entries.stream().noneMatch(p -> p.effectiveFrom().getEpochSecond() == at)) {
          entries.add(new Price(BASE_VM, "c", "n", "EUR", BigDecimal.valueOf(i), "u", 1, Instant.ofEpochSecond(at)));
        }
      }
      Collections.shuffle(entries, new java.util.Random(random.nextLong()));
      Prices prices = new Prices("EUR", MeterCatalogue.standard(), entries);
      for (int q = 0; q < 50; q++) {
        Instant t = Instant.ofEpochSecond(base + random.nextLong(-1000, 100_001) * 60);
        Optional<Price> expected = entries.stream().filter(p -> !p.effectiveFrom().isAfter(t))
            .max(java.util.Comparator.comparing(Price::effectiveFrom));
        assertThat(prices.at(BASE_VM, t)).as("seed %s, round %s, at %s", seed, round, t).isEqualTo(expected);
      }
    }
  }

  @Test
  void aSnapshotHoldsOneCurrency() {
    Price usd = new Price(BASE_VM, "c", "n", "USD", BigDecimal.ONE, "u", 1, Instant.EPOCH);
    assertThatThrownBy(() -> new Prices("EUR", MeterCatalogue.standard(), List.of(usd)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String price(Prices prices, String meter, String at) {
    return prices.at(meter, Instant.parse(at)).orElseThrow().unitPrice().toPlainString();
  }
}
