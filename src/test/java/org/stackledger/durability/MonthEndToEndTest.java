package org.stackledger.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.app.FileClock;
import org.stackledger.app.ServerOptions;
import org.stackledger.app.Stackledger;
import org.stackledger.simulate.SimulatedCloud;
import org.stackledger.simulate.Simulation;
import org.stackledger.testing.ChildProcessContract;
import org.stackledger.testing.TestClient;
import org.stackledger.usage.UsageEvent;

/**
 * Issue 6's month, end to end with real processes: one process plays the cloud (and deployment A),
 * a second process is deployment B registered with the first one's cloud ({@code --cloud}); both
 * read their time from one clock file the test moves. Three customers: customer 1 mapped on A only,
 * customer 2 mapped on A half-way through the month, then replaced by another of its subscriptions,
 * then removed, customer 3 never mapped. A month of simulated usage goes into both deployments'
 * intakes; the cloud process is down for three days (B's bridge backs off and its lag grows), and
 * B is killed with SIGKILL while it ships the backlog, then restarted. The month's invoices are then
 * finalized, and each billing subscription's total must equal — to the cent — the raw events summed
 * by this test along the mapping timeline it wrote, and priced by the price sheet.
 */
@Tag("slow")
class MonthEndToEndTest {
  static final Instant OCT = Instant.parse("2026-10-01T00:00:00Z");
  static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");
  static final Duration STEP = Duration.ofHours(6);
  static final String INTAKE = "/providers/Stackledger.Usage/usageEvents?api-version=2026-11-01";
  static final String BRIDGE = "/providers/Stackledger.Bridge";
  static final String V = "?api-version=2026-11-01";
  static final Instant C2_FROM = Instant.parse("2026-10-10T12:30:00Z");
  static final Instant C2B_FROM = Instant.parse("2026-10-20T03:00:00Z");
  static final Instant C2B_TO = Instant.parse("2026-10-25T08:30:00Z");
  static final Instant OUTAGE_FROM = Instant.parse("2026-10-16T00:00:00Z");
  static final Instant OUTAGE_TO = Instant.parse("2026-10-19T00:00:00Z");
  /** Just past the time a process keeps its clock before looking at the file again. */
  static final Duration CLOCK_RECHECK = FileClock.RECHECK.plusMillis(1);

  /** One server process: its folder, log and (while it runs) the process and its endpoints. */
  static final class Node implements AutoCloseable {
    final String name;
    final Path dir;
    final Path log;
    final List<String> args;
    Process process;
    JsonNode endpoints;
    /**
     * Clients by endpoint role, signed in once per clock position: a token lives an hour of the
     * process's time, which moves six hours a step, so {@link #awaitTime} drops them when it moves.
     */
    private final Map<String, TestClient> clients = new HashMap<>();

    Node(String name, Path root, List<String> args) throws IOException {
      this.name = name;
      this.dir = Files.createDirectories(root.resolve(name));
      this.log = root.resolve(name + ".log");
      this.args = args;
    }

    Node start() throws Exception {
      Files.deleteIfExists(dir.resolve("endpoints.json"));
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-cp", System.getProperty("java.class.path")));
      command.addAll(ChildProcessContract.jvmOptions());
      command.addAll(List.of("org.stackledger.Main", "serve", "--host", "127.0.0.1", "--data-dir", dir.toString()));
      command.addAll(args);
      ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      b.environment().putIfAbsent("STACKLEDGER_LOG_LEVEL", "WARN");
      b.environment().put("STACKLEDGER_ADMIN_CLIENT_ID", ServeProcess.ADMIN_ID);
      b.environment().put("STACKLEDGER_ADMIN_CLIENT_SECRET", ServeProcess.ADMIN_SECRET);
      process = b.start();
      forgetClients();
      endpoints = ServeProcess.awaitEndpoints(process, dir, log);
      return this;
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor();
      forgetClients();
    }

