package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.stackledger.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stackledger price-sheet export|import}: the cloud plane's price sheet as a CSV file, through
 * the operator's {@code Stackledger.Billing/priceSheet} routes on the cloud ARM endpoint.
 */
@Command(name = "price-sheet", description = "The cloud plane's price sheet as CSV: export it, edit it, import it.",
    subcommands = {PriceSheetCommand.Export.class, PriceSheetCommand.Import.class})
final class PriceSheetCommand extends IdentityCommand.Group {
  static final String API = "2026-11-01";
  static final String PATH = "/providers/Stackledger.Billing/priceSheet";

  @Command(name = "export", description = "Write the price sheet as CSV: the prices in force at --at, or the whole history.")
  static final class Export implements Callable<Integer> {
    @Mixin
    Connection conn;

    @Option(names = "--currency", description = "Only this currency (ISO 4217, e.g. USD). Default: every currency.")
    String currency;

    @Option(names = "--at", description = "Only the prices in force at this instant, e.g. 2026-11-01T00:00:00Z. Default: the whole history.")
    String at;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      String query = (currency == null ? "" : "&currency=" + UsageQueryCommands.encode(currency))
          + (at == null ? "" : "&at=" + UsageQueryCommands.encode(at));
      Progress progress = Progress.to(conn.err());
      progress.update("downloading the price sheet …");
      ArmClient.Answer answer = conn.send("GET", PATH + "/export", API, query, null);
      if (answer.status() != 200) {
        progress.clear();
        return conn.print(answer);
      }
      progress.done("price sheet: " + Math.max(0, Csv.parse(answer.body()).size() - 1) + " entries"
          + (output.file == null ? "" : ", written to " + output.file));
      return output.export(answer.body());
    }
  }

  @Command(name = "import", description = "Import a price sheet CSV file, all or nothing; every problem is listed.")
  static final class Import implements Callable<Integer> {
    @Mixin
    Connection conn;

    @Parameters(index = "0", paramLabel = "FILE", description = "The CSV file (UTF-8), with the header export writes.")
    Path file;

    @Override
    public Integer call() throws Exception {
      String csv = Files.readString(file, StandardCharsets.UTF_8);
      ArmClient.Answer answer = conn.send("POST", PATH + "/import", API, "", csv, "text/csv; charset=utf-8");
      if (answer.status() == 200) {
        conn.out().println("imported " + Json.MAPPER.readTree(answer.body()).path("imported").asInt() + " entries");
        conn.out().flush();
        return 0;
      }
      int code = conn.print(answer);
      problems(answer, conn.err());
      return code;
    }

    /** Each problem of a refused file on its own line, so that the whole file can be mended at once. */
    private static void problems(ArmClient.Answer answer, PrintWriter err) {
      try {
        JsonNode details = Json.MAPPER.readTree(answer.body()).path("error").path("details");
        for (JsonNode d : details) {
          err.println("  " + d.path("code").asText() + " " + d.path("message").asText());
        }
        err.flush();
      } catch (IOException notJson) {
        // Already printed as it came.
      }
    }
  }
}
