package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * {@code stackledger bench query} on a small store: its latencies on stdout, and its progress — the store
 * filled, then the timed calls — on stderr, apart from them.
 */
class BenchQueryCommandTest {
  @Test
  void aSmallRunPrintsBothLatenciesOnStdoutAndItsProgressOnStderr() {
    CliRun run = CliRun.run("bench", "query", "--events", "2400", "--subscriptions", "2", "--days", "1", "--queries",
        "5");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("2,400 raw events over 1 days (2 subscriptions, 100 an hour)")
        .containsPattern("tenant query \\(.*\\): p50 [0-9.]+ ms.* over 5 calls")
        .containsPattern("provider query \\(.*\\): p50 [0-9.]+ ms.* over 5 calls");
    assertThat(run.err()).contains("bench query done (timing the provider query: call 5 of 5 (after 10 warm-up))");
    assertThat(run.out()).doesNotContain("bench query done").doesNotContain("timing the");
  }
}
