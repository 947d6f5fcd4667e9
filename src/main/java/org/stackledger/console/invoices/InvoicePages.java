package org.stackledger.console.invoices;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.stackledger.console.api.ApiClient;
import org.stackledger.console.api.ApiRefusal;
import org.stackledger.console.partner.CustomerDirectories;
import org.stackledger.console.usage.Meters;
import org.stackledger.console.web.Block;
import org.stackledger.console.web.Block.Cell;
import org.stackledger.console.web.Choices;
import org.stackledger.console.web.Html;
import org.stackledger.console.web.Page;
import org.stackledger.console.web.Visit;
import org.stackledger.http.Reply;

/** The invoice views under a prefix ({@code /invoices} or {@code /partner/invoices}). */
public final class InvoicePages {
  static final String API = "api-version=2026-11-01";

  private InvoicePages() {}

  /** {@code GET {prefix}?month=yyyy-MM}: every invoice the person may read, newest month first. */
  public static Reply list(Visit v, String prefix) {
    Optional<java.time.YearMonth> month = v.query("month").filter(m -> !m.isBlank())
        .map(m -> Choices.month(Optional.of(m), "month", null));
    JsonNode answer = v.get(v.apis().cloud(), "/providers/Stackledger.Billing/invoices?" + API
        + month.map(m -> "&month=" + m).orElse(""));
    List<List<Cell>> rows = new ArrayList<>();
    for (JsonNode invoice : answer.path("value")) {
      JsonNode p = invoice.path("properties");
      String sub = p.path("billingSubscriptionId").asText();
      String m = p.path("month").asText(invoice.path("name").asText());
      rows.add(List.of(Cell.link(m, prefix + "/" + sub + "/" + m), Cell.text(sub), Cell.text(p.path("state").asText()),
          Cell.number(p.path("total").asText() + " " + p.path("currency").asText())));
    }
    return Html.page(200, v.page("Invoices", prefix).section(null,
        Block.Form.get(prefix, "Show", List.of(Block.Field.of("month", "month", "Month (empty for all)",
            month.map(Object::toString).orElse(""))))).section(month.map(m -> "Invoices of " + m).orElse("All invoices"),
        new Block.Table(null, List.of("Month", "Billing subscription", "State", "Total"), rows,
            "No invoices you may read" + month.map(m -> " for " + m).orElse("") + ".")).build());
  }

  /** {@code GET {prefix}/{subscription}/{month}}: the invoice and its lines, each line's explanation one click away. */
  public static Reply invoice(Visit v, String prefix) {
    String sub = subscription(v);
    String month = month(v);
    CompletableFuture<ApiClient.Answer> meters = Meters.start(v);
    Read<JsonNode> read = read(v, sub, by -> by.get(v.apis().cloud(), invoicePath(sub, month) + "?" + API));
    JsonNode p = read.answer().path("properties");
    java.util.Map<String, String> names = Meters.names(read.meters(v, meters));
    List<List<Cell>> rows = new ArrayList<>();
    for (JsonNode line : p.path("lines")) {
      String n = line.path("line").asText();
      rows.add(List.of(Cell.link("Line " + n, prefix + "/" + sub + "/" + month + "/lines/" + n),
          Cell.text(names.getOrDefault(line.path("meterId").asText(), line.path("meterId").asText())),
          Cell.text(line.path("localSubscriptionId").asText()),
          Cell.text(line.path("adjustment").asBoolean() ? "adjustment of " + line.path("usageMonth").asText() : "usage"),
          Cell.number(line.path("quantity").asText()), Cell.number(line.path("unitPrice").asText()),
          Cell.number(line.path("amount").asText())));
    }
    return Html.page(200, v.page("Invoice " + month, prefix).section(null,
        facts(List.of("Billing subscription", sub, "Month", month, "State", p.path("state").asText(),
            "Total", p.path("total").asText() + " " + p.path("currency").asText(),
            "Created", p.path("createdAt").asText(""), "Finalized", p.path("finalizedAt").asText("not yet"))),
        new Block.Links(List.of(new Page.Link("Download the lines as CSV", "/invoices/" + sub + "/" + month + "/export"),
            new Page.Link("All invoices", prefix))))
        .section("Lines", new Block.Table(null, List.of("Line", "Meter", "Local subscription", "Kind", "Quantity",
            "Unit price", "Amount"), rows, "This invoice has no lines yet.")).build());
  }

