package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

  abstract static class Report implements Callable<Integer> {
    private final String kind;

    @Mixin
    Connection conn;

    @Mixin
    Output output;

    @Option(names = {"-m", "--month"}, required = true, description = "The invoice month, yyyy-MM.")
    String month;

    @Option(names = "--by", defaultValue = "customer", description = "tenant, customer or meter (default ${DEFAULT-VALUE}).")
    String by;

    Report(String kind) {
      this.kind = kind;
    }

    @Override
    public Integer call() throws Exception {
      ArmClient.Answer answer = conn.send("GET", InvoiceCommand.PROVIDER + "/reports/" + kind, InvoiceCommand.API,
          "&month=" + UsageQueryCommands.encode(month) + "&by=" + UsageQueryCommands.encode(by), null);
      if (answer.status() != 200) {
        return conn.print(answer);
      }
      JsonNode report = Connection.body(answer);
      Output.Format format = output.format(Output.Format.TABLE);
      if (format == Output.Format.JSON || output.query != null) {
        return output.show(report, View.derived(), Output.Format.TABLE);
      }
      List<Column> columns = columns(report.path("by").asText(), kind.equals("usage"));
      ArrayNode rows = Json.MAPPER.createArrayNode();
      report.path("value").forEach(rows::add);
      if (format == Output.Format.TABLE) {
        // The totals close the table a person reads; csv and tsv keep rows only, so sums over them stay true.
        for (JsonNode total : report.path("totals")) {
          ObjectNode row = Json.MAPPER.createObjectNode();
          for (Column c : columns) {
            String name = c.csvName();
            boolean summed = name.equals("amount") || name.equals("currency") || name.equals("quantity")
                || name.equals("unit") || name.equals("meter") || name.equals("records");
            row.put(name, summed ? c.value(total) : "");
          }
          String first = columns.get(0).csvName();
          row.put(first, row.path(first).asText().isEmpty() ? "TOTAL" : "TOTAL " + row.path(first).asText());
          rows.add(row);
        }
      }
      return output.show(rows, View.list(columns.stream().map(Column::csvName).toList(),
          row -> columns.stream().map(c -> c.value(row)).toList()), Output.Format.TABLE);
    }
  }

  /** One column: the JSON field it shows (its header in every format) and how a row fills it. */
  record Column(String csvName) {
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
        out.add(new Column("tenant"));
        out.add(new Column("domain"));
        out.add(new Column("tenantId"));
        out.add(new Column("billedTo"));
      }
      case "customer" -> {
        out.add(new Column("customer"));
        out.add(new Column("customerId"));
      }
      default -> { }
    }
    if (usage || by.equals("meter")) {
      out.add(new Column("meter"));
      out.add(new Column("quantity"));
      out.add(new Column("unit"));
    }
    out.add(new Column("records"));
    out.add(new Column("currency"));
    out.add(new Column("amount"));
    return out;
  }
}
