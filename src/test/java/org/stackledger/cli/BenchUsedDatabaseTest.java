package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stackledger bench … --db URL} on a database an earlier benchmark used: refused up front in one
 * line, where it once failed half-way with a stack trace ("Application … was not found in the directory").
 */
class BenchUsedDatabaseTest {
  @TempDir
  Path dir;

  @Test
  void aSecondBenchmarkOnTheSameDatabaseIsRefusedInOneLineBeforeItStarts() {
    String url = "jdbc:h2:file:" + dir.resolve("bench") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
        + "DEFAULT_NULL_ORDERING=HIGH";
    CliRun first = CliRun.run("bench", "intake", "--db", url, "--events", "1000", "--batch", "500", "--rounds", "1",
        "--subscriptions", "2", "--clients", "1", "--threads", "1");
    assertThat(first.code()).as(first.err()).isZero();
    assertThat(first.out()).contains("median: HTTP");
    // Its progress on stderr: a warm-up and a round of 1,000 events on each of three paths, all done.
    assertThat(first.err()).contains("bench intake done (round 1 of 1, plain insert: 6,000 of 6,000 events)");
    assertThat(first.out()).doesNotContain("bench intake done");

    for (String bench : new String[] {"intake", "query", "commerce"}) {
      CliRun again = CliRun.run("bench", bench, "--db", url);
      assertThat(again.code()).as(bench).isEqualTo(1);
      assertThat(again.out()).as(bench).isEmpty();
      assertThat(again.err().lines()).as(bench).singleElement().asString()
          .startsWith("error: the database jdbc:h2:file:")
          .contains("already holds a stackledger store", "needs an empty database")
          .doesNotContain("MODE=", "Exception");
    }
  }
}
