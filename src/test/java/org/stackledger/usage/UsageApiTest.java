package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;
import static org.stackledger.usage.UsageFixture.INTAKE;
import static org.stackledger.usage.UsageFixture.Q;
import static org.stackledger.usage.UsageFixture.all;
import static org.stackledger.usage.UsageFixture.expected;
import static org.stackledger.usage.UsageFixture.json;
import static org.stackledger.usage.UsageFixture.send;
import static org.stackledger.usage.UsageFixture.sums;
import static org.stackledger.usage.UsageFixture.window;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.simulate.Simulation;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.usersubscriptions.Stack;

/**
 * The deployment's usage end to end over HTTPS: simulated resource providers post through the intake
 * API, the clock moves hour by hour, and the tenant and provider usage APIs must return exactly the
 * sums computed here from the events sent — with the spec's parameter rules, error codes, paging
 * and isolation.
 */
@Tag("storage")
class UsageApiTest {
  @ParameterizedTest
  @EnumSource(Engine.class)
  void bothUsageApisReturnExactlyTheSumsOfTheEventsSent(Engine engine) throws Exception {
    try (UsageFixture.World w = new UsageFixture.World(engine)) {
      Instant start = w.clock.instant().truncatedTo(ChronoUnit.HOURS);
      // Resource providers report each hour shortly after it ends; the last hours arrive late, together.
      Simulation sim = Simulation.of(11, List.of(new Simulation.Tenant(w.a, "local"), new Simulation.Tenant(w.b, "local"),
          new Simulation.Tenant(w.p, "local"), new Simulation.Tenant(w.d, "local")), start.minus(30, ChronoUnit.HOURS),
          start, Simulation.Sizing.standard());
      Map<Instant, List<UsageEvent>> sent = new HashMap<>();
      List<List<UsageEvent>> hours = new ArrayList<>();
      sim.run(hours::add);
      for (int h = 0; h < hours.size(); h++) {
        List<UsageEvent> events = hours.get(h);
        if (h >= 24 && h < hours.size() - 1) {
          // Held back: these hours arrive late, with the last one.
          events = new ArrayList<>(events);
          continue;
        }
        List<UsageEvent> batch = new ArrayList<>(events);
        if (h == hours.size() - 1) {
          for (int late = 24; late < hours.size() - 1; late++) {
            batch.addAll(hours.get(late));
          }
        }
        send(w.intake(), batch);
        sent.computeIfAbsent(w.clock.instant(), k -> new ArrayList<>()).addAll(batch);
        w.clock.advance(Duration.ofMinutes(47));
      }
      w.clock.advance(Duration.ofDays(2));
      Instant from = sent.keySet().stream().min(Instant::compareTo).orElseThrow().truncatedTo(ChronoUnit.DAYS);
      Instant to = w.clock.instant().truncatedTo(ChronoUnit.DAYS);
      Stack s = w.stack();

      // Tenant API: Alice sees her own subscription, hourly and daily, exactly.
      TestClient alice = s.asUser(w.alice, EndpointRole.STACK_TENANT_ARM);
      String tenantPath = "/subscriptions/" + w.a + "/providers/Microsoft.Commerce/usageAggregates?" + Q;
      List<JsonNode> hourly = all(alice, tenantPath + window(from, to, "Hourly"));
      assertThat(hourly).isNotEmpty();
      assertThat(sums(hourly)).isEqualTo(expected(sent, ChronoUnit.HOURS, Set.of(w.a)));
      assertThat(sums(all(alice, tenantPath + window(from, to, "daily")))).isEqualTo(expected(sent, ChronoUnit.DAYS, Set.of(w.a)));
      JsonNode row = hourly.get(0);
      assertThat(row.path("type").asText()).isEqualTo("Microsoft.Commerce/UsageAggregate");
      assertThat(row.path("name").asText()).isEqualTo(w.a + "-" + row.path("properties").path("meterId").asText());
      assertThat(row.path("id").asText()).isEqualTo("/subscriptions/" + w.a + "/providers/Microsoft.Commerce/UsageAggregate/"
          + row.path("name").asText());
      assertThat(row.path("properties").path("instanceData").isTextual()).isTrue();
      assertThat(row.path("properties").path("usageStartTime").asText()).endsWith(":00:00+00:00");

      // Provider API: the operator sees its direct tenants (Alice, Bob, the reseller), not the reseller's tenant.
      String providerPath = "/subscriptions/" + s.operator() + "/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates?" + Q;
      Set<String> direct = Set.of(w.a, w.b, w.p);
      List<JsonNode> daily = all(s.admin(), providerPath + window(from, to, "Daily"));
      assertThat(sums(daily)).isEqualTo(expected(sent, ChronoUnit.DAYS, direct));
      assertThat(daily.get(0).path("type").asText()).isEqualTo("Microsoft.Commerce.Admin/UsageAggregate");
      assertThat(sums(all(s.admin(), providerPath + window(from, to, "Hourly") + "&subscriberId=" + w.b.toUpperCase())))
          .isEqualTo(expected(sent, ChronoUnit.HOURS, Set.of(w.b)));
      String pre1808 = "/subscriptions/" + s.operator() + "/providers/Microsoft.Commerce/subscriberUsageAggregates?" + Q;
      List<JsonNode> old = all(s.admin(), pre1808 + window(from, to, "Daily"));
      assertThat(sums(old)).isEqualTo(sums(daily));
      assertThat(old.get(0).path("type").asText()).isEqualTo("Microsoft.Commerce/UsageAggregate");
      assertThat(assertError(s.admin().get(providerPath + window(from, to, "Daily") + "&subscriberId=" + w.d), 400,
          "SubscriberIdIsNotDirectTenant").errorTarget()).isEqualTo("subscriberId");

      // The reseller, a delegated provider, sees its own tenant and nobody else.
      TestClient reseller = s.asUser(w.reseller, EndpointRole.STACK_ADMIN_ARM);
      String resellerPath = "/subscriptions/" + w.p + "/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates?" + Q;
      assertThat(sums(all(reseller, resellerPath + window(from, to, "Daily")))).isEqualTo(expected(sent, ChronoUnit.DAYS, Set.of(w.d)));
      assertError(reseller.get(resellerPath + window(from, to, "Daily") + "&subscriberId=" + w.a), 400,
          "SubscriberIdIsNotDirectTenant");

      // Isolation: Bob cannot read Alice's usage (404, as for a subscription that does not exist).
      TestClient bob = s.asUser(w.bob, EndpointRole.STACK_TENANT_ARM);
      assertThat(bob.get(tenantPath + window(from, to, "Daily")).status()).isEqualTo(404);
      assertThat(bob.get("/subscriptions/" + s.operator() + "/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates?"
          + Q + window(from, to, "Daily")).status()).isEqualTo(404);

      // A deleted subscription's usage stays readable by the provider, and it takes no new usage.
      assertThat(s.admin().delete(s.subscription(w.b) + Stack.V).status()).isBetween(200, 204);
      assertThat(sums(all(s.admin(), providerPath + window(from, to, "Daily") + "&subscriberId=" + w.b)))
          .isEqualTo(expected(sent, ChronoUnit.DAYS, Set.of(w.b)));
      UsageEvent one = hours.get(0).stream().filter(e -> e.subscriptionId().equals(w.b)).findFirst().orElseThrow();
      UsageEvent fresh = new UsageEvent(UUID.randomUUID().toString(), one.subscriptionId(), one.meterId(), one.quantity(),
          w.clock.instant().truncatedTo(ChronoUnit.HOURS), w.clock.instant().truncatedTo(ChronoUnit.HOURS).plusSeconds(60),
          one.resourceUri(), one.location(), null, null);
      assertThat(assertError(w.intake().post(INTAKE, json(List.of(fresh))), 400, "SubscriptionDeleted").errorTarget())
          .isEqualTo("events[0].subscriptionId");
    }
  }
}
