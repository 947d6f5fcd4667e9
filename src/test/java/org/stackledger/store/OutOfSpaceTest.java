package org.stackledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.stackledger.problem.Problem;

/**
 * {@link OutOfSpace} recognises a full disk however deep each engine buries it, and nothing else:
 * H2 wraps the file system's {@code IOException} in its own store and JDBC exceptions, PostgreSQL
 * answers SQLSTATE 53100.
 */
class OutOfSpaceTest {

  @Test
  void aNoSpaceIoExceptionDeepInTheCauseChainIsAFullDisk() {
    IOException disk = new IOException("No space left on device");
    RuntimeException store = new IllegalStateException("Writing to nio:/data/stackledger.mv.db failed [2.2.224/2]",
        new UncheckedIOException(disk));
    SQLException jdbc = new SQLException("General error: " + store.getMessage(), "HY000", 50000, store);

    assertThat(OutOfSpace.causedBy(new RuntimeException("statement failed", jdbc))).isTrue();
  }

  @Test
  void postgresqlDiskFullStateIsAFullDisk() {
    SQLException full = new SQLException("could not extend file \"base/16384/16397\"", "53100");

    assertThat(OutOfSpace.causedBy(new RuntimeException(full))).isTrue();
  }

  @Test
  void otherStoreFailuresAreNotAFullDisk() {
    SQLException unique = new SQLException("duplicate key value violates unique constraint", "23505");
    IOException reset = new IOException("Connection reset by peer");

    assertThat(OutOfSpace.causedBy(new RuntimeException(unique))).isFalse();
    assertThat(OutOfSpace.causedBy(new RuntimeException(reset))).isFalse();
    assertThat(OutOfSpace.causedBy(new RuntimeException((String) null))).isFalse();
  }

  @Test
  void aFullDiskIsAnsweredAsUnavailableWithARetryAfter() {
    Problem p = OutOfSpace.problem();

    assertThat(p.kind()).isEqualTo(Problem.Kind.UNAVAILABLE);
    assertThat(p.code()).isEqualTo("InsufficientStorage");
    assertThat(p.retryAfter()).isEqualTo(Duration.ofSeconds(30));
  }
}
