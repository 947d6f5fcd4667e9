package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.stackledger.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stackledger report usage|cost --month M [--by tenant|customer|meter] [-o table|json|csv]}: who
 * used (or costs) the most in a month, with names, as the server's report route answers it for the
 * signed-in profile — the same invoices the invoice views let it read.
 */
@Command(name = "report", description = "Who used the most in a month: usage or cost by tenant, customer or meter.",
    subcommands = {ReportCommand.Usage.class, ReportCommand.Cost.class})
final class ReportCommand extends IdentityCommand.Group {

  @Command(name = "usage", description = "Quantities per meter of the month's invoices, by tenant, customer or meter; "
      + "largest first within each meter.")
  static final class Usage extends Report {
    Usage() {
      super("usage");
    }
  }

  @Command(name = "cost", description = "Amounts of the month's invoices by tenant, customer or meter; largest first, "
      + "with the total (equal to the invoices' to the cent).")
  static final class Cost extends Report {
    Cost() {
      super("cost");
    }
  }

  enum Output { table, json, csv }

  abstract static class Report implements Callable<Integer> {
    private final String kind;

    @Mixin
    Connection conn;

    @Option(names = {"-m", "--month"}, required = true, description = "The invoice month, yyyy-MM.")
    String month;

    @Option(names = "--by", defaultValue = "customer", description = "tenant, customer or meter (default ${DEFAULT-VALUE}).")
    String by;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table, json or csv (default "
        + "${DEFAULT-VALUE}); csv has the rows only, no total.")
    Output output;

    Report(String kind) {
      this.kind = kind;
    }

    @Override
    public Integer call() throws Exception {
      ArmClient.Answer answer = conn.send("GET", InvoiceCommand.PROVIDER + "/reports/" + kind, InvoiceCommand.API,
          "&month=" + UsageQueryCommands.encode(month) + "&by=" + UsageQueryCommands.encode(by), null);
      if (answer.status() != 200 || output == Output.json) {
        return conn.print(answer);
      }
      JsonNode report = Json.EXACT.readTree(answer.body());
      List<Column> columns = columns(report.path("by").asText(), kind.equals("usage"));
      if (output == Output.csv) {
        StringBuilder b = new StringBuilder(String.join(",", columns.stream().map(Column::csvName).toList()))
            .append("\r\n");
        for (JsonNode row : report.path("value")) {
          b.append(String.join(",", columns.stream().map(c -> csvCell(c.value(row))).toList())).append("\r\n");
        }
        conn.out().print(b);
        conn.out().flush();
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode row : report.path("value")) {
        rows.add(columns.stream().map(c -> c.value(row)).toList());
      }
      for (JsonNode total : report.path("totals")) {
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
          String name = columns.get(i).csvName();
          boolean summed = name.equals("amount") || name.equals("currency") || name.equals("quantity")
              || name.equals("unit") || name.equals("meter") || name.equals("records");
          cells.add(summed ? columns.get(i).value(total) : "");
        }
        cells.set(0, cells.get(0).isEmpty() ? "TOTAL" : "TOTAL " + cells.get(0));
        rows.add(cells);
      }
      conn.table(columns.stream().map(Column::header).toList(), rows);
      return 0;
    }
  }

  /** One column: its table header, its CSV name (the JSON field it shows) and how a row fills it. */
  record Column(String header, String csvName) {
    String value(JsonNode row) {
      JsonNode v = row.path(csvName);
      if (csvName.equals("billedTo")) {
        List<String> payers = new ArrayList<>();
        v.forEach(p -> payers.add(p.path("payer").asText()));
        return String.join("; ", payers);
      }
      return v.isNull() || v.isMissingNode() ? "" : v.asText();
    }
  }

  static List<Column> columns(String by, boolean usage) {
    List<Column> out = new ArrayList<>();
    switch (by) {
      case "tenant" -> {
        out.add(new Column("TENANT", "tenant"));
        out.add(new Column("DOMAIN", "domain"));
        out.add(new Column("TENANT ID", "tenantId"));
        out.add(new Column("BILLED TO", "billedTo"));
      }
      case "customer" -> {
        out.add(new Column("CUSTOMER", "customer"));
        out.add(new Column("CUSTOMER ID", "customerId"));
      }
      default -> { }
    }
    if (usage || by.equals("meter")) {
      out.add(new Column("METER", "meter"));
      out.add(new Column("QUANTITY", "quantity"));
      out.add(new Column("UNIT", "unit"));
    }
    out.add(new Column("RECORDS", "records"));
    out.add(new Column("CURRENCY", "currency"));
    out.add(new Column("AMOUNT", "amount"));
    return out;
  }

  /** A CSV cell, quoted when it holds a comma, a quote or a line break (RFC 4180): names may. */
  static String csvCell(String value) {
    if (value.chars().noneMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
