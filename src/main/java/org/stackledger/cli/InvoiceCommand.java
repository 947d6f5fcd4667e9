package org.stackledger.cli;

import static org.stackledger.cli.Connection.segment;
import static org.stackledger.cli.UsageQueryCommands.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.stackledger.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stackledger invoice list|show|finalize|export|explain}: the invoices of billing
 * subscriptions ({@code Stackledger.Billing}) on the cloud ARM endpoint, as the signed-in profile.
 */
@Command(name = "invoice", description = "Invoices of billing subscriptions: list, read, finalize, export, explain.",
    subcommands = {InvoiceCommand.ListAll.class, InvoiceCommand.Show.class, InvoiceCommand.Finalize.class,
        InvoiceCommand.Export.class, InvoiceCommand.Explain.class, InvoiceCommand.ExplainLine.class})
final class InvoiceCommand extends IdentityCommand.Group {
  static final String API = "2026-11-01";
  static final String PROVIDER = "/providers/Stackledger.Billing";

  /** One billing subscription's invoice of one month. */
  static final class Month {
    @Option(names = {"-s", "--subscription"}, required = true, description = "The billing subscription id.")
    String subscription;

    @Option(names = {"-m", "--month"}, required = true, description = "The invoice month, yyyy-MM.")
    String month;

    String path() {
      return invoices(subscription) + "/" + segment(month);
    }
  }

  static String invoices(String subscription) {
    return "/subscriptions/" + segment(subscription) + PROVIDER + "/invoices";
  }

  /**
   * Shows a CSV answer through the output options (the CSV itself unless another format is asked),
   * with progress on standard error; an error answer is printed as the ARM error and its exit code
   * returned.
   */
  static int download(Connection conn, Output output, String what, String path, String extraQuery) throws IOException {
    Progress progress = Progress.to(conn.err());
    progress.update("downloading " + what + " …");
    ArmClient.Answer answer = conn.send("GET", path, API, extraQuery, null);
    if (answer.status() != 200) {
      progress.clear();
      return conn.print(answer);
    }
    progress.done(what + ": " + Math.max(0, Csv.parse(answer.body()).size() - 1) + " rows"
        + (output.file == null ? "" : ", written to " + output.file));
    return output.export(answer.body());
  }

  /** An invoice line's cells, with its meter's name from the catalogue beside the meter id. */
  static final View LINES = View.rowsAt("/properties/lines", List.of("LINE", "METER", "METER NAME", "SUBSCRIPTION",
      "QUANTITY", "UNIT PRICE", "AMOUNT", "USAGE FROM", "USAGE TO"), l -> List.of(View.text(l.path("line")),
      l.path("meterId").asText(), UsageCommand.meterName(l.path("meterId").asText()),
      l.path("localSubscriptionId").asText(), View.text(l.path("quantity")), View.text(l.path("unitPrice")),
      View.text(l.path("amount")), l.path("usageFrom").asText(), l.path("usageTo").asText()));

  @Command(name = "list", description = "Invoices: of one billing subscription, or of every one you may read.")
  static final class ListAll implements Callable<Integer> {
    @Mixin
    Connection conn;

    @Option(names = {"-s", "--subscription"}, description = "Only this billing subscription's invoices.")
    String subscription;

    @Option(names = {"-m", "--month"}, description = "Only the invoices of this month, yyyy-MM.")
    String month;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      ArrayNode all = subscription != null ? conn.listAll(invoices(subscription), API)
          : conn.listAll(PROVIDER + "/invoices", API, month == null ? "" : "&month=" + encode(month));
      if (all == null) {
        return conn.lastStatus;
      }
      List<JsonNode> shown = new ArrayList<>();
      all.forEach(i -> {
        if (month == null || Connection.prop(i, "month").equals(month)) {
          shown.add(i);
        }
      });
      ObjectNode out = Json.object();
      out.putArray("value").addAll(shown);
      return output.show(out, View.list(List.of("SUBSCRIPTION", "MONTH", "STATE", "CURRENCY", "TOTAL"),
          i -> List.of(Connection.prop(i, "billingSubscriptionId"), Connection.prop(i, "month"),
              Connection.prop(i, "state"), Connection.prop(i, "currency"), View.text(i.path("properties").path("total")))));
    }
  }

  @Command(name = "show", description = "One invoice with its lines: JSON, or its lines with their meters' names "
      + "with -o table.")
  static final class Show implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Month invoice;
    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      ArmClient.Answer answer = conn.send("GET", invoice.path(), API, null);
      if (answer.status() != 200) {
        return conn.print(answer);
      }
      return output.resource(Connection.body(answer), LINES);
    }
  }

  @Command(name = "finalize", description = "Freeze an invoice of a month that is over (the operator's).")
  static final class Finalize implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Output output;
    @Mixin
    Month invoice;

    @Override
    public Integer call() throws Exception {
      return conn.resource(conn.send("POST", invoice.path() + "/finalize", API, null), output);
    }
  }

  @Command(name = "export", description = "An invoice's lines as CSV.")
  static final class Export implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Month invoice;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      return download(conn, output, "invoice " + invoice.subscription + " " + invoice.month, invoice.path() + "/export",
          "");
    }
  }

  @Command(name = "explain", description = "Which subscription pays for a deployment's local subscription in an "
      + "hour, and by which rule.")
  static final class Explain implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Output output;

    @Option(names = "--cloud-id", required = true, description = "The deployment's CloudId.")
    String cloudId;

    @Option(names = {"-s", "--subscription"}, required = true, description = "The local subscription on the deployment.")
    String subscription;

    @Option(names = "--hour", required = true, description = "An instant in the usage hour, e.g. 2026-10-10T13:00:00Z.")
    String hour;

    @Option(names = "--tenant", description = "The local subscription's directory tenant, when no usage of it has arrived.")
    String tenant;

    @Override
    public Integer call() throws Exception {
      String query = "&cloudId=" + encode(cloudId) + "&subscriptionId=" + encode(subscription) + "&usageTime="
          + encode(hour) + (tenant == null ? "" : "&tenantId=" + encode(tenant));
      return conn.resource(conn.send("GET", PROVIDER + "/attribution", API, query, null), output);
    }
  }

  @Command(name = "explain-line", description = "Why a billed line's usage was billed to its subscription: its records "
      + "grouped by the rule (and mapping) that attributed them, with the usage hours each covers.")
  static final class ExplainLine implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Output output;

    @Mixin
    Month invoice;

    @Option(names = "--line", required = true, description = "The line number on the invoice.")
    int line;

    @Override
    public Integer call() throws Exception {
      return conn.resource(conn.send("GET", invoice.path() + "/lines/" + line, API, null), output);
    }
  }
}
