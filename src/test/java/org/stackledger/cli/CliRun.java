package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;
import picocli.CommandLine;

/** One in-process run of the CLI, as the tests drive it (in any package): exit code, stdout and stderr. */
public record CliRun(int code, String out, String err) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public JsonNode json() throws Exception {
    return JSON.readTree(out);
  }

  public static CliRun run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // The tree the real CLI builds for these arguments (Main), not the whole one.
    CommandLine cmd = StackledgerCommand.commandLine(args);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return new CliRun(cmd.execute(args), out.toString(), err.toString());
  }

  /** A run with {@code --data-dir} appended, where endpoints.json and the profile are. */
  public static CliRun in(Path dataDir, String... args) {
    String[] all = Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--data-dir";
    all[args.length + 1] = dataDir.toString();
    return run(all);
  }
}
