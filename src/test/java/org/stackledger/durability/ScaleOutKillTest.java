package org.stackledger.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.stackledger.app.FileClock;
import org.stackledger.simulate.SimulatedCloud;
import org.stackledger.simulate.Simulation;
import org.stackledger.store.Database;
import org.stackledger.testing.Engine;
import org.stackledger.testing.KafkaProcess;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestDatabases;
import org.stackledger.usage.UsageEvent;

/**
 * Issue 14's scale-out, end to end with real processes: a Kafka broker of its own process and three
 * {@code serve --kafka} processes of one deployment and cloud on one PostgreSQL store — three intake
 * nodes, two of them also members of the aggregation group and commerce workers (so two aggregators, two
 * commerce workers). Two days of simulated usage of five customers (one mapped throughout, one mapped
 * part-way, three never) are posted round-robin to the intake nodes, every fourth batch also to another
 * node. An intake node is SIGKILLed while batches are posted to it (what it did not answer is posted to
 * another node, as a client retries), an aggregator-and-commerce process while the bridge ships and the
 * workers store, and later the other one; each comes back on its folder and ports. Afterwards the group's
 * markers count every event once, every customer's usage through its own tenant usage API equals its raw
 * events, and every invoice equals, to the cent, the raw events priced along the
 * mapping this test made.
 */
@Tag("slow")
class ScaleOutKillTest {
  static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
  static final Instant END = START.plus(Duration.ofDays(2));
  static final Duration STEP = Duration.ofHours(6);
  static final Instant C2_FROM = START.plus(Duration.ofHours(20)).plus(Duration.ofMinutes(30));
  static final int BATCH = 60;
  static final String V = MonthEndToEndTest.V;

