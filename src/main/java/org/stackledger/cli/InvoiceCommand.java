package org.stackledger.cli;

import static org.stackledger.cli.Connection.segment;
import static org.stackledger.cli.UsageQueryCommands.encode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
   * Writes a text answer (a CSV) to the file, or to standard output; an error answer is printed as
   * the ARM error and its exit code returned.
   */
  static int download(Connection conn, String path, String extraQuery, Path out) throws IOException {
    ArmClient.Answer answer = conn.send("GET", path, API, extraQuery, null);
    if (answer.status() != 200) {
      return conn.print(answer);
    }
    if (out != null) {
      Files.writeString(out, answer.body(), StandardCharsets.UTF_8);
    } else {
      PrintWriter w = conn.out();
      w.print(answer.body());
      w.flush();
    }
    return 0;
  }

  @Command(name = "list", description = "Invoices: of one billing subscription, or of every one you may read.")
  static final class ListAll implements Callable<Integer> {
    @Mixin
    Connection conn;

    @Option(names = {"-s", "--subscription"}, description = "Only this billing subscription's invoices.")
    String subscription;

    @Option(names = {"-m", "--month"}, description = "Only the invoices of this month, yyyy-MM.")
    String month;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

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
      if (json) {
        ObjectNode out = Json.object();
        out.putArray("value").addAll(shown);
        conn.json(out);
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode i : shown) {
        rows.add(List.of(Connection.prop(i, "billingSubscriptionId"), Connection.prop(i, "month"),
            Connection.prop(i, "state"), Connection.prop(i, "currency"), Connection.prop(i, "total")));
      }
      conn.table(List.of("SUBSCRIPTION", "MONTH", "STATE", "CURRENCY", "TOTAL"), rows);
      return 0;
    }
  }

  @Command(name = "show", description = "One invoice with its lines (JSON).")
  static final class Show implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Month invoice;

    @Override
    public Integer call() throws Exception {
      return conn.print(conn.send("GET", invoice.path(), API, null));
    }
  }

  @Command(name = "finalize", description = "Freeze an invoice of a month that is over (the operator's).")
  static final class Finalize implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Month invoice;

    @Override
    public Integer call() throws Exception {
      return conn.print(conn.send("POST", invoice.path() + "/finalize", API, null));
    }
  }

  @Command(name = "export", description = "An invoice's lines as CSV.")
  static final class Export implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Month invoice;

    @Option(names = {"-o", "--out"}, description = "Write to this file instead of standard output.")
    Path out;

    @Override
    public Integer call() throws Exception {
      return download(conn, invoice.path() + "/export", "", out);
    }
  }

  @Command(name = "explain", description = "Which subscription pays for a deployment's local subscription in an "
      + "hour, and by which rule.")
  static final class Explain implements Callable<Integer> {
    @Mixin
    Connection conn;

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
      return conn.print(conn.send("GET", PROVIDER + "/attribution", API, query, null));
    }
  }

  @Command(name = "explain-line", description = "Why a billed line's usage was billed to its subscription: its records "
      + "grouped by the rule (and mapping) that attributed them, with the usage hours each covers.")
  static final class ExplainLine implements Callable<Integer> {
    @Mixin
    Connection conn;

    @Mixin
    Month invoice;

    @Option(names = "--line", required = true, description = "The line number on the invoice.")
    int line;

    @Override
    public Integer call() throws Exception {
      return conn.print(conn.send("GET", invoice.path() + "/lines/" + line, API, null));
    }
  }
}
