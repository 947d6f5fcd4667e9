package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.http.Json;
import org.stackledger.simulate.Simulation;
import org.stackledger.testing.Engine;
import org.stackledger.testing.SteppingClock;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;
import org.stackledger.usersubscriptions.Stack;

/**
 * The deployment's usage end to end over HTTPS: simulated resource providers post through the intake
 * API, the clock moves hour by hour, and the tenant and provider usage APIs must return exactly the
 * sums computed here from the events sent — with the spec's parameter rules, error codes, paging
 * and isolation.
 */
@Tag("storage")
class UsageApiTest {
  static final String INTAKE = "/providers/Stackledger.Usage/usageEvents?api-version=2026-11-01";
  static final String Q = "api-version=2015-06-01-preview";

  /** A deployment on a clock the test moves, with tenants, subscriptions and a delegated provider. */
  static final class World implements AutoCloseable {
    final SteppingClock clock = new SteppingClock();
    final TestServer server;
    final String group = "rg-usage";
    final Stack.Guest alice;
    final Stack.Guest bob;
    final Stack.Guest reseller;
    final Stack.Guest resold;
    final String a;
    final String b;
    final String p;
    final String d;

    World(Engine engine) throws Exception {
      server = TestServer.start(engine, o -> o.withClock(clock));
      Stack s = stack();
      String offer = s.publicOffer("usage", "Public");
      alice = s.guest();
      bob = s.guest();
      reseller = s.guest();
      resold = s.guest();
      a = s.subscribe(alice, offer, null);
      b = s.subscribe(bob, offer, null);
      p = s.subscribe(reseller, offer, null);
      d = s.subscribe(resold, offer, p);
    }

    /** The operator's view, signed in afresh: tokens expire as the clock moves. */
    Stack stack() throws Exception {
      return new Stack(server, server.client(EndpointRole.STACK_ADMIN_ARM), group);
    }

    TestClient intake() throws Exception {
      return server.client(EndpointRole.STACK_ADMIN_ARM);
    }

    @Override
    public void close() throws Exception {
      server.close();
    }
  }

  static String json(List<UsageEvent> events) {
    return org.stackledger.simulate.SimulatedDeployment.json(events);
  }

  /** Posts the events in batches of at most a thousand; every one must be accepted. */
  static void send(TestClient intake, List<UsageEvent> events) {
    for (int from = 0; from < events.size(); from += 1000) {
      List<UsageEvent> batch = events.subList(from, Math.min(events.size(), from + 1000));
      TestClient.Response r = intake.post(INTAKE, json(batch));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().path("accepted").asInt() + r.json().path("duplicates").asInt()).isEqualTo(batch.size());
    }
  }

  /** Every row of every page, following nextLink. */
  static List<JsonNode> all(TestClient client, String pathAndQuery) {
    List<JsonNode> rows = new ArrayList<>();
    String next = pathAndQuery;
    while (next != null) {
      TestClient.Response r = client.get(next);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      r.json().path("value").forEach(rows::add);
      next = r.json().hasNonNull("nextLink") ? r.json().get("nextLink").asText().substring(client.baseUrl().length()) : null;
    }
    return rows;
  }

  /** Rows as (subscription | start | meter | resourceUri | tags | additionalInfo) → quantity. */
  static Map<String, BigDecimal> sums(List<JsonNode> rows) {
    Map<String, BigDecimal> out = new HashMap<>();
    for (JsonNode row : rows) {
      JsonNode p = row.path("properties");
      JsonNode data = Json.parseObject(p.path("instanceData").asText()).path("Microsoft.Resources");
      String key = p.path("subscriptionId").asText() + "|" + Instant.parse(p.path("usageStartTime").asText()
          .replace("+00:00", "Z")) + "|" + p.path("meterId").asText().toLowerCase() + "|" + data.path("resourceUri").asText()
          + "|" + data.path("tags") + "|" + data.path("additionalInfo");
      assertThat(out.put(key, new BigDecimal(p.path("quantity").asText()).stripTrailingZeros())).as("one row for " + key)
          .isNull();
    }
    return out;
  }

  /** The independent fold of what was sent, by reported period. */
  static Map<String, BigDecimal> expected(Map<Instant, List<UsageEvent>> sent, ChronoUnit unit, Set<String> subscriptions) {
    Map<String, BigDecimal> out = new HashMap<>();
    sent.forEach((reported, events) -> events.stream().filter(e -> subscriptions.contains(e.subscriptionId())).forEach(e ->
        out.merge(e.subscriptionId() + "|" + reported.truncatedTo(unit) + "|" + e.meterId().toLowerCase() + "|"
            + e.resourceUri() + "|" + (e.tags() == null ? "null" : Json.parseObject(e.tags())) + "|"
            + (e.additionalInfo() == null ? "null" : Json.parseObject(e.additionalInfo())), e.quantity(), BigDecimal::add)));
    out.replaceAll((k, v) -> v.stripTrailingZeros());
    return out;
  }

  static String window(Instant from, Instant to, String granularity) {
    return "&reportedStartTime=" + from + "&reportedEndTime=" + to + "&aggregationGranularity=" + granularity;
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void bothUsageApisReturnExactlyTheSumsOfTheEventsSent(Engine engine) throws Exception {
    try (World w = new World(engine)) {
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
