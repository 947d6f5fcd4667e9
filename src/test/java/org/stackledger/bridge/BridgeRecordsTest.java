package org.stackledger.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.stackledger.http.Json;
import org.stackledger.usage.UsageEvent;

/**
 * The records of one reported hour: grouped and summed as an independent fold of the events says,
 * sorted, cut into parts of 5,000 with deterministic batch ids, and the same bytes whatever order the
 * events are read in.
 */
class BridgeRecordsTest {
  private static final String CLOUD = "5f0c64b9-3a4a-4d8e-9b46-2f3c0d6b1e77";
  private static final Instant REPORTED = Instant.parse("2026-10-01T12:00:00Z");
  private static final List<String> METERS = List.of("FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5",
      "9CD92D4C-BAFD-4492-B278-BEDC2DE8232A", "09F8879E-87E9-4305-A572-4B7BE209F857");

  /** Events of a few subscriptions, over the three usage hours before the reported one. */
  private static List<UsageEvent> events(long seed, int n, int resources) {
    SplittableRandom random = new SplittableRandom(seed);
    List<String> subscriptions = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      subscriptions.add(new UUID(seed, i).toString());
    }
    List<UsageEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String sub = subscriptions.get(random.nextInt(subscriptions.size()));
      Instant hour = REPORTED.minus(1 + random.nextInt(3), ChronoUnit.HOURS);
      int from = random.nextInt(50);
      Instant start = hour.plus(from, ChronoUnit.MINUTES).plusMillis(random.nextInt(1000));
      Instant end = hour.plus(from + 1 + random.nextInt(59 - from), ChronoUnit.MINUTES);
      out.add(new UsageEvent("e" + i, sub, METERS.get(random.nextInt(METERS.size())),
          BigDecimal.valueOf(random.nextLong(0, 10_000_000), random.nextInt(8)), start, end,
          "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm"
              + random.nextInt(resources), random.nextInt(5) == 0 ? "east" : "local",
          random.nextBoolean() ? "{\"env\":\"prod\"}" : null, null));
    }
    return out;
  }

  private static List<UsageRecords.Part> build(List<UsageEvent> events, Map<String, AtomicInteger> asked) {
    UsageRecords records = new UsageRecords(REPORTED);
    events.forEach(records::add);
    return records.parts(CLOUD, sub -> {
      asked.computeIfAbsent(sub, k -> new AtomicInteger()).incrementAndGet();
      return "tenant-of-" + sub;
    });
  }

  private record Expected(BigDecimal quantity, Instant start, Instant end) {}

  @Test
  void recordsAreTheExactSumsOfTheirKeyAndTheSameBytesWhateverTheOrder() throws Exception {
    long seed = 20261126L;
    List<UsageEvent> events = events(seed, 40_000, 2_000);
    // The independent fold: one record per subscription, meter, resource, location and usage hour.
    Map<String, Expected> expected = new HashMap<>();
    for (UsageEvent e : events) {
      String key = e.subscriptionId() + "|" + e.meterId() + "|" + e.resourceUri() + "|" + e.location() + "|"
          + e.usageStartTime().truncatedTo(ChronoUnit.HOURS);
      expected.merge(key, new Expected(e.quantity(), e.usageStartTime(), e.usageEndTime()), (a, b) -> new Expected(
          a.quantity().add(b.quantity()), a.start().isBefore(b.start()) ? a.start() : b.start(),
          a.end().isAfter(b.end()) ? a.end() : b.end()));
    }
    assertThat(expected.size()).as("seed %d: enough records for several parts", seed).isGreaterThan(2 * 5_000);

    Map<String, AtomicInteger> asked = new HashMap<>();
    List<UsageRecords.Part> parts = build(events, asked);
    assertThat(asked.values()).as("each subscription's tenant is asked once per hour").allMatch(n -> n.get() == 1);

    Map<String, Expected> actual = new HashMap<>();
    List<String> keys = new ArrayList<>();
    for (int k = 0; k < parts.size(); k++) {
      UsageRecords.Part part = parts.get(k);
      String text = new String(part.json(), StandardCharsets.UTF_8);
      JsonNode body = Json.MAPPER.readTree(text);
      assertThat(body.path("batchId").asText()).isEqualTo(CLOUD + ":2026100112:" + k).isEqualTo(part.batchId());
      assertThat(body.path("cloudId").asText()).isEqualTo(CLOUD);
      assertThat(body.path("records").size()).isEqualTo(part.records())
          .isEqualTo(k < parts.size() - 1 ? 5_000 : expected.size() - 5_000 * k);
      assertThat(text).as("quantities are plain decimals").doesNotContainPattern("\"quantity\":[0-9.]*[eE]");
      for (JsonNode r : body.path("records")) {
        Instant start = Instant.parse(r.path("usageStartTime").asText());
        String key = r.path("subscriptionId").asText() + "|" + r.path("meterId").asText() + "|"
            + r.path("resourceUri").asText() + "|" + r.path("location").asText() + "|" + start.truncatedTo(ChronoUnit.HOURS);
        keys.add(key.replace("|", "\u0000"));
        assertThat(r.path("tenantId").asText()).isEqualTo("tenant-of-" + r.path("subscriptionId").asText());
        assertThat(r.path("reportedHour").asText()).isEqualTo("2026-10-01T12:00:00Z");
        assertThat(actual.put(key, new Expected(r.path("quantity").decimalValue(), start,
            Instant.parse(r.path("usageEndTime").asText())))).as("one record per key").isNull();
      }
    }
    Map<String, Expected> canonical = new HashMap<>();
    expected.forEach((k, v) -> canonical.put(k, new Expected(v.quantity().stripTrailingZeros(), v.start(), v.end())));
    actual.replaceAll((k, v) -> new Expected(v.quantity().stripTrailingZeros(), v.start(), v.end()));
    assertThat(actual).isEqualTo(canonical);
    List<String> sorted = new ArrayList<>(keys);
    Collections.sort(sorted);
    assertThat(keys).as("sorted by subscription, meter, resource, location, usage hour").isEqualTo(sorted);

    // The same hour read in another order is the same bytes, part by part.
    List<UsageEvent> shuffled = new ArrayList<>(events);
    Collections.shuffle(shuffled, new Random(seed));
    List<UsageRecords.Part> again = build(shuffled, new HashMap<>());
    assertThat(again).hasSameSizeAs(parts);
    for (int k = 0; k < parts.size(); k++) {
      assertThat(again.get(k).json()).isEqualTo(parts.get(k).json());
    }
  }

  @Test
  void everyPartIsABatchTheCloudsCommerceIntakeReadsWhole() {
    UsageRecords records = new UsageRecords(REPORTED);
    events(7L, 12_000, 3_000).forEach(records::add);
    List<UsageRecords.Part> parts = records.parts(CLOUD,
        sub -> UUID.nameUUIDFromBytes(sub.getBytes(StandardCharsets.UTF_8)).toString());
    assertThat(parts).hasSizeGreaterThan(1);
    for (UsageRecords.Part part : parts) {
      org.stackledger.commerce.UsageReport report = org.stackledger.commerce.UsageReport.parse(part.json(), id -> id);
      assertThat(report.batchId()).isEqualTo(part.batchId());
      assertThat(report.records()).hasSize(part.records());
    }
  }

  @Test
  void sumsAreExactAndPlainAndAnUnknownSubscriptionHasNoTenant() throws Exception {
    Instant hour = REPORTED.minus(1, ChronoUnit.HOURS);
    String sub = UUID.randomUUID().toString();
    UsageRecords records = new UsageRecords(REPORTED);
    for (String q : List.of("0.1", "0.2", "99.7", "0.00000000000000000001")) {
      records.add(new UsageEvent(UUID.randomUUID().toString(), sub, METERS.get(0), new BigDecimal(q), hour,
          hour.plus(1, ChronoUnit.HOURS), "/r", "local", null, null));
    }
    List<UsageRecords.Part> parts = records.parts(CLOUD, s -> null);
    assertThat(parts).hasSize(1);
    String text = new String(parts.get(0).json(), StandardCharsets.UTF_8);
    assertThat(text).contains("\"quantity\":100.00000000000000000001").contains("\"tenantId\":null");
    assertThat(new UsageRecords(REPORTED).parts(CLOUD, s -> null)).as("an hour without usage has no part").isEmpty();
  }
}