    void stop() throws InterruptedException {
      ServeProcess.stop(process);
      forgetClients();
    }

    /** A client of the stack admin endpoint signed in as the operator at the process's current time. */
    TestClient stackAdmin() throws IOException {
      return client("stackAdminArm", Stackledger.STACK_ADMIN_AUDIENCE);
    }

    TestClient cloudOperator() throws IOException {
      return client("cloudArm", Stackledger.CLOUD_AUDIENCE);
    }

    private synchronized TestClient client(String role, String audience) throws IOException {
      TestClient c = clients.get(role);
      if (c == null) {
        c = signedIn(role, ServeProcess.signIn(endpoints, audience));
        clients.put(role, c);
      }
      return c;
    }

    private TestClient signedIn(String role, String token) throws IOException {
      return new TestClient(endpoints.path(role).asText(), ServeProcess.certificate(endpoints)).withToken(token);
    }

    private synchronized void forgetClients() {
      clients.clear();
    }

    /**
     * Waits until this process's clock stands at {@code at} or later: the tokens it issues carry its
     * own time ({@code iat}), so signing in until one says so is the event to wait on, and that
     * token, fresh on the new clock, is kept for the step's calls.
     */
    void awaitTime(Instant at) throws IOException {
      forgetClients();
      if (process == null || !process.isAlive()) {
        return;
      }
      String[] token = new String[1];
      Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(30))
          .until(() -> {
            token[0] = ServeProcess.signIn(endpoints, Stackledger.STACK_ADMIN_AUDIENCE);
            return !issuedAt(token[0]).isBefore(at);
          });
      synchronized (this) {
        clients.put("stackAdminArm", signedIn("stackAdminArm", token[0]));
      }
    }

    SimulatedCloud.Plane plane() throws IOException {
      return SimulatedCloud.Plane.read(dir.resolve("endpoints.json"),
          new ServerOptions.AdminCredentials(ServeProcess.ADMIN_ID, ServeProcess.ADMIN_SECRET));
    }

    JsonNode ship() throws IOException {
      TestClient.Response r = stackAdmin().post(BRIDGE + "/ship" + V, null);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      return r.json();
    }

    JsonNode status() throws IOException {
      TestClient.Response r = stackAdmin().get(BRIDGE + "/status" + V);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      return r.json();
    }

    void send(List<UsageEvent> events) throws IOException {
      TestClient admin = stackAdmin();
      for (int from = 0; from < events.size(); from += 1000) {
        TestClient.Response r = admin.post(INTAKE, new String(UsageEvent.toJson(
            events.subList(from, Math.min(events.size(), from + 1000))), StandardCharsets.UTF_8));
        assertThat(r.status()).as("%s intake: %s", name, r.body()).isEqualTo(200);
      }
    }

