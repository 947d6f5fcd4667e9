package org.stackledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.cli.CliRun;

/**
 * {@code stackledger bench startup} on a small history: the deployment restarts on a filled store, its
 * usage API answers, and the batch it took before the restart, sent again, is all duplicates — the
 * idempotency window was read back from the keys' table before the batch was decided.
 */
@Tag("slow")
class BenchStartupCommandTest {
  @Test
  void aRestartedDeploymentServesAndCountsTheBatchItTookBeforeAsDuplicates() {
    CliRun run = CliRun.run("bench", "startup", "--events", "20000", "--days", "3", "--batch", "500");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).contains("engine H2", "20,000 events filled over 3 days")
        .containsPattern("restart with 20,500 events stored: started in [0-9.]+ s, provider usage API answered at "
            + "[0-9.]+ s, the batch taken before the restart sent again at [0-9.]+ s: every event a duplicate, none "
            + "accepted; 20,500 events in the idempotency window");
    assertThat(run.err()).contains("bench startup done");
  }
}
