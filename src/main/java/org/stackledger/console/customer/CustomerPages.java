package org.stackledger.console.customer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.stackledger.console.api.ApiClient;
import org.stackledger.console.usage.Meters;
import org.stackledger.console.usage.UsageFold;
import org.stackledger.console.usage.UsageQuery;
import org.stackledger.console.web.Block;
import org.stackledger.console.web.Block.Cell;
import org.stackledger.console.web.Choices;
import org.stackledger.console.web.Html;
import org.stackledger.console.web.Page;
import org.stackledger.console.web.Visit;
import org.stackledger.csv.CsvFile;
import org.stackledger.http.Reply;

/** {@code /}, {@code /usage} and {@code /usage/export}. */
public final class CustomerPages {
  private static final String SUBSCRIPTIONS = "/subscriptions?api-version=2015-11-01";

  private CustomerPages() {}

  /** The start page: the operator's and a partner's are theirs; a customer's lists its subscriptions. */
  public static Reply home(Visit v) {
    if (v.views().operator()) {
      return Html.redirect(302, "/admin");
    }
    if (v.views().partner()) {
      return Html.redirect(302, "/partner");
    }
    List<List<Cell>> rows = new ArrayList<>();
    for (JsonNode s : subscriptions(v)) {
      String id = s.path("subscriptionId").asText();
      rows.add(List.of(Cell.text(s.path("displayName").asText(id)), Cell.link(id, "/usage?subscription=" + id),
          Cell.text(s.path("state").asText()), Cell.text(s.path("offerId").asText(""))));
    }
    return Html.page(200, v.page("Your subscriptions", "/").section(null,
        new Block.Table("Subscriptions on the deployment", List.of("Name", "Subscription (its usage)", "State", "Offer"),
            rows, "You have no subscriptions on this deployment."),
        new Block.Links(List.of(new Page.Link("Your invoices", "/invoices")))).build());
  }

  /** {@code GET /usage?subscription=&from=&to=&granularity=}: one subscription's usage by meter and resource. */
  public static Reply usage(Visit v) {
    List<JsonNode> subscriptions = subscriptions(v);
    Optional<String> chosen = Choices.guid(v.query("subscription"), "subscription")
        .or(() -> subscriptions.stream().map(s -> s.path("subscriptionId").asText()).findFirst());
    UsageQuery q = UsageQuery.chosen(v);
    Page.Builder page = v.page("Usage", "/usage").section(null, choices(subscriptions, chosen, q));
    if (chosen.isEmpty()) {
      return Html.page(200, page.section(null, Block.Notice.info("No subscriptions",
          "You have no subscriptions on this deployment, so no usage to show.")).build());
    }
    CompletableFuture<ApiClient.Answer> meters = Meters.start(v);
    UsageQuery.Rows rows = q.read(v, v.apis().stackTenant(), stretch -> path(chosen.get(), stretch, true));
    Map<String, String> names = Meters.names(meters);
    UsageFold fold = UsageFold.of(rows.rows());
    List<Block> blocks = new ArrayList<>();
    if (rows.truncated()) {
      blocks.add(Block.Notice.info("Part of the range", "The range has more usage than one page shows: choose a shorter one."));
    }
    if (fold.isEmpty()) {
      blocks.add(Block.Notice.info("No usage", "This subscription reported no usage from " + q.from() + " to " + q.to() + "."));
    } else {
      blocks.add(fold.chart("usage-chart", "Usage of " + chosen.get() + " from " + q.from() + " to " + q.to(), names));
      blocks.add(fold.meterTable(names));
      blocks.add(fold.resourceTable(names, 25));
    }
    blocks.add(new Block.Links(List.of(new Page.Link("Download this usage as CSV", "/usage/export?subscription="
        + chosen.get() + "&from=" + q.from() + "&to=" + q.to() + "&granularity=" + q.granularity()))));
    return Html.page(200, page.section("Usage of " + chosen.get(), blocks).build());
  }

  /** {@code GET /usage/export}: the same rows as CSV (one a row, with the resource). */
  public static Reply usageExport(Visit v) {
    String sub = Choices.guid(v.query("subscription"), "subscription").orElseThrow(() ->
        new org.stackledger.console.web.BadInput("subscription", "'subscription' is required: the subscription to export."));
    UsageQuery q = UsageQuery.chosen(v);
    UsageQuery.Rows rows = q.read(v, v.apis().stackTenant(), stretch -> path(sub, stretch, true));
    List<List<Object>> lines = new ArrayList<>();
    for (JsonNode row : rows.rows()) {
      JsonNode p = row.path("properties");
      lines.add(CsvFile.row(p.path("subscriptionId").asText(), p.path("usageStartTime").asText(),
          p.path("usageEndTime").asText(), p.path("meterId").asText(), p.path("quantity").asText(),
          p.path("instanceData").asText("")));
    }
    String out = CsvFile.text(List.of("subscriptionId", "usageStartTime", "usageEndTime", "meterId", "quantity",
        "instanceData"), lines);
    return Html.download(out.getBytes(java.nio.charset.StandardCharsets.UTF_8), "text/csv; charset=utf-8",
        "usage-" + sub + "-" + q.from() + "-" + q.to() + ".csv");
  }

  private static String path(String sub, UsageQuery q, boolean details) {
    return "/subscriptions/" + sub + "/providers/Microsoft.Commerce/usageAggregates?" + q.apiQuery(details);
  }

  /** The person's user subscriptions on the deployment (the tenant ARM's list, one page). */
  static List<JsonNode> subscriptions(Visit v) {
    List<JsonNode> out = new ArrayList<>();
    v.get(v.apis().stackTenant(), SUBSCRIPTIONS).path("value").forEach(out::add);
    return out;
  }

  private static Block.Form choices(List<JsonNode> subscriptions, Optional<String> chosen, UsageQuery q) {
    List<Block.Option> options = new ArrayList<>();
    for (JsonNode s : subscriptions) {
      String id = s.path("subscriptionId").asText();
      options.add(new Block.Option(id, s.path("displayName").asText(id) + " (" + id + ")", chosen.map(id::equals).orElse(false)));
    }
    return Block.Form.get("/usage", "Show", List.of(Block.Field.select("subscription", "Subscription", options),
        Block.Field.of("date", "from", "From (UTC, inclusive)", q.from().toString()),
        Block.Field.of("date", "to", "To (UTC, exclusive)", q.to().toString()),
        Block.Field.select("granularity", "Granularity", List.of(new Block.Option("Daily", "Daily", q.granularity().equals("Daily")),
            new Block.Option("Hourly", "Hourly", q.granularity().equals("Hourly"))))));
  }
}
