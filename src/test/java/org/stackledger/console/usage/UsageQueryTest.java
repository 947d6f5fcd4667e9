package org.stackledger.console.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A usage question cut into stretches read side by side: together exactly the range, in order. */
class UsageQueryTest {
  @Test
  void aMonthDailyIsEightStretchesThatMeetEndToEnd() {
    LocalDate from = LocalDate.of(2026, 11, 1);
    LocalDate to = LocalDate.of(2026, 12, 1);
    List<UsageQuery> stretches = new UsageQuery(from, to, "Daily").stretches();
    assertThat(stretches).hasSize(8);
    assertCovers(stretches, from, to);
    assertThat(stretches).allSatisfy(s -> assertThat(s.granularity()).isEqualTo("Daily"));
    assertThat(stretches.get(7).from()).isEqualTo(LocalDate.of(2026, 11, 29));
  }

  @Test
  void hourlyStretchesAreTwoDaysAndAShortRangeIsOne() {
    LocalDate from = LocalDate.of(2026, 11, 1);
    List<UsageQuery> hourly = new UsageQuery(from, from.plusDays(5), "Hourly").stretches();
    assertThat(hourly).extracting(UsageQuery::from).containsExactly(from, from.plusDays(2), from.plusDays(4));
    assertCovers(hourly, from, from.plusDays(5));
    assertThat(new UsageQuery(from, from.plusDays(1), "Daily").stretches())
        .containsExactly(new UsageQuery(from, from.plusDays(1), "Daily"));
  }

  private static void assertCovers(List<UsageQuery> stretches, LocalDate from, LocalDate to) {
    assertThat(stretches.get(0).from()).isEqualTo(from);
    assertThat(stretches.get(stretches.size() - 1).to()).isEqualTo(to);
    for (int i = 1; i < stretches.size(); i++) {
      assertThat(stretches.get(i).from()).isEqualTo(stretches.get(i - 1).to());
    }
  }
}
