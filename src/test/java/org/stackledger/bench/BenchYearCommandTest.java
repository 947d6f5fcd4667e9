package org.stackledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.cli.CliRun;

/**
 * {@code stackledger bench year} over a month of two tenants: the month's line holds every event
 * sent, a store of some size, and each payer's invoice finalized; the restart finds the re-sent batch
 * all duplicates. Slow: the month goes through the intake, the bridge and commerce hour by hour.
 */
@Tag("slow")
class BenchYearCommandTest {
  private static final Pattern MONTH = Pattern.compile(
      "(?m)^(2026-01) +([0-9,]+) +([0-9,]+) +([0-9,]+) +([0-9,]+) +([0-9]+) +[0-9.]+ +[0-9.]+ +[0-9.]+$");

  @Test
  void aMonthOfTwoTenantsHoldsEveryEventSentAndFinalizesEachPayersInvoice() {
    // One month: the bridge and commerce take each hour in its own upload, so a month costs ~20 s here.
    CliRun run = CliRun.run("bench", "year", "--tenants", "2", "--months", "1");
    assertThat(run.code()).as(run.err()).isZero();
    Matcher m = MONTH.matcher(run.out());
    List<long[]> months = new java.util.ArrayList<>();
    while (m.find()) {
      months.add(new long[] {number(m.group(2)), number(m.group(3)), number(m.group(4)), number(m.group(5)),
          number(m.group(6))});
    }
    assertThat(months).as(run.out()).hasSize(1);
    for (long[] month : months) {
      assertThat(month[1]).as("events held equal events sent").isEqualTo(month[0]);
      assertThat(month[2]).as("bytes on disk").isPositive();
      assertThat(month[3]).as("bytes an event").isEqualTo(month[2] / month[1]);
      // Two customers' CSP subscriptions; the partner's own subscription pays for nothing when all are mapped.
      assertThat(month[4]).as("invoices finalized").isEqualTo(2);
    }
    assertThat(run.out()).contains("usage_batches", "(beyond the tables)", "(segment files)")
        .containsPattern("before the first event: [0-9,]+ bytes on disk")
        .containsPattern("month 1 vs 1 x month 1: [0-9,]+ / [0-9,]+ bytes = 1.000")
        .containsPattern("the same beyond the empty store's [0-9,]+ bytes: [0-9,]+ / [0-9,]+ bytes = 1.000")
        .containsPattern("restart: serving in [0-9.]+ s; the last hour's [0-9,]+ events re-sent in process answered "
            + "in [0-9.]+ s from the start: 0 accepted, [1-9][0-9]* duplicates");
    assertThat(run.err()).contains("bench year done");
  }

  private static long number(String s) {
    return Long.parseLong(s.replace(",", ""));
  }
}
