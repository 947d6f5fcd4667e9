package org.stackledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One server per data folder. (Another process holding the folder is tested with real processes in
 * {@code ServeCommandProcessTest}; a lock left by a killed server, by the kill -9 tests' restarts.)
 */
class DataFolderLockTest {
  @TempDir
  Path dir;

  @Test
  void aLockFileNobodyHoldsIsTakenOverAndGetsThisProcessesPid() throws Exception {
    // What a server killed with -9 leaves: the file and its pid, but no OS lock.
    Files.writeString(dir.resolve(DataFolderLock.FILE), "999999\n");
    try (DataFolderLock lock = DataFolderLock.take(dir)) {
      assertThat(Files.readString(dir.resolve(DataFolderLock.FILE)).strip())
          .isEqualTo(Long.toString(ProcessHandle.current().pid()));
    }
  }

  @Test
  void aFolderThisProcessAlreadyHoldsIsRefusedUntilItIsReleased() throws Exception {
    DataFolderLock first = DataFolderLock.take(dir);
    assertThatThrownBy(() -> DataFolderLock.take(dir)).isInstanceOf(StartRefused.class)
        .hasMessage("the data folder " + dir.toAbsolutePath() + " is in use by another stackledger (pid "
            + ProcessHandle.current().pid() + "); stop it or choose another folder with --data-dir");
    first.close();
    first.close();
    DataFolderLock.take(dir).close();
  }

  @Test
  void aSecondServerOnAFolderInUseIsRefusedAndTheFirstKeepsRunning() throws Exception {
    ServerOptions options = ServerOptions.defaults(dir).withPort(0).withPlainHttp(true);
    try (Stackledger first = Stackledger.start(options)) {
      assertThatThrownBy(() -> Stackledger.start(options)).isInstanceOf(StartRefused.class)
          .hasMessageContaining("is in use by another stackledger");
      assertThat(first.database().answers()).isTrue();
    }
    Stackledger.start(options).close();
  }
}
