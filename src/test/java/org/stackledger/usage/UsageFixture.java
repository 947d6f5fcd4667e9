package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.stackledger.app.EndpointRole;
import org.stackledger.http.Json;
import org.stackledger.testing.Engine;
import org.stackledger.testing.SteppingClock;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;
import org.stackledger.usersubscriptions.Stack;

/**
 * What the usage API tests share: a deployment on a clock the test moves ({@link World}), the intake's
 * JSON, and the helpers that post events, follow nextLink and fold rows and events into comparable sums.
 */
final class UsageFixture {
  private UsageFixture() {}

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
    return new String(UsageEvent.toJson(events), java.nio.charset.StandardCharsets.UTF_8);
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

  /** A usage event of a virtual machine named {@code vm} in the subscription, on the meter, in the window. */
  static UsageEvent event(String subscription, String meter, String quantity, Instant start, Instant end, String vm) {
    return new UsageEvent(java.util.UUID.randomUUID().toString(), subscription, meter, new BigDecimal(quantity), start, end,
        "/subscriptions/" + subscription + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/" + vm, "local",
        null, null);
  }

  /** The base-VM meter's usage of the whole hour before {@code now}: always acceptable, reported now. */
  static UsageEvent lastHour(String subscription, Instant now, String vm) {
    Instant hour = now.truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
    return event(subscription, UsageStoreTest.BASE_VM, "1.25", hour, hour.plus(1, ChronoUnit.HOURS), vm);
  }

  static String window(Instant from, Instant to, String granularity) {
    return "&reportedStartTime=" + from + "&reportedEndTime=" + to + "&aggregationGranularity=" + granularity;
  }
}