  @Test
  @Timeout(value = 12, unit = TimeUnit.MINUTES)
  void threeIntakeNodesTwoAggregatorsAndTwoCommerceWorkersBillEveryEventOnceThroughKills() throws Exception {
    Path root = Files.createTempDirectory("stackledger-scale-out");
    Path clockFile = root.resolve("clock");
    FileClock.set(clockFile, START);
    FileClock clock = new FileClock(clockFile);
    Random random = new Random(1414);
    boolean passed = false;
    List<MonthEndToEndTest.Node> nodes = new ArrayList<>();
    try (KafkaProcess broker = KafkaProcess.start()) {
      String db = TestDatabases.fresh(Engine.POSTGRESQL);
      String prefix = "scale-" + UUID.randomUUID() + ".";
      List<String> common = List.of("--db", db, "--kafka", broker.bootstrap(), "--kafka-topic-prefix", prefix,
          "--clock-file", clockFile.toString());
      MonthEndToEndTest.Node n1 = node(nodes, "node-1", root, common, "intake,aggregator,commerce");
      MonthEndToEndTest.Node n2 = node(nodes, "node-2", root, common, "intake,aggregator,commerce");
      MonthEndToEndTest.Node n3 = node(nodes, "node-3", root, common, "intake");
      for (MonthEndToEndTest.Node n : nodes) {
        n.start();
      }
      SimulatedCloud world = SimulatedCloud.build(n1.plane(), n1.plane(), SimulatedCloud.Options.of(5), clock);
      SimulatedCloud.Customer c1 = world.customers().get(0);
      SimulatedCloud.Customer c2 = world.customers().get(1);
      world.map(c1);
      Map<String, String> tenantOfLocal = new HashMap<>();
      List<Simulation.Tenant> tenants = new ArrayList<>();
      for (SimulatedCloud.Customer c : world.customers()) {
        tenantOfLocal.put(c.localSubscriptionId(), c.tenantId());
        tenants.add(new Simulation.Tenant(c.localSubscriptionId(), "local"));
      }
      Iterator<List<UsageEvent>> hours = Simulation.of(71, tenants, START, END,
          new Simulation.Sizing(2, 1, 1, 1, 0)).hours();
      List<UsageEvent> sent = new ArrayList<>();
      int step = 0;
      int duplicatesPosted = 0;
      for (Instant at = START; at.isBefore(END); at = at.plus(STEP), step++) {
        Instant end = at.plus(STEP);
        if (!C2_FROM.isBefore(at) && C2_FROM.isBefore(end)) {
          FileClock.set(clockFile, C2_FROM);
          awaitClock(clock, C2_FROM, nodes);
          world.map(c2);
        }
        List<UsageEvent> events = new ArrayList<>();
        for (Instant h = at; h.isBefore(end); h = h.plus(Duration.ofHours(1))) {
          events.addAll(hours.next());
        }
        Instant now = end.plus(Duration.ofMinutes(10));
        FileClock.set(clockFile, now);
        awaitClock(clock, now, nodes);
        if (step == 3) {
          n3.start();
        }
        if (step == 5) {
          n2.start();
        }
        // Step 2: the intake-only node dies while batches are posted to it.
        int killAfter = step == 2 ? random.nextInt(Math.max(1, events.size() / BATCH)) : -1;
        for (int from = 0, b = 0; from < events.size(); from += BATCH, b++) {
          if (b == killAfter) {
            n3.kill();
          }
          List<UsageEvent> batch = events.subList(from, Math.min(events.size(), from + BATCH));
          String body = new String(UsageEvent.toJson(batch), StandardCharsets.UTF_8);
          int first = post(nodes, b, body, batch.size());
          if (b % 4 == 3) {
            duplicatesPosted++;
            JsonNode again = postTo(nodes, first + 1, body);
            assertThat(again.path("duplicates").asInt()).as("posted again to another node: %s", again).isEqualTo(
                batch.size());
          }
        }
        sent.addAll(events);
        // Step 4: an aggregator and commerce worker dies while the bridge ships and the workers store;
        // step 6: the other one, once the first is back.
        MonthEndToEndTest.Node victim = step == 4 ? n2 : step == 6 ? n1 : null;
        MonthEndToEndTest.Node shipper = victim == n1 ? n2 : n1;
        Thread killer = null;
        if (victim != null) {
          long delay = random.nextInt(1500);
          killer = new Thread(() -> {
            try {
              Thread.sleep(delay);
              victim.kill();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
          killer.start();
        }
        MonthEndToEndTest.shipAll(shipper);
        if (killer != null) {
          killer.join();
        }
        if (step == 6) {
          n1.start();
        }
      }
      assertThat(n3.process.isAlive() && n2.process.isAlive() && n1.process.isAlive()).isTrue();

      // Every hour closes; the group folds every (hour, partition) of the events; the bridge ships it all.
      Instant closing = END.plus(Duration.ofHours(3));
      FileClock.set(clockFile, closing);
      awaitClock(clock, closing, nodes);
      int[] folds = new int[1];
      try (Database store = Database.open(db, null, null)) {
        long reportedHours = store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(DISTINCT reported_hour) FROM usage_batches")
            .mapTo(Long.class).one());
        assertThat(reportedHours).as("usage reported in every step").isGreaterThanOrEqualTo(8);
        // Every event folded, and once: the group's (hour, partition) markers count the events they folded.
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
            foldedEvents(store) >= sent.size());
        assertThat(foldedEvents(store)).as("each event folded once").isEqualTo(sent.size());
        folds[0] = store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_folds WHERE granularity = 'H' "
            + "AND event_count > 0").mapTo(Integer.class).one());
      }
      assertThat(MonthEndToEndTest.shipAll(n1).path("pendingHours").asLong()).isZero();
      JsonNode status = n2.status();
      assertThat(status.path("aggregationLag")).as(status.toString()).hasSize(12);

      // Every customer's usage, read through the usage API, equals its raw events.
      Map<String, Map<String, BigDecimal>> usageExpected = new TreeMap<>();
      for (UsageEvent e : sent) {
        usageExpected.computeIfAbsent(e.subscriptionId(), k -> new TreeMap<>()).merge(
            e.meterId().toUpperCase(Locale.ROOT), e.quantity(), BigDecimal::add);
      }
      // Each customer's owner reads its own subscription's usage (the tenant usage API), signed in at its
      // own directory, on the intake-only node.
      for (SimulatedCloud.Customer c : world.customers()) {
        Map<String, BigDecimal> want = new TreeMap<>(usageExpected.get(c.localSubscriptionId()));
        want.replaceAll((k, v) -> v.stripTrailingZeros());
        assertThat(usageApi(owner(n3, c), c.localSubscriptionId(), closing)).as("usage of customer %d", c.number())
            .isEqualTo(want);
      }

      // Every invoice equals the raw events priced along the mapping, once the workers have stored it all.
      Instant finalizing = Instant.parse("2026-11-02T00:00:00Z");
      FileClock.set(clockFile, finalizing);
      awaitClock(clock, finalizing, nodes);
      Map<String, JsonNode> prices = MonthEndToEndTest.prices(n1.cloudOperator());
      Map<String, Map<String, BigDecimal>> expected = new TreeMap<>();
      for (UsageEvent e : sent) {
        String tenant = tenantOfLocal.get(e.subscriptionId());
        Instant hour = e.usageStartTime().truncatedTo(ChronoUnit.HOURS);
        String payer = world.registration().subscriptionId();
        if (tenant.equals(c1.tenantId())) {
          payer = c1.cspSubscriptionId();
        } else if (tenant.equals(c2.tenantId()) && !hour.isBefore(C2_FROM.plus(Duration.ofMinutes(30)))) {
          payer = c2.cspSubscriptionId();
        }
        expected.computeIfAbsent(payer, k -> new TreeMap<>()).merge(MonthEndToEndTest.key(e), e.quantity(),
            BigDecimal::add);
      }
      assertThat(expected).hasSize(3);
      assertThat(usageExpected).hasSize(5);
      TestClient operatorClient = n2.cloudOperator();
      for (Map.Entry<String, Map<String, BigDecimal>> e : expected.entrySet()) {
        Map<String, BigDecimal> want = new TreeMap<>(e.getValue());
        want.replaceAll((k, v) -> v.stripTrailingZeros());
        String invoice = "/subscriptions/" + e.getKey() + "/providers/Stackledger.Billing/invoices/2026-10";
        // The upload is queued; the workers store it by their own pace.
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
          TestClient.Response r = operatorClient.get(invoice + V);
          return r.status() == 200 && lines(r.json().path("properties")).equals(want);
        });
        TestClient.Response f = operatorClient.post(invoice + "/finalize" + V, null);
        assertThat(f.status()).as(f.body()).isEqualTo(200);
        JsonNode properties = f.json().path("properties");
        assertThat(properties.path("state").asText()).isEqualTo("Final");
        assertThat(lines(properties)).as("lines of %s", e.getKey()).isEqualTo(want);
        assertThat(properties.path("total").decimalValue()).as("total of %s", e.getKey())
            .isEqualByComparingTo(MonthEndToEndTest.total(want, prices));
      }
      System.out.printf("scale-out: %,d events over 3 intake nodes (%d batches posted twice), 3 kills; "
          + "%d (hour, partition) folds; totals %s%n", sent.size(), duplicatesPosted, folds[0],
          MonthEndToEndTest.totals(expected, prices));
      passed = true;
    } finally {
      for (MonthEndToEndTest.Node n : nodes) {
        n.close();
        if (!passed) {
          ServeProcess.dump(n.name, n.log);
        }
      }
      ServeProcess.deleteTree(root);
    }
  }

  private static MonthEndToEndTest.Node node(List<MonthEndToEndTest.Node> nodes, String name, Path root,
      List<String> common, String roles) throws Exception {
    List<String> args = new ArrayList<>(common);
    args.addAll(List.of("--port", Integer.toString(MonthEndToEndTest.freePorts()), "--roles", roles));
    MonthEndToEndTest.Node node = new MonthEndToEndTest.Node(name, root, args);
    nodes.add(node);
    return node;
  }

  /**
   * Posts a batch to the live intake nodes in turn from {@code turn}, as a client with retries: a node
   * that does not answer (killed) or answers 503 is passed over for the next. Answers the node that
   * took it.
   */
  private static int post(List<MonthEndToEndTest.Node> nodes, int turn, String body, int events) {
    for (int i = 0; i < nodes.size() * 3; i++) {
      int at = Math.floorMod(turn + i, nodes.size());
      MonthEndToEndTest.Node node = nodes.get(at);
      if (node.process == null || !node.process.isAlive()) {
        continue;
      }
      try {
        TestClient.Response r = node.stackAdmin().post(MonthEndToEndTest.INTAKE, body);
        if (r.status() == 200) {
          int counted = r.json().path("accepted").asInt() + r.json().path("duplicates").asInt();
          assertThat(counted).as(r.body()).isEqualTo(events);
          return at;
        }
        assertThat(r.status()).as("%s: %s", node.name, r.body()).isEqualTo(503);
      } catch (RuntimeException | java.io.IOException cutOff) {
        // Killed under the request: the next node takes it.
      }
    }
    throw new AssertionError("no intake node took the batch");
  }

  private static JsonNode postTo(List<MonthEndToEndTest.Node> nodes, int turn, String body) throws Exception {
    for (int i = 0; i < nodes.size(); i++) {
      MonthEndToEndTest.Node node = nodes.get(Math.floorMod(turn + i, nodes.size()));
      if (node.process != null && node.process.isAlive()) {
        TestClient.Response r = node.stackAdmin().post(MonthEndToEndTest.INTAKE, body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
      }
    }
    throw new AssertionError("no live intake node");
  }

  private static void awaitClock(FileClock clock, Instant at, List<MonthEndToEndTest.Node> nodes) throws Exception {
    MonthEndToEndTest.awaitClock(clock, at, nodes.toArray(MonthEndToEndTest.Node[]::new));
  }

  private static long foldedEvents(Database store) {
    return store.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(SUM(event_count), 0) FROM usage_folds "
        + "WHERE granularity = 'H'").mapTo(Long.class).one());
  }

  /** The customer's owner at a node's tenant endpoint, signed in with a password at its own directory. */
  private static TestClient owner(MonthEndToEndTest.Node node, SimulatedCloud.Customer customer) throws Exception {
    java.nio.file.Path ca = ServeProcess.certificate(node.endpoints);
    TestClient.Response token = new TestClient(node.endpoints.path("identity").asText(), ca).anonymous().form(
        "/" + customer.tenantId() + "/oauth2/v2.0/token", Map.of("grant_type", "password", "client_id",
            "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "username", customer.ownerUpn(), "password",
            customer.ownerPassword(), "scope", org.stackledger.app.Stackledger.STACK_TENANT_AUDIENCE + ".default"));
    assertThat(token.status()).as(token.body()).isEqualTo(200);
    return new TestClient(node.endpoints.path("stackTenantArm").asText(), ca)
        .withToken(token.json().path("access_token").asText());
  }

  /** A subscription's usage by meter through the tenant usage API, hourly, over the whole run. */
  private static Map<String, BigDecimal> usageApi(TestClient tenant, String subscription, Instant until) {
    Map<String, BigDecimal> out = new TreeMap<>();
    String next = "/subscriptions/" + subscription + "/providers/Microsoft.Commerce/usageAggregates"
        + "?api-version=2015-06-01-preview&aggregationGranularity=Hourly&reportedStartTime=" + START
        + "&reportedEndTime=" + until.truncatedTo(ChronoUnit.HOURS);
    while (next != null) {
      TestClient.Response r = tenant.get(next);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      for (JsonNode row : r.json().path("value")) {
        out.merge(row.path("properties").path("meterId").asText().toUpperCase(Locale.ROOT),
            new BigDecimal(row.path("properties").path("quantity").asText()), BigDecimal::add);
      }
      next = r.json().hasNonNull("nextLink") ? r.json().get("nextLink").asText() : null;
    }
    out.replaceAll((k, v) -> v.stripTrailingZeros());
    return out;
  }

  private static Map<String, BigDecimal> lines(JsonNode invoice) {
    Map<String, BigDecimal> lines = new TreeMap<>();
    for (JsonNode line : invoice.path("lines")) {
      lines.merge(line.path("localSubscriptionId").asText() + "|" + line.path("meterId").asText()
          .toUpperCase(Locale.ROOT), line.path("quantity").decimalValue(), BigDecimal::add);
    }
    lines.replaceAll((k, v) -> v.stripTrailingZeros());
    return lines;
  }
}
