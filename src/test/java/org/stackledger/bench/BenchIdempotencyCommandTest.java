package org.stackledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.stackledger.cli.CliRun;

/**
 * {@code stackledger bench idempotency} on a small history: the window holds a fraction of the events
 * the whole history does, both figures on stdout, the progress apart on stderr.
 */
class BenchIdempotencyCommandTest {
  @Test
  void aSmallRunPrintsTheBoundedAndTheWholeHistorysMemoryAndRestart() {
    CliRun run = CliRun.run("bench", "idempotency", "--events", "50000", "--days", "50", "--window", "P7D", "--batch",
        "1000", "--unbounded");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("50,000 events reported over 50 days", "fill: 50,000 keys in 50 batches")
        .containsPattern("restart \\(bounded, window PT168H\\): [0-9,]+ events in memory, index read back in [0-9.]+ s")
        .containsPattern("restart \\(whole history .*\\): 50,000 events in memory");
    long bounded = Long.parseLong(run.out().replaceAll("(?s).*window PT168H\\): ([0-9,]+) events.*", "$1")
        .replace(",", ""));
    // Seven days, the margins and the day in progress, of fifty: a fifth of the history at most.
    assertThat(bounded).isBetween(7_000L, 10_000L);
    assertThat(run.err()).contains("bench idempotency done");
    assertThat(run.out()).doesNotContain("filling the log");
  }
}
