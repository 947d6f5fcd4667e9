package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code stackledger bench commerce} on a small load: it builds its CSP world, runs both paths and
 * prints one table line a path and round, the medians, and a store holding every record once — some
 * billed to customer subscriptions, the rest to the registration.
 */
@Tag("slow")
class BenchCommerceCommandTest {
  @Test
  void aSmallRunPrintsItsTableAndStoresEveryRecordOnce() {
    CliRun run = CliRun.run("bench", "commerce", "--records", "20000", "--rounds", "1", "--customers", "9");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("9 customers: 3 mapped all month (1 of them replaced at day 20), 3 from day 10 "
        + "(1 of them removed at day 25), 3 never mapped");
    assertThat(run.out()).containsPattern("(?m)^ +1  in-process +20,000 +[0-9.]+ +[0-9,]+$");
    assertThat(run.out()).containsPattern("(?m)^ +1  HTTPS +20,000 +[0-9.]+ +[0-9,]+$");
    assertThat(run.out()).containsPattern("median in-process: +[0-9,]+ records/s, +[0-9.]+ s per 1,000,000 records");
    assertThat(run.out()).containsPattern("median HTTPS: +[0-9,]+ records/s");
    // Two warm-ups of 5,000 and a round of 20,000, on each path.
    assertThat(run.out()).containsPattern("stored: ([0-9,]+) records by CustomerSubscription to [0-9]+ billing "
        + "subscriptions; ([0-9,]+) records by RegistrationDefault to 1 billing subscriptions");
    String stored = run.out().lines().filter(l -> l.startsWith("stored: ")).findFirst().orElseThrow();
    long total = java.util.regex.Pattern.compile("([0-9,]+) records").matcher(stored).results()
        .mapToLong(m -> Long.parseLong(m.group(1).replace(",", ""))).sum();
    assertThat(total).isEqualTo(2 * (5_000 + 20_000));
    // Progress on stderr, the run's last stage with all its records kept; none of it among the results.
    assertThat(run.err()).containsPattern("(?m)^bench commerce done \\(round 1 of 1, HTTPS: 50,000 of 50,000 records\\)$");
    assertThat(run.out()).doesNotContain("bench commerce done").doesNotContain("of 50,000 records");
  }
}