  /** {@code GET {prefix}/{subscription}/{month}/lines/{n}}: why the line's records were billed here. */
  public static Reply line(Visit v, String prefix) {
    String sub = subscription(v);
    String month = month(v);
    int n = Choices.number(Optional.of(v.exchange().pathParam("line")), "line", 1, Integer.MAX_VALUE, 1);
    CompletableFuture<ApiClient.Answer> meters = Meters.start(v);
    Read<JsonNode> read = read(v, sub, by -> by.get(v.apis().cloud(), invoicePath(sub, month) + "/lines/" + n + "?"
        + API));
    JsonNode answer = read.answer();
    JsonNode line = answer.path("line");
    List<List<Cell>> groups = new ArrayList<>();
    for (JsonNode g : answer.path("attribution")) {
      groups.add(List.of(Cell.text(g.path("rule").asText()), Cell.text(g.path("mappingEffectiveFrom").asText("—")),
          Cell.text(g.path("firstUsageHour").asText()), Cell.text(g.path("lastUsageHour").asText()),
          Cell.number(g.path("records").asText()), Cell.number(g.path("quantity").asText())));
    }
    return Html.page(200, v.page("Line " + n + " of invoice " + month, prefix).section(null,
        facts(List.of("Meter", Meters.names(read.meters(v, meters)).getOrDefault(line.path("meterId").asText(), "") + " ("
            + line.path("meterId").asText() + ")", "Quantity", line.path("quantity").asText(),
            "Amount", line.path("amount").asText(), "CloudId", line.path("cloudId").asText(),
            "Local subscription", line.path("localSubscriptionId").asText(), "Tenant", line.path("tenantId").asText(),
            "Usage", line.path("usageFrom").asText() + " to " + line.path("usageTo").asText())),
        new Block.Links(List.of(new Page.Link("Back to the invoice", prefix + "/" + sub + "/" + month))))
        .section("Why it was billed here", Block.Notice.info("Explanation", answer.path("explanation").asText()),
            new Block.Table("Records by the rule that attributed them", List.of("Rule", "Mapped from", "First hour",
                "Last hour", "Records", "Quantity"), groups, "No records behind this line.")).build());
  }

  /** {@code GET /invoices/{subscription}/{month}/export}: the API's CSV of the lines, as a download. */
  public static Reply export(Visit v) {
    String sub = subscription(v);
    String month = month(v);
    ApiClient.Answer csv = read(v, sub, by -> by.send(v.apis().cloud(), "GET", invoicePath(sub, month) + "/export?"
        + API, null, null)).answer();
    return Html.download(csv.body(), "text/csv; charset=utf-8", "invoice-" + sub + "-" + month + ".csv");
  }

  /** An API's answer and the visit whose tokens read it: the person's own directory's, or a customer's. */
  private record Read<T>(Visit by, T answer) {
    /**
     * The meter names {@code started} as {@code v}, or asked again as the customer's directory that
     * answered: the meter catalogue is read with a token of a directory the deployment serves.
     */
    CompletableFuture<ApiClient.Answer> meters(Visit v, CompletableFuture<ApiClient.Answer> started) {
      return by == v ? started : Meters.start(by);
    }
  }

  /**
   * {@code call} as the person signed in; for a partner whose own directory cannot read the
   * subscription (the API's 404), again with the person's tokens of the directory Partner Center says
   * the subscription lives in, where the partner's person is a guest (admin on behalf of). Still only
   * the person's own tokens and the API's answer: not a guest there, or no role on the subscription,
   * is the same 404.
   */
  private static <T> Read<T> read(Visit v, String sub, Function<Visit, T> call) {
    try {
      return new Read<>(v, call.apply(v));
    } catch (ApiRefusal notHere) {
      if (notHere.status() != 404 || !v.views().partner()) {
        throw notHere;
      }
      Optional<String> directory = CustomerDirectories.of(v, sub)
          .filter(t -> !t.equalsIgnoreCase(v.session().tenantId()));
      if (directory.isEmpty()) {
        throw notHere;
      }
      Visit there = v.in(directory.get());
      try {
        return new Read<>(there, call.apply(there));
      } catch (ApiRefusal refused) {
        // No token from that directory (the person is not a guest there): as not found as from home.
        throw refused.code().equals(ApiClient.SIGN_IN_REQUIRED) ? notHere : refused;
      }
    }
  }

  private static String invoicePath(String sub, String month) {
    return "/subscriptions/" + sub + "/providers/Stackledger.Billing/invoices/" + month;
  }

  private static String subscription(Visit v) {
    return Choices.guid(Optional.of(v.exchange().pathParam("subscription")), "subscription").orElseThrow();
  }

  private static String month(Visit v) {
    return Choices.month(Optional.of(v.exchange().pathParam("month")), "month", null).toString();
  }

  /** Label, value, label, value… as facts. */
  public static Block.Facts facts(List<String> pairs) {
    List<Block.Fact> facts = new ArrayList<>();
    for (int i = 0; i + 1 < pairs.size(); i += 2) {
      facts.add(new Block.Fact(pairs.get(i), pairs.get(i + 1)));
    }
    return new Block.Facts(facts);
  }
}
