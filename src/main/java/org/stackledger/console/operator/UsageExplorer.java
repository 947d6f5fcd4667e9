package org.stackledger.console.operator;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
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
import org.stackledger.console.web.Block.Field;
import org.stackledger.console.web.Choices;
import org.stackledger.console.web.Html;
import org.stackledger.console.web.Page;
import org.stackledger.console.web.Visit;
import org.stackledger.http.Reply;

/**
 * {@code GET /admin/usage?subscription=&from=&to=&granularity=&meter=&top=}: the provider usage API's
 * summary rows ({@code showDetails=false}: one per subscription, meter and period) for every direct
 * tenant or one, drawn stacked by meter, with the top tenants by one meter.
 */
public final class UsageExplorer {
  private UsageExplorer() {}

  public static Reply page(Visit v) {
    Optional<String> subscription = Choices.guid(v.query("subscription"), "subscription");
    UsageQuery q = UsageQuery.chosen(v);
    int top = Choices.number(v.query("top"), "top", 1, 50, 10);
    String op = v.apis().operatorSubscriptionId();
    CompletableFuture<ApiClient.Answer> meters = Meters.start(v);
    CompletableFuture<ApiClient.Answer> owners = v.start(v.apis().stackAdmin(), "/subscriptions/" + op
        + "/providers/Microsoft.Subscriptions.Admin/subscriptions?api-version=2015-11-01&$top=1000");
    UsageQuery.Rows rows = q.read(v, v.apis().stackAdmin(), stretch -> "/subscriptions/" + op
        + "/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates?" + stretch.apiQuery(false)
        + subscription.map(s -> "&subscriberId=" + s).orElse(""));
    Map<String, String> names = Meters.names(meters);
    UsageFold fold = UsageFold.of(rows.rows());
    String meter = v.query("meter").filter(m -> !m.isBlank()).or(fold::largestMeter).orElse("");

    List<Block> blocks = new ArrayList<>();
    if (rows.truncated()) {
      blocks.add(Block.Notice.info("Part of the range", "The range has more usage than " + UsageQuery.MAX_PAGES
          + " pages hold: choose a shorter range or one subscription."));
    }
    Page.Builder page = v.page("Usage explorer", "/admin/usage").section(null, choices(subscription, q, meter, top, fold, names));
    if (fold.isEmpty()) {
      blocks.add(Block.Notice.info("No usage", "No usage was reported " + subscription.map(s -> "for " + s + " ").orElse("")
          + "from " + q.from() + " to " + q.to() + "."));
      return Html.page(200, page.section("Usage", blocks).build());
    }
    blocks.add(fold.chart("usage-chart", (subscription.isPresent() ? "Usage of " + subscription.get() : "Usage of every tenant")
        + ", " + q.granularity().toLowerCase(java.util.Locale.ROOT) + ", " + q.from() + " to " + q.to(), names));
    blocks.add(fold.meterTable(names));
    page.section("Usage", blocks);
    Map<String, JsonNode> bySubscription = new HashMap<>();
    for (JsonNode s : ApiClient.join(owners).json().path("value")) {
      bySubscription.put(s.path("subscriptionId").asText(s.path("name").asText()).toLowerCase(java.util.Locale.ROOT), s);
    }
    List<List<Cell>> topRows = new ArrayList<>();
    for (Map.Entry<String, BigDecimal> e : fold.top(meter, top)) {
      JsonNode s = bySubscription.get(e.getKey());
      topRows.add(List.of(Cell.link(e.getKey(), "/admin/usage?subscription=" + e.getKey() + "&from=" + q.from() + "&to="
          + q.to() + "&granularity=" + q.granularity()), Cell.text(s == null ? "" : s.path("tenantId").asText("")),
          Cell.text(s == null ? "" : s.path("owner").asText("")), Cell.number(e.getValue().toPlainString())));
    }
    page.section("Top " + top + " tenants by " + names.getOrDefault(meter, meter), new Block.Table(null,
        List.of("Subscription", "Tenant", "Owner", "Quantity"), topRows, "No tenant used this meter."));
    return Html.page(200, page.build());
  }

  private static Block.Form choices(Optional<String> subscription, UsageQuery q, String meter, int top, UsageFold fold,
      Map<String, String> names) {
    List<Block.Option> meters = new ArrayList<>();
    fold.meterTotals().keySet().forEach(m -> meters.add(new Block.Option(m, names.getOrDefault(m, m), m.equals(meter))));
    List<Field> fields = new ArrayList<>(List.of(
        Field.text("subscription", "Subscription (empty for all)", subscription.orElse(""), null),
        Field.of("date", "from", "From (UTC, inclusive)", q.from().toString()),
        Field.of("date", "to", "To (UTC, exclusive)", q.to().toString()),
        Field.select("granularity", "Granularity", List.of(new Block.Option("Daily", "Daily", q.granularity().equals("Daily")),
            new Block.Option("Hourly", "Hourly", q.granularity().equals("Hourly")))),
        Field.of("number", "top", "Top tenants", Integer.toString(top))));
    if (!meters.isEmpty()) {
      fields.add(Field.select("meter", "Rank tenants by meter", meters));
    }
    return Block.Form.get("/admin/usage", "Show", fields);
  }
}
