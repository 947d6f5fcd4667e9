package org.stackledger.console.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.stackledger.console.web.Block;
import org.stackledger.http.Json;

/**
 * Usage rows folded for drawing: per meter, the quantity of each period (the chart's series), and the
 * exact totals per meter, per resource and per subscription. Quantities stay exact decimals in the
 * totals; the chart gets doubles, which is all a drawing needs.
 */
public final class UsageFold {
  private final TreeSet<Instant> periods = new TreeSet<>();
  private final Map<String, Map<Instant, BigDecimal>> byMeter = new TreeMap<>();
  private final Map<String, BigDecimal> meterTotals = new TreeMap<>();
  private final Map<String, BigDecimal> resourceTotals = new TreeMap<>();
  private final Map<String, Map<String, BigDecimal>> bySubscriptionAndMeter = new TreeMap<>();
  private final Map<String, String> resourceMeter = new TreeMap<>();

  /** Folds usage API rows ({@code properties.usageStartTime, meterId, quantity, subscriptionId, instanceData}). */
  public static UsageFold of(List<JsonNode> rows) {
    UsageFold fold = new UsageFold();
    for (JsonNode row : rows) {
      JsonNode p = row.path("properties");
      Instant start = OffsetDateTime.parse(p.path("usageStartTime").asText()).toInstant();
      String meter = p.path("meterId").asText();
      BigDecimal q = p.path("quantity").decimalValue();
      fold.periods.add(start);
      fold.byMeter.computeIfAbsent(meter, m -> new TreeMap<>()).merge(start, q, BigDecimal::add);
      fold.meterTotals.merge(meter, q, BigDecimal::add);
      fold.bySubscriptionAndMeter.computeIfAbsent(meter, m -> new TreeMap<>())
          .merge(p.path("subscriptionId").asText().toLowerCase(java.util.Locale.ROOT), q, BigDecimal::add);
      String resource = resourceUri(p.path("instanceData").asText(""));
      if (resource != null) {
        fold.resourceTotals.merge(resource + "\n" + meter, q, BigDecimal::add);
      }
    }
    return fold;
  }

  private static String resourceUri(String instanceData) {
    if (instanceData.isEmpty()) {
      return null;
    }
    try {
      return Json.EXACT.readTree(instanceData).path("Microsoft.Resources").path("resourceUri").asText(null);
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  public boolean isEmpty() {
    return periods.isEmpty();
  }

  /** Exact totals per meter id. */
  public Map<String, BigDecimal> meterTotals() {
    return meterTotals;
  }

  /** The meter with the largest total, if any: quantities of different meters are never added. */
  public java.util.Optional<String> largestMeter() {
    return meterTotals.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
  }

  /** The {@code n} subscriptions (lower-case ids) with the most of one meter, largest first, with their totals. */
  public List<Map.Entry<String, BigDecimal>> top(String meter, int n) {
    return bySubscriptionAndMeter.getOrDefault(meter, Map.of()).entrySet().stream()
        .sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed()).limit(n).toList();
  }

  /**
   * The stacked chart: one series per meter (named by {@code names}), its value per period, largest
   * meter first so the stack reads from the bottom. Exact totals travel with it for tests and readers.
   */
  public Block.Chart chart(String id, String title, Map<String, String> names) {
    ObjectNode data = Json.object();
    ArrayNode x = data.putArray("x");
    periods.forEach(p -> x.add(p.getEpochSecond()));
    ArrayNode series = data.putArray("series");
    List<String> meters = new ArrayList<>(byMeter.keySet());
    meters.sort(Comparator.comparing((String m) -> meterTotals.get(m)).reversed());
    for (String meter : meters) {
      ObjectNode s = series.addObject();
      s.put("meterId", meter);
      s.put("label", names.getOrDefault(meter, meter));
      s.put("total", meterTotals.get(meter).toPlainString());
      ArrayNode values = s.putArray("values");
      Map<Instant, BigDecimal> q = byMeter.get(meter);
      periods.forEach(p -> values.add(q.getOrDefault(p, BigDecimal.ZERO).doubleValue()));
    }
    return Block.Chart.of(id, title, "quantity per period, stacked by meter", Json.text(data));
  }

  /** Totals per meter, largest first. */
  public Block.Table meterTable(Map<String, String> names) {
    List<List<Block.Cell>> rows = new ArrayList<>();
    meterTotals.entrySet().stream().sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed())
        .forEach(e -> rows.add(List.of(Block.Cell.text(names.getOrDefault(e.getKey(), e.getKey())),
            Block.Cell.text(e.getKey()), Block.Cell.number(e.getValue().toPlainString()))));
    return new Block.Table("Total per meter", List.of("Meter", "Meter id", "Quantity"), rows,
        "No usage in this range.");
  }

  /** The {@code limit} largest resources (by quantity of one meter), with their meter. */
  public Block.Table resourceTable(Map<String, String> names, int limit) {
    List<List<Block.Cell>> rows = new ArrayList<>();
    resourceTotals.entrySet().stream().sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed()).limit(limit)
        .forEach(e -> {
          String[] parts = e.getKey().split("\n", 2);
          rows.add(List.of(Block.Cell.text(parts[0]), Block.Cell.text(names.getOrDefault(parts[1], parts[1])),
              Block.Cell.number(e.getValue().toPlainString())));
        });
    return new Block.Table("Largest resources (up to " + limit + ")", List.of("Resource", "Meter", "Quantity"), rows,
        "No usage in this range.");
  }
}
