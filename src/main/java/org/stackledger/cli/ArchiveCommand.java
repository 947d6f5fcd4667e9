package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.stackledger.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stackledger archive --before 2026-01} and {@code stackledger archive import FILE}: retention
 * of the deployment's raw usage ({@code Stackledger.Usage/archives} on the stack admin endpoint). The
 * server writes and reads the files: paths are its own, and the CLI sends them absolute.
 */
@Command(name = "archive", description = "Archive the raw usage of months whose invoices are final to files in the "
    + "server's data folder (archive/), and remove it from the store; 'archive import FILE' puts a file back.",
    subcommands = ArchiveCommand.Import.class)
final class ArchiveCommand implements Callable<Integer> {
  static final String API = "2026-11-01";
  static final String PATH = "/providers/Stackledger.Usage/archives";

  @Mixin
  StackCommand.Stack stack;

  @Mixin
  Output output;

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  // Checked in call(), not by picocli: a required option of the group would be asked of 'archive import' too.
  @Option(names = "--before", paramLabel = "MONTH", description = "Required. A month, e.g. 2026-01: the months "
      + "before it are archived.")
  String before;

  @Override
  public Integer call() throws Exception {
    if (before == null) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--before=MONTH'");
    }
    Connection conn = stack.conn();
    ArmClient.Answer answer = conn.send("POST", PATH, API, Json.text(Json.object().put("before", before)));
    if (answer.status() != 200) {
      return refused(conn, answer);
    }
    return output.show(conn.body(answer), View.rowsAt("/months", List.of("Month", "Batches", "Events", "File"),
        m -> List.of(m.path("month").asText(), m.path("batches").asText(), m.path("events").asText(),
            m.path("file").asText())));
  }

  @Command(name = "import", description = "Put back the usage of an archive file that the store does not hold "
      + "(a second import, or one of usage still held, changes nothing). The file is read by the server.")
  static final class Import implements Callable<Integer> {
    @Mixin
    StackCommand.Stack stack;

    @Mixin
    Output output;

    @Parameters(index = "0", paramLabel = "FILE", description = "The archive file (a path on the server's machine).")
    Path file;

    @Override
    public Integer call() throws Exception {
      Connection conn = stack.conn();
      ArmClient.Answer answer = conn.send("POST", PATH + "/import", API,
          Json.text(Json.object().put("file", file.toAbsolutePath().toString())));
      if (answer.status() != 200) {
        return refused(conn, answer);
      }
      return output.show(conn.body(answer), View.record(List.of("Month", "Batches", "Events", "Restored batches",
          "Restored events"), i -> List.of(i.path("month").asText(), i.path("batches").asText(),
          i.path("events").asText(), i.path("restoredBatches").asText(), i.path("restoredEvents").asText())));
    }
  }

  /** A refusal as one line, {@code error: CODE: message}; exit 1. */
  static int refused(Connection conn, ArmClient.Answer answer) throws IOException {
    String message = "HTTP " + answer.status() + " " + answer.body();
    try {
      JsonNode error = Json.MAPPER.readTree(answer.body()).path("error");
      if (error.isObject()) {
        message = error.path("code").asText() + ": " + error.path("message").asText();
      }
    } catch (IOException notJson) {
      // Not an ARM envelope: the body as it came.
    }
    return conn.fail(message);
  }
}
