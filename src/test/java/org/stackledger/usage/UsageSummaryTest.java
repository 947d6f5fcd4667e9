package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;
import static org.stackledger.usage.UsageFixture.Q;
import static org.stackledger.usage.UsageFixture.all;
import static org.stackledger.usage.UsageFixture.event;
import static org.stackledger.usage.UsageFixture.send;
import static org.stackledger.usage.UsageFixture.window;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.usersubscriptions.Stack;

/**
 * {@code showDetails=false} on the usage APIs, as Microsoft's usage aggregates define it: one row per
 * subscription, meter and period, summed over the resource instances on the server, without
 * {@code instanceData}; paged like the detailed answer. Sums are compared with a fold of the raw
 * events sent.
 */
@Tag("storage")
class UsageSummaryTest {
  private static final List<String> METERS = List.of(UsageStoreTest.BASE_VM, UsageStoreTest.WINDOWS_VM,
      UsageStoreTest.BLOB);
  /** Reported hours: with three direct tenants and three meters, 1,008 summary rows — two pages. */
  private static final int HOURS = 112;
  private static final int INSTANCES = 2;

  /** Summary rows as (subscription | period start | meter) → quantity; each key must come once. */
  private static Map<String, BigDecimal> summarySums(List<JsonNode> rows) {
    Map<String, BigDecimal> out = new HashMap<>();
    for (JsonNode row : rows) {
      JsonNode p = row.path("properties");
      assertThat(p.has("instanceData")).as("a summary row has no instance data: %s", row).isFalse();
      String key = p.path("subscriptionId").asText() + "|" + Instant.parse(p.path("usageStartTime").asText()
          .replace("+00:00", "Z")) + "|" + p.path("meterId").asText().toLowerCase();
      assertThat(out.put(key, new BigDecimal(p.path("quantity").asText()).stripTrailingZeros())).as("one row for " + key)
          .isNull();
    }
    return out;
  }

