package org.stackledger.console.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.stackledger.console.api.ApiRefusal;
import org.stackledger.console.web.BadInput;
import org.stackledger.console.web.Block;
import org.stackledger.console.web.Block.Cell;
import org.stackledger.console.web.Block.Field;
import org.stackledger.console.web.Choices;
import org.stackledger.console.web.FormPost;
import org.stackledger.console.web.Html;
import org.stackledger.console.web.Page;
import org.stackledger.console.web.Views;
import org.stackledger.console.web.Visit;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;

/** The operator's money views: the price sheet and its import, billing settings, chargeback and markups. */
public final class MoneyPages {
  private static final String BILLING = "/providers/Stackledger.Billing";
  private static final String API = "api-version=2026-11-01";

  private MoneyPages() {}

  /** {@code GET /admin/prices?currency=USD}: the prices in force, and the import form. */
  public static Reply prices(Visit v) {
    return pricesPage(v, 200, null, List.of(), "");
  }

  /**
   * {@code POST /admin/prices}: the pasted (or picked) CSV sent to the import API as is; every problem
   * the API lists is shown with its row and column, and the page keeps the text so it can be mended.
   */
  public static Reply importPrices(Visit v) throws Exception {
    FormPost form = FormPost.read(v.exchange(), v.session());
    String csv = form.raw("csv");
    if (csv.isBlank()) {
      throw new BadInput("csv", "'csv' is empty: paste a price sheet or choose a CSV file.");
    }
    try {
      JsonNode answer = v.send(v.apis().cloud(), "POST", BILLING + "/priceSheet/import?" + API, csv, "text/csv").json();
      return pricesPage(v, 200, Block.Notice.ok("Imported", answer.path("imported").asText() + " entries imported."), List.of(),
          "");
    } catch (ApiRefusal refused) {
      List<List<Cell>> rows = new ArrayList<>();
      for (ApiRefusal.Detail d : refused.details()) {
        rows.add(List.of(Cell.text(d.target() == null ? "" : d.target()), Cell.text(d.code()), Cell.text(d.message())));
      }
      return pricesPage(v, refused.status(), Views.notice(refused), List.of(new Block.Table(
          "Every problem in the file (" + rows.size() + ")", List.of("Where", "Code", "Problem"), rows,
          "The API listed no single problem.")), csv);
    }
  }

  private static Reply pricesPage(Visit v, int status, Block.Notice outcome, List<Block> problems, String csv) {
    String currency = Choices.oneOf(v.query("currency").map(c -> c.toUpperCase(java.util.Locale.ROOT)), "currency",
        "USD", "USD", "EUR", "GBP", "JPY", "CAD", "AUD", "CHF", "SEK", "NOK", "DKK");
    JsonNode prices = v.get(v.apis().cloud(), BILLING + "/priceSheet?" + API + "&currency=" + currency);
    List<List<Cell>> rows = new ArrayList<>();
    for (JsonNode p : prices.path("value")) {
      rows.add(List.of(Cell.text(p.path("meterName").asText()), Cell.text(p.path("meterId").asText()),
          Cell.number(p.path("unitPrice").asText() + " " + p.path("currency").asText()), Cell.text(p.path("pricingUnit").asText()),
          Cell.number(p.path("unitDivisor").asText()), Cell.text(p.path("effectiveFrom").asText())));
    }
    List<Block> importBlocks = new ArrayList<>();
    if (outcome != null) {
      importBlocks.add(outcome);
    }
    importBlocks.addAll(problems);
    importBlocks.add(Block.Form.post("/admin/prices", "Import", v.session().csrfToken(), List.of(
        Field.of("csvfile", "file", "CSV file", "f-csv"),
        new Field("csv", "Price sheet (CSV with the header meterId,commerceMeterId,meterName,currency,unitPrice,"
            + "pricingUnit,unitDivisor,effectiveFrom)", "textarea", csv, List.of(), false,
            "A file you choose is read into this box; the import is all or nothing."))).busy("Importing…"));
    Page.Builder page = v.page("Price sheet", "/admin/prices")
        .section("Prices in force (" + currency + ")", Block.Form.get("/admin/prices", "Show",
            List.of(Field.of("text", "currency", "Currency", currency))),
            new Block.Table(null, List.of("Meter", "Meter id", "Unit price", "Pricing unit", "Divisor", "In force from"),
                rows, "No prices in " + currency + "."))
        .section("Import a price sheet", importBlocks);
    return Html.page(status, page.build());
  }

  /** {@code GET /admin/billing-settings}. */
  public static Reply billingSettings(Visit v) {
    return settingsPage(v, 200, null);
  }

  /** {@code POST /admin/billing-settings}: the three settings PUT as given; the API checks them. */
  public static Reply saveBillingSettings(Visit v) throws Exception {
    FormPost form = FormPost.read(v.exchange(), v.session());
    ObjectNode body = Json.object();
    ObjectNode p = body.putObject("properties");
    for (String name : List.of("currency", "invoiceGracePeriod", "maxUsageAge")) {
      p.put(name, form.field(name).orElseThrow(() -> new BadInput(name, "'" + name + "' is required.")));
    }
    try {
      v.send(v.apis().cloud(), "PUT", BILLING + "/billingSettings/default?" + API, Json.text(body), null);
      return settingsPage(v, 200, Block.Notice.ok("Saved", "The billing settings are saved."));
    } catch (ApiRefusal refused) {
      return settingsPage(v, refused.status(), Views.notice(refused));
    }
  }

