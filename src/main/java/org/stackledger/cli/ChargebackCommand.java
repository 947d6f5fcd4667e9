package org.stackledger.cli;

import static org.stackledger.cli.Connection.segment;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.Callable;
import org.stackledger.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stackledger chargeback --month M}: what to charge each customer for a month, and
 * {@code stackledger chargeback markup set|list|remove}: the markups it adds (the operator's).
 */
@Command(name = "chargeback", description = "What to charge each customer for a month: its invoices plus your markup.",
    subcommands = ChargebackCommand.Markup.class)
final class ChargebackCommand implements Callable<Integer> {
  static final String MARKUPS = InvoiceCommand.PROVIDER + "/chargeback/markups";

  @Mixin
  Connection conn;

  // Not required by picocli: it would then be asked of `chargeback markup …` too.
  @Option(names = {"-m", "--month"}, description = "The month, yyyy-MM (required to print the statement).")
  String month;

  @Mixin
  Output output;

  /** A table per customer, then the operator's own cost (usage no customer pays for). */
  private static final View STATEMENT = View.list(List.of("CUSTOMER", "CUSTOMER ID", "CURRENCY", "INVOICED",
      "MARKUP %", "TO CHARGE"), c -> List.of(c.path("customer").asText(), c.path("customerId").asText(),
      c.path("currency").asText(), View.text(c.path("invoiced")), View.text(c.path("markupPercent")) + " ("
      + c.path("markupFrom").asText() + ")", View.text(c.path("amount"))))
      .withSection("Your own cost (no customer pays it):", "/operatorCost", View.list(List.of("PAYER", "SUBSCRIPTION",
          "CURRENCY", "INVOICED"), c -> List.of(c.path("payer").asText(), c.path("billingSubscriptionId").asText(),
          c.path("currency").asText(), View.text(c.path("invoiced")))));

  @Override
  public Integer call() throws Exception {
    if (month == null) {
      return conn.fail("--month is required (or use `chargeback markup …`)");
    }
    ArmClient.Answer answer = conn.send("GET", InvoiceCommand.PROVIDER + "/chargeback", InvoiceCommand.API,
        "&month=" + UsageQueryCommands.encode(month), null);
    return conn.show(answer, output, STATEMENT);
  }

  @Command(name = "markup", description = "The markup per customer, or the default one.",
      subcommands = {Markup.Set.class, Markup.ListAll.class, Markup.Remove.class})
  static final class Markup extends IdentityCommand.Group {

    @Command(name = "set", description = "Set a customer's markup, or the default (--customer default).")
    static final class Set implements Callable<Integer> {
      @Mixin
      Connection conn;

      @Mixin
      Output output;

      @Option(names = {"-c", "--customer"}, required = true, description = "A Partner Center customer id, or default.")
      String customer;

      @Option(names = {"-p", "--percent"}, required = true, description = "The markup in percent, e.g. 12.5.")
      BigDecimal percent;

      @Override
      public Integer call() throws Exception {
        var body = Json.object();
        body.putObject("properties").put("markupPercent", percent);
        return conn.created(conn.send("PUT", MARKUPS + "/" + segment(customer), InvoiceCommand.API, Json.text(body)),
            output, "/properties/customerId", "markup set; see them all with: stackledger chargeback markup list");
      }
    }

    @Command(name = "list", description = "Every markup set.")
    static final class ListAll implements Callable<Integer> {
      @Mixin
      Connection conn;

      @Mixin
      Output output;

      @Override
      public Integer call() throws Exception {
        return conn.listTable(output, MARKUPS, InvoiceCommand.API, List.of("CUSTOMER", "COMPANY", "MARKUP %", "UPDATED"),
            m -> List.of(Connection.prop(m, "customerId"), Connection.prop(m, "companyName"),
                Connection.prop(m, "markupPercent"), Connection.prop(m, "updatedAt")));
      }
    }

    @Command(name = "remove", description = "Remove a customer's markup (the default then applies), or the default.")
    static final class Remove implements Callable<Integer> {
      @Mixin
      Connection conn;

      @Option(names = {"-c", "--customer"}, required = true, description = "A Partner Center customer id, or default.")
      String customer;

      @Override
      public Integer call() throws Exception {
        return conn.print(conn.send("DELETE", MARKUPS + "/" + segment(customer), InvoiceCommand.API, null));
      }
    }
  }
}