  /** The raw events folded by subscription, reported period and meter: what a summary must answer. */
  private static Map<String, BigDecimal> folded(Map<Instant, List<UsageEvent>> sent, ChronoUnit unit, Set<String> subs) {
    Map<String, BigDecimal> out = new HashMap<>();
    sent.forEach((reported, events) -> events.stream().filter(e -> subs.contains(e.subscriptionId())).forEach(e ->
        out.merge(e.subscriptionId() + "|" + reported.truncatedTo(unit) + "|" + e.meterId().toLowerCase(), e.quantity(),
            BigDecimal::add)));
    out.replaceAll((k, v) -> v.stripTrailingZeros());
    return out;
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void showDetailsFalseSumsTheInstancesOfEachMeterAndPagesLikeTheDetailedAnswer(Engine engine) throws Exception {
    long seed = new SplittableRandom().nextLong();
    SplittableRandom random = new SplittableRandom(seed);
    try (UsageFixture.World w = new UsageFixture.World(engine)) {
      Instant first = w.clock.instant().truncatedTo(ChronoUnit.HOURS);
      Map<Instant, List<UsageEvent>> sent = new HashMap<>();
      for (int h = 0; h < HOURS; h++) {
        Instant now = w.clock.instant();
        Instant usageHour = now.truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
        List<UsageEvent> batch = new ArrayList<>();
        for (String sub : List.of(w.a, w.b, w.p, w.d)) {
          for (String meter : METERS) {
            for (int i = 0; i < INSTANCES; i++) {
              String quantity = BigDecimal.valueOf(random.nextLong(1, 100_000), 3).toPlainString();
              batch.add(event(sub, meter, quantity, usageHour, usageHour.plus(1, ChronoUnit.HOURS), "vm-" + i));
            }
          }
        }
        send(w.intake(), batch);
        sent.put(now, batch);
        w.clock.advance(Duration.ofHours(1));
      }
      Instant to = w.clock.instant().truncatedTo(ChronoUnit.HOURS);
      Stack s = w.stack();
      String what = "seed " + seed;

      // Tenant API: Alice's subscription, each hour and meter once, summed over its instances.
      TestClient alice = s.asUser(w.alice, EndpointRole.STACK_TENANT_ARM);
      String tenant = "/subscriptions/" + w.a + "/providers/Microsoft.Commerce/usageAggregates?" + Q
          + window(first, to, "Hourly");
      List<JsonNode> summary = all(alice, tenant + "&showDetails=false");
      assertThat(summary).as(what).hasSize(HOURS * METERS.size());
      assertThat(summarySums(summary)).as(what).isEqualTo(folded(sent, ChronoUnit.HOURS, Set.of(w.a)));
      assertThat(all(alice, tenant + "&showDetails=True")).as("showDetails=true is the default answer")
          .hasSize(HOURS * METERS.size() * INSTANCES).isEqualTo(all(alice, tenant));
      Instant day = first.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS);
      Instant lastDay = to.truncatedTo(ChronoUnit.DAYS);
      String daily = "/subscriptions/" + w.a + "/providers/Microsoft.Commerce/usageAggregates?" + Q
          + window(day, lastDay, "Daily") + "&showDetails=false";
      Map<Instant, List<UsageEvent>> inDays = new HashMap<>();
      sent.forEach((reported, events) -> {
        if (!reported.isBefore(day) && reported.isBefore(lastDay)) {
          inDays.put(reported, events);
        }
      });
      assertThat(summarySums(all(alice, daily))).as(what).isEqualTo(folded(inDays, ChronoUnit.DAYS, Set.of(w.a)));

      // Provider API: the operator's three direct tenants (not the reseller's), 1,008 rows in two pages.
      String provider = "/subscriptions/" + s.operator() + "/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates?"
          + Q + window(first, to, "Hourly") + "&showDetails=false";
      TestClient.Response page1 = s.admin().get(provider);
      assertThat(page1.status()).as(page1.body()).isEqualTo(200);
      assertThat(page1.json().path("value")).hasSize(UsageRoutes.PAGE_SIZE);
      assertThat(page1.json().path("nextLink").asText()).contains("showDetails=false").contains("continuationToken=");
      List<JsonNode> rows = all(s.admin(), provider);
      assertThat(rows).hasSize(HOURS * METERS.size() * 3);
      assertThat(summarySums(rows)).as(what).isEqualTo(folded(sent, ChronoUnit.HOURS, Set.of(w.a, w.b, w.p)));

      // A detailed query's continuation token does not continue a summary.
      TestClient.Response detailedPage1 = s.admin().get(provider.replace("showDetails=false", "showDetails=true"));
      String token = detailedPage1.json().path("nextLink").asText().replaceAll(".*continuationToken=([^&]*).*", "$1");
      assertThat(token).isNotBlank();
      assertThat(assertError(s.admin().get(provider + "&continuationToken=" + token), 400, "InvalidProperty")
          .errorTarget()).isEqualTo("continuationToken");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aShowDetailsThatIsNotABooleanIsA400NamingIt(Engine engine) throws Exception {
    try (UsageFixture.World w = new UsageFixture.World(engine)) {
      w.clock.advance(Duration.ofHours(2));
      Instant to = w.clock.instant().truncatedTo(ChronoUnit.HOURS);
      Stack s = w.stack();
      TestClient alice = s.asUser(w.alice, EndpointRole.STACK_TENANT_ARM);

      for (String bad : new String[] {"yes", "0", "falsey"}) {
        TestClient.Response r = alice.get("/subscriptions/" + w.a + "/providers/Microsoft.Commerce/usageAggregates?" + Q
            + window(to.minus(1, ChronoUnit.HOURS), to, "Hourly") + "&showDetails=" + bad);
        assertThat(assertError(r, 400, "InvalidProperty").errorTarget()).as(bad).isEqualTo("showDetails");
      }
    }
  }
}
