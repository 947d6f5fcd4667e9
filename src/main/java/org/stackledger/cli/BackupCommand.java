package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.stackledger.backup.Restore;
import org.stackledger.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stackledger backup --out FILE}: an online backup of the embedded store, written by the
 * serving process ({@code Stackledger.Store/backup} on the stack admin endpoint); and
 * {@code stackledger restore FILE --data-dir D}, offline, into a new folder.
 */
@Command(name = "backup", description = "Write a consistent backup of the running server's embedded store to a new "
    + "file (written by the server; for PostgreSQL use pg_dump).")
final class BackupCommand implements Callable<Integer> {
  @Mixin
  StackCommand.Stack stack;

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, description = "The backup file to create (a path on the server's machine).")
  Path out;

  @Override
  public Integer call() throws Exception {
    Connection conn = stack.conn();
    ArmClient.Answer answer = conn.send("POST", "/providers/Stackledger.Store/backup", ArchiveCommand.API,
        Json.text(Json.object().put("file", out.toAbsolutePath().toString())));
    if (answer.status() != 200) {
      return ArchiveCommand.refused(conn, answer);
    }
    JsonNode written = Connection.body(answer);
    spec.commandLine().getOut().println("backed up " + written.path("bytes").asLong() + " bytes to "
        + written.path("file").asText());
    spec.commandLine().getOut().flush();
    return 0;
  }

  @Command(name = "restore", description = "Restore a backup into a new or empty data folder (no server runs on it "
      + "yet); then 'stackledger serve --data-dir' that folder.")
  static final class RestoreCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The backup file.")
    Path file;

    @Option(names = "--data-dir", required = true, description = "The data folder to restore into: new or empty.")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
      long bytes = Restore.into(file, dataDir);
      spec.commandLine().getOut().println("restored " + bytes + " bytes of store into " + dataDir.toAbsolutePath()
          .resolve("db"));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