    @Override
    public void close() throws Exception {
      if (process != null) {
        ServeProcess.stop(process);
      }
    }
  }

  @Test
  void aMonthOfTwoDeploymentsIsBilledExactlyOnceToTheRightSubscriptions() throws Exception {
    Path root = Files.createTempDirectory("stackledger-month");
    Path clockFile = root.resolve("clock");
    FileClock.set(clockFile, OCT);
    FileClock clock = new FileClock(clockFile);
    int port = freePorts();
    boolean passed = false;
    try (Node a = new Node("cloud-and-a", root, List.of("--port", Integer.toString(port), "--clock-file",
        clockFile.toString()))) {
      a.start();
      try (Node b = new Node("deployment-b", root, List.of("--port", "0", "--clock-file", clockFile.toString(),
          "--cloud", a.dir.resolve("endpoints.json").toString()))) {
        b.start();
        SimulatedCloud worldA = SimulatedCloud.build(a.plane(), a.plane(), SimulatedCloud.Options.of(3), clock);
        SimulatedCloud worldB = worldA.addDeployment(a.plane(), b.plane(), clock);
        SimulatedCloud.Customer c1 = worldA.customers().get(0);
        SimulatedCloud.Customer c2 = worldA.customers().get(1);
        String c2b = worldA.anotherSubscription(c2);
        worldA.map(c1);

        // Each local subscription: which deployment, which customer.
        Map<String, String> tenantOfLocal = new HashMap<>();
        List<Simulation.Tenant> tenantsA = new ArrayList<>();
        List<Simulation.Tenant> tenantsB = new ArrayList<>();
        for (SimulatedCloud.Customer c : worldA.customers()) {
          tenantOfLocal.put(c.localSubscriptionId(), c.tenantId());
          tenantsA.add(new Simulation.Tenant(c.localSubscriptionId(), "local"));
        }
        for (SimulatedCloud.Customer c : worldB.customers()) {
          tenantOfLocal.put(c.localSubscriptionId(), c.tenantId());
          tenantsB.add(new Simulation.Tenant(c.localSubscriptionId(), "local"));
        }
        Simulation.Sizing sizing = new Simulation.Sizing(2, 1, 1, 1, 0);
        Iterator<List<UsageEvent>> hoursA = Simulation.of(61, tenantsA, OCT, NOV, sizing).hours();
        Iterator<List<UsageEvent>> hoursB = Simulation.of(62, tenantsB, OCT, NOV, sizing).hours();
        List<UsageEvent> sentA = new ArrayList<>();
        List<UsageEvent> sentB = new ArrayList<>();
        List<UsageEvent> heldForA = new ArrayList<>();
        boolean killedMidUpload = false;
        JsonNode outageStatus = null;

        for (Instant step = OCT; step.isBefore(NOV); step = step.plus(STEP)) {
          Instant end = step.plus(STEP);
          // Mapping changes happen at their instants, on the cloud, as the partner.
          for (Instant at : List.of(C2_FROM, C2B_FROM, C2B_TO)) {
            if (!at.isBefore(step) && at.isBefore(end)) {
              FileClock.set(clockFile, at);
              awaitClock(clock, at, a, b);
              if (at.equals(C2_FROM)) {
                worldA.map(c2);
              } else if (at.equals(C2B_FROM)) {
                worldA.map(c2, c2b);
              } else {
                worldA.unmap(c2);
              }
            }
          }
          List<UsageEvent> eventsA = new ArrayList<>();
          List<UsageEvent> eventsB = new ArrayList<>();
          for (Instant h = step; h.isBefore(end); h = h.plus(Duration.ofHours(1))) {
            eventsA.addAll(hoursA.next());
            eventsB.addAll(hoursB.next());
          }
          // Resource providers report each six hours' usage ten minutes after.
          Instant now = end.plus(Duration.ofMinutes(10));
          FileClock.set(clockFile, now);
          awaitClock(clock, now, a, b);
          if (end.equals(OUTAGE_FROM)) {
            a.stop();
          }
          boolean cloudDown = !end.isBefore(OUTAGE_FROM) && end.isBefore(OUTAGE_TO);
          if (end.equals(OUTAGE_TO)) {
            a.start();
          }
          if (cloudDown) {
            heldForA.addAll(eventsA);
          } else {
            heldForA.addAll(eventsA);
            a.send(heldForA);
            sentA.addAll(heldForA);
            heldForA.clear();
          }
          b.send(eventsB);
          sentB.addAll(eventsB);

          if (cloudDown) {
            JsonNode s = b.ship();
            // The cloud's identity endpoint is as unreachable as its commerce intake.
            assertThat(s.path("state").asText()).as(s.toString()).isIn("CloudUnreachable", "SignInFailed");
            outageStatus = s;
          } else if (end.equals(OUTAGE_TO)) {
            // The backlog of the outage ships now; B is killed in the middle of it and restarted.
            TestClient watcher = b.stackAdmin();
            long before = b.status().path("shippedHours").asLong();
            CompletableFuture<Void> shipping = CompletableFuture.runAsync(() -> {
              try {
                b.stackAdmin().post(BRIDGE + "/ship" + V, null);
              } catch (IOException | RuntimeException e) {
                // The process dies under it.
              }
            });
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (System.nanoTime() < deadline) {
              JsonNode s = watcher.get(BRIDGE + "/status" + V).json();
              if (s.path("shippedHours").asLong() > before) {
                killedMidUpload = s.path("pendingHours").asLong() > 0;
                break;
              }
              Thread.sleep(5);
            }
            b.kill();
            shipping.join();
            b.start();
            shipAll(b);
          } else {
            shipAll(b);
          }
          if (!cloudDown) {
            a.ship();
          }
        }
        assertThat(outageStatus).isNotNull();
        assertThat(outageStatus.path("lagSeconds").asLong()).as("lag during the outage").isGreaterThan(24 * 3600);
        // Every closed hour of both deployments reaches the cloud.
        Instant closing = NOV.plus(Duration.ofHours(3));
        FileClock.set(clockFile, closing);
        awaitClock(clock, closing, a, b);
        assertThat(shipAll(a).path("pendingHours").asLong()).isZero();
        assertThat(shipAll(b).path("pendingHours").asLong()).isZero();

        // Finalize October for every billing subscription and compare with the raw events.
        Map<String, JsonNode> prices = prices(a.cloudOperator());
        Map<String, Map<String, BigDecimal>> expected = new TreeMap<>();
        for (UsageEvent e : sentA) {
          String tenant = tenantOfLocal.get(e.subscriptionId());
          Instant hour = e.usageStartTime().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
          String payer = worldA.registration().subscriptionId();
          if (tenant.equals(c1.tenantId())) {
            payer = c1.cspSubscriptionId();
          } else if (tenant.equals(c2.tenantId()) && !hour.isBefore(C2_FROM.plus(Duration.ofMinutes(30)))
              && hour.isBefore(C2B_FROM)) {
            payer = c2.cspSubscriptionId();
          } else if (tenant.equals(c2.tenantId()) && !hour.isBefore(C2B_FROM) && hour.isBefore(C2B_TO)) {
            payer = c2b;
          }
          expected.computeIfAbsent(payer, k -> new TreeMap<>()).merge(key(e), e.quantity(), BigDecimal::add);
        }
        for (UsageEvent e : sentB) {
          expected.computeIfAbsent(worldB.registration().subscriptionId(), k -> new TreeMap<>())
              .merge(key(e), e.quantity(), BigDecimal::add);
        }
        assertThat(expected).hasSize(5);
        Instant finalizing = NOV.plus(Duration.ofDays(1));
        FileClock.set(clockFile, finalizing);
        awaitClock(clock, finalizing, a, b);
        TestClient operator = a.cloudOperator();
        for (Map.Entry<String, Map<String, BigDecimal>> e : expected.entrySet()) {
          TestClient.Response f = operator.post("/subscriptions/" + e.getKey()
              + "/providers/Stackledger.Billing/invoices/2026-10/finalize" + V, null);
          assertThat(f.status()).as(f.body()).isEqualTo(200);
          JsonNode invoice = f.json().path("properties");
          assertThat(invoice.path("state").asText()).isEqualTo("Final");
          Map<String, BigDecimal> lines = new TreeMap<>();
          for (JsonNode line : invoice.path("lines")) {
            lines.merge(line.path("localSubscriptionId").asText() + "|"
                + line.path("meterId").asText().toUpperCase(Locale.ROOT), line.path("quantity").decimalValue(), BigDecimal::add);
          }
          lines.replaceAll((k, v) -> v.stripTrailingZeros());
          Map<String, BigDecimal> want = new TreeMap<>(e.getValue());
          want.replaceAll((k, v) -> v.stripTrailingZeros());
          if (!lines.equals(want)) {
            // Once in many CI runs an invoice came out short by one step of deployment B: say where the
            // usage stops — in B's own store, or between B and the cloud — before failing.
            diagnose(a, b, sentB, tenantOfLocal);
          }
          assertThat(lines).as("lines of %s", e.getKey()).isEqualTo(want);
          assertThat(invoice.path("total").decimalValue()).as("total of %s", e.getKey())
              .isEqualByComparingTo(total(want, prices));
        }
        assertThat(killedMidUpload).as("B was killed with hours shipped and hours pending").isTrue();
        System.out.printf("month end to end: %,d events on A, %,d on B; %d billing subscriptions, totals %s%n",
            sentA.size(), sentB.size(), expected.size(), totals(expected, prices));
        passed = true;
      }
    } finally {
      if (!passed) {
        ServeProcess.dump("cloud and deployment A", root.resolve("cloud-and-a.log"));
        ServeProcess.dump("deployment B", root.resolve("deployment-b.log"));
      }
      ServeProcess.deleteTree(root);
    }
  }

  /**
   * For each of B's local subscriptions and each step of the month: the quantity the test sent, the
   * quantity B's own usage API holds for the step's report, and the records the cloud billed for the
   * step's first usage hour — printed for the steps where they disagree, with B's bridge status.
   */
  static void diagnose(Node a, Node b, List<UsageEvent> sentB, Map<String, String> tenantOfLocal) {
    try {
      JsonNode status = b.status();
      System.err.println("B's bridge: " + status);
      String cloudId = status.path("cloudId").asText();
      Map<String, Map<Instant, BigDecimal>> sent = new TreeMap<>();
      for (UsageEvent e : sentB) {
        Instant step = stepOf(e.usageStartTime());
        sent.computeIfAbsent(e.subscriptionId(), k -> new TreeMap<>()).merge(step, e.quantity(), BigDecimal::add);
      }
      for (Map.Entry<String, Map<Instant, BigDecimal>> sub : sent.entrySet()) {
        Map<Instant, BigDecimal> held = new TreeMap<>();
        String next = "/subscriptions/" + b.endpoints.path("operatorSubscriptionId").asText()
            + "/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates"
            + "?api-version=2015-06-01-preview&aggregationGranularity=Hourly&reportedStartTime=" + OCT
            + "&reportedEndTime=" + NOV.plus(Duration.ofDays(1)) + "&subscriberId=" + sub.getKey();
        while (next != null) {
          TestClient.Response r = b.stackAdmin().get(next);
          if (r.status() != 200) {
            System.err.println("B's usage API answered " + r.status() + ": " + r.body());
            break;
          }
          for (JsonNode row : r.json().path("value")) {
            // Rows by reported hour: a step's events are reported ten minutes after it ends.
            Instant reported = Instant.parse(row.path("properties").path("usageStartTime").asText());
            held.merge(stepOf(reported).minus(STEP), new BigDecimal(row.path("properties").path("quantity").asText()), BigDecimal::add);
          }
          next = r.json().hasNonNull("nextLink") ? r.json().get("nextLink").asText() : null;
        }
        for (Map.Entry<Instant, BigDecimal> step : sub.getValue().entrySet()) {
          BigDecimal inB = held.getOrDefault(step.getKey(), BigDecimal.ZERO);
          TestClient.Response billed = a.cloudOperator().get("/providers/Stackledger.Billing/attribution" + V
              + "&cloudId=" + cloudId + "&subscriptionId=" + sub.getKey() + "&usageTime=" + step.getKey()
              + "&tenantId=" + tenantOfLocal.get(sub.getKey()));
          long records = 0;
          for (JsonNode x : billed.json().path("billed")) {
            records += x.path("records").asLong();
          }
          if (inB.compareTo(step.getValue()) != 0 || records == 0) {
            System.err.printf("B %s step %s: sent %s, B's usage API %s, cloud records for its first hour %d (%d)%n",
                sub.getKey(), step.getKey(), step.getValue(), inB, records, billed.status());
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      System.err.println("could not diagnose: " + e);
    }
  }

  static Instant stepOf(Instant usageStart) {
    long hours = Duration.between(OCT, usageStart).toHours();
    return OCT.plus(Duration.ofHours(hours - hours % STEP.toHours()));
  }

  /** Ships until nothing is pending (a pass ships what is due; a few passes clear any backlog). */
  static JsonNode shipAll(Node node) throws IOException {
    JsonNode s = node.ship();
    for (int i = 0; i < 20 && s.path("pendingHours").asLong() > 0; i++) {
      s = node.ship();
    }
    assertThat(s.path("state").asText()).as("%s bridge: %s", node.name, s).isEqualTo("Ready");
    return s;
  }

  static String key(UsageEvent e) {
    return e.subscriptionId() + "|" + e.meterId().toUpperCase(Locale.ROOT);
  }

  static Map<String, JsonNode> prices(TestClient operator) {
    TestClient.Response r = operator.get("/providers/Stackledger.Billing/priceSheet" + V
        + "&currency=USD&at=2026-10-15T00:00:00Z");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    Map<String, JsonNode> out = new HashMap<>();
    r.json().path("value").forEach(p -> out.put(p.path("meterId").asText().toUpperCase(Locale.ROOT), p));
    return out;
  }

  /** Each line (local subscription and meter) priced and rounded once to the cent, then summed. */
  static BigDecimal total(Map<String, BigDecimal> quantities, Map<String, JsonNode> prices) {
    BigDecimal total = BigDecimal.ZERO;
    for (Map.Entry<String, BigDecimal> e : quantities.entrySet()) {
      JsonNode p = prices.get(e.getKey().substring(e.getKey().indexOf('|') + 1));
      total = total.add(e.getValue().multiply(p.path("unitPrice").decimalValue())
          .divide(BigDecimal.valueOf(p.path("unitDivisor").asInt()), 2, RoundingMode.HALF_EVEN));
    }
    return total;
  }

  static Map<String, BigDecimal> totals(Map<String, Map<String, BigDecimal>> expected, Map<String, JsonNode> prices) {
    Map<String, BigDecimal> out = new TreeMap<>();
    expected.forEach((payer, q) -> out.put(payer.substring(0, 8), total(q, prices)));
    return out;
  }

  /**
   * Waits until this test's clock and each running process's clock stand at the instant. A
   * {@link FileClock} looks at its file again at most every 20 ms, so the first look after that
   * sees the new time: each process is asked only then, and then almost always once (a sign-in,
   * whose token is kept), instead of making tokens to throw away while its clock cannot have moved.
   */
  static void awaitClock(FileClock clock, Instant at, Node... nodes) throws IOException {
    Awaitility.await().pollDelay(CLOCK_RECHECK).pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(30))
        .until(() -> !clock.instant().isBefore(at));
    for (Node node : nodes) {
      node.awaitTime(at);
    }
  }

  /** A token's {@code iat}: when, by its issuer's clock, it was issued. */
  static Instant issuedAt(String jwt) throws IOException {
    String payload = jwt.substring(jwt.indexOf('.') + 1, jwt.lastIndexOf('.'));
    JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(payload));
    return Instant.ofEpochSecond(claims.path("iat").asLong());
  }

  /** A base port with the ports of every other endpoint role after it free, for a process that must come back on the same ports. */
  static int freePorts() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 40_000);
      boolean free = true;
      for (int p = base; p < base + org.stackledger.app.EndpointRole.values().length && free; p++) {
        try (ServerSocket s = new ServerSocket(p, 1, java.net.InetAddress.getLoopbackAddress())) {
          s.setReuseAddress(true);
        } catch (IOException taken) {
          free = false;
        }
      }
      if (free) {
        return base;
      }
    }
    throw new IOException("no " + org.stackledger.app.EndpointRole.values().length + " free consecutive ports");
  }
}
