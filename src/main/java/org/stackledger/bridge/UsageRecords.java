package org.stackledger.bridge;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import org.stackledger.http.Json;
import org.stackledger.usage.UsageEvent;

/**
 * One closed reported hour's usage records, as the cloud's commerce intake takes them. A record sums
 * the hour's events of one (subscription, meter, resource, location, usage hour) — the usage hour is
 * the start truncated to the hour, which a window never crosses — exactly, from the earliest start to
 * the latest end. Records are sorted by that key and cut into parts of {@link #PART_SIZE}; part k is
 * batch {@code <cloudId>:<yyyyMMddHH>:<k>}. Nothing depends on the order events are read in, so the
 * same closed hour always gives the same bytes: a re-sent batch is the batch the cloud already has.
 */
final class UsageRecords {
  static final int PART_SIZE = 5_000;
  private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);
  private static final Comparator<Key> ORDER = Comparator.comparing(Key::subscriptionId).thenComparing(Key::meterId)
      .thenComparing(Key::resourceUri).thenComparing(Key::location).thenComparing(Key::usageHour);

  /** What identifies a record on the cloud, within one deployment's reported hour. */
  record Key(String subscriptionId, String meterId, String resourceUri, String location, Instant usageHour) {}

  /** One part of the hour: its batch id, how many records it holds, and its body. */
  record Part(String batchId, int records, byte[] json) {}

  private static final class Sum {
    BigDecimal quantity;
    Instant start;
    Instant end;
  }

  private final Instant reportedHour;
  private final Map<Key, Sum> sums = new HashMap<>();

  UsageRecords(Instant reportedHour) {
    this.reportedHour = reportedHour;
  }

  /** Folds one event of the hour in. */
  void add(UsageEvent e) {
    Key key = new Key(e.subscriptionId(), e.meterId(), e.resourceUri(), e.location(),
        e.usageStartTime().truncatedTo(ChronoUnit.HOURS));
    Sum s = sums.computeIfAbsent(key, k -> new Sum());
    if (s.quantity == null) {
      s.quantity = e.quantity();
      s.start = e.usageStartTime();
      s.end = e.usageEndTime();
    } else {
      s.quantity = s.quantity.add(e.quantity());
      s.start = s.start.isAfter(e.usageStartTime()) ? e.usageStartTime() : s.start;
      s.end = s.end.isBefore(e.usageEndTime()) ? e.usageEndTime() : s.end;
    }
  }

  int records() {
    return sums.size();
  }

  static String batchId(String cloudId, Instant reportedHour, int part) {
    return cloudId + ":" + HOUR.format(reportedHour) + ":" + part;
  }

  /**
   * The hour's parts, in order.
   *
   * @param tenantOf a subscription's directory tenant ({@code null} when unknown), asked once per
   *     subscription of the hour
   */
  List<Part> parts(String cloudId, Function<String, String> tenantOf) {
    Map<Key, Sum> sorted = new TreeMap<>(ORDER);
    sorted.putAll(sums);
    Map<String, String> tenants = new HashMap<>();
    List<Part> parts = new ArrayList<>();
    ObjectNode body = null;
    ArrayNode records = null;
    String hour = reportedHour.toString();
    for (Map.Entry<Key, Sum> entry : sorted.entrySet()) {
      if (records == null || records.size() == PART_SIZE) {
        if (body != null) {
          parts.add(new Part(body.get("batchId").asText(), records.size(), Json.bytes(body)));
        }
        body = Json.object().put("batchId", batchId(cloudId, reportedHour, parts.size())).put("cloudId", cloudId);
        records = body.putArray("records");
      }
      Key k = entry.getKey();
      Sum s = entry.getValue();
      ObjectNode r = records.addObject();
      r.put("meterId", k.meterId());
      // Canonical: 2.50 and 2.5 are the same sum, and the bytes must not depend on which events came first.
      r.put("quantity", s.quantity.signum() == 0 ? BigDecimal.ZERO : s.quantity.stripTrailingZeros());
      r.put("location", k.location());
      r.put("resourceUri", k.resourceUri());
      r.put("subscriptionId", k.subscriptionId());
      String tenant = tenants.computeIfAbsent(k.subscriptionId(), id -> Objects.requireNonNullElse(tenantOf.apply(id), ""));
      r.put("tenantId", tenant.isEmpty() ? null : tenant);
      r.put("reportedHour", hour);
      r.put("usageStartTime", s.start.toString());
      r.put("usageEndTime", s.end.toString());
    }
    if (body != null) {
      parts.add(new Part(body.get("batchId").asText(), records.size(), Json.bytes(body)));
    }
    return parts;
  }
}