  private static Reply settingsPage(Visit v, int status, Block.Notice outcome) {
    JsonNode p = v.get(v.apis().cloud(), BILLING + "/billingSettings/default?" + API).path("properties");
    List<Block> blocks = new ArrayList<>();
    if (outcome != null) {
      blocks.add(outcome);
    }
    blocks.add(Block.Form.post("/admin/billing-settings", "Save", v.session().csrfToken(), List.of(
        Field.text("currency", "Currency (ISO 4217)", p.path("currency").asText(), "Invoices are made in it.").mandatory(),
        Field.text("invoiceGracePeriod", "Grace period before drafts are finalized (ISO 8601)",
            p.path("invoiceGracePeriod").asText(), "PT0S to P90D, e.g. P5D.").mandatory(),
        Field.text("maxUsageAge", "Oldest usage billed (ISO 8601)", p.path("maxUsageAge").asText(), "P1D to P366D.")
            .mandatory())));
    return Html.page(status, v.page("Billing settings", "/admin/billing-settings").section(null, blocks).build());
  }

  /** {@code GET /admin/chargeback?month=}: what each customer is charged, with its markup. */
  public static Reply chargeback(Visit v) {
    return chargebackPage(v, 200, null);
  }

  /** {@code POST /admin/chargeback/markups}: sets a customer's markup (or the default). */
  public static Reply setMarkup(Visit v) throws Exception {
    FormPost form = FormPost.read(v.exchange(), v.session());
    String customer = form.field("customer").orElse("default");
    String percent = form.field("percent").orElseThrow(() -> new BadInput("percent", "'percent' is required."));
    java.math.BigDecimal value;
    try {
      value = new java.math.BigDecimal(percent);
    } catch (NumberFormatException e) {
      throw new BadInput("percent", "'percent' must be a number such as 12.5.");
    }
    ObjectNode body = Json.object();
    body.putObject("properties").put("markupPercent", value);
    try {
      v.send(v.apis().cloud(), "PUT", BILLING + "/chargeback/markups/" + Choices.encode(customer) + "?" + API,
          Json.text(body), null);
      return chargebackPage(v, 200, Block.Notice.ok("Saved", "The markup of " + customer + " is " + percent + " %."));
    } catch (ApiRefusal refused) {
      return chargebackPage(v, refused.status(), Views.notice(refused));
    }
  }

  private static Reply chargebackPage(Visit v, int status, Block.Notice outcome) {
    YearMonth month = Choices.month(v.query("month"), "month", YearMonth.from(v.today()).minusMonths(1));
    JsonNode c = v.get(v.apis().cloud(), BILLING + "/chargeback?" + API + "&month=" + month);
    List<List<Cell>> rows = new ArrayList<>();
    for (JsonNode r : c.path("value").isArray() ? c.path("value") : c.path("customers")) {
      rows.add(List.of(Cell.text(r.path("customer").asText(r.path("customerId").asText())), Cell.text(r.path("customerId").asText()),
          Cell.number(r.path("invoiced").asText() + " " + r.path("currency").asText()),
          Cell.number(r.path("markupPercent").asText() + " % (" + r.path("markupFrom").asText() + ")"),
          Cell.number(r.path("amount").asText() + " " + r.path("currency").asText())));
    }
    List<List<Cell>> cost = new ArrayList<>();
    for (JsonNode r : c.path("operatorCost")) {
      cost.add(List.of(Cell.text(r.path("billingSubscriptionId").asText()),
          Cell.number(r.path("invoiced").asText(r.path("amount").asText()) + " " + r.path("currency").asText())));
    }
    List<Block> blocks = new ArrayList<>();
    blocks.add(Block.Form.get("/admin/chargeback", "Show", List.of(Field.of("month", "month", "Month", month.toString()))));
    blocks.add(new Block.Table("Customers", List.of("Customer", "Customer id", "Invoiced", "Markup", "Charge"), rows,
        "No customer was invoiced in " + month + "."));
    blocks.add(new Block.Table("The operator's own cost", List.of("Billing subscription", "Invoiced"), cost,
        "None in " + month + "."));
    List<Block> markup = new ArrayList<>();
    if (outcome != null) {
      markup.add(outcome);
    }
    markup.add(Block.Form.post("/admin/chargeback/markups", "Set markup", v.session().csrfToken(), List.of(
        Field.text("customer", "Customer id, or default", "default", "A Partner Center customer id, or 'default' for "
            + "every customer without its own.").mandatory(),
        Field.text("percent", "Markup (percent, -100 to 1000)", "", "Negative is a discount.").mandatory())));
    return Html.page(status, v.page("Chargeback " + month, "/admin/chargeback").section(null, blocks)
        .section("Markups", markup).build());
  }
}
