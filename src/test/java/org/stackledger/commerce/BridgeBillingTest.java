package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.simulate.SettableClock;
import org.stackledger.simulate.Simulation;
import org.stackledger.testing.Engine;
import org.stackledger.testing.RegisteredDeployment;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;
import org.stackledger.usage.UsageEvent;
import org.stackledger.usersubscriptions.Stack;

/**
 * The whole connected path in one process, then the disconnected one: simulated resource providers
 * post events to the deployment's intake, the bridge signs in with the deployment's key and ships
 * every closed hour, commerce bills them on the registration subscription's invoice — whose lines
 * must equal the raw events summed in this test and priced by the price sheet. The same hours then
 * arrive again in a signed usage file and count nothing twice; and a second, disconnected deployment
 * that only exports files reaches the same totals.
 */
class BridgeBillingTest {
  static final Instant OCT = Instant.parse("2026-10-01T00:00:00Z");
  static final Duration DAYS = Duration.ofDays(2);
  static final String INTAKE = "/providers/Stackledger.Usage/usageEvents?api-version=2026-11-01";
  static final String BRIDGE = "/providers/Stackledger.Bridge";
  static final String V = "?api-version=2026-11-01";

  /** One deployment registered with its own process's cloud, with three guest tenants' subscriptions. */
  record World(TestServer server, SettableClock clock, RegisteredDeployment registration, List<String> subscriptions)
      implements AutoCloseable {
    static World start() throws Exception {
      return start(java.util.function.UnaryOperator.identity());
    }

    /** @param adjust more options of the server (Kafka) */
    static World start(java.util.function.UnaryOperator<org.stackledger.app.ServerOptions> adjust) throws Exception {
      SettableClock clock = new SettableClock(OCT);
      TestServer server = TestServer.start(Engine.H2, o -> adjust.apply(o.withClock(clock)));
      RegisteredDeployment registration = RegisteredDeployment.register(server);
      Stack stack = Stack.of(server);
      String offer = stack.publicOffer("billing", "Public");
      List<String> subscriptions = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        subscriptions.add(stack.subscribe(stack.guest(), offer, null));
      }
      return new World(server, clock, registration, subscriptions);
    }

    /** The CSP partner that owns the registration subscription, signed in now (tests move the clock by days). */
    TestClient csp() {
      TestServer.TestTenant t = registration.csp();
      return server.client().anonymous().withToken(server.token(t.clientId(), t.clientSecret(), t.tenantId(),
          org.stackledger.app.Stackledger.CLOUD_AUDIENCE));
    }

    TestClient operator() {
      return server.client().anonymous().withToken(server.token(server.admin().clientId(), server.admin().clientSecret(),
          server.app().homeTenantId(), org.stackledger.app.Stackledger.CLOUD_AUDIENCE));
    }

    TestClient admin() throws Exception {
      return server.client(EndpointRole.STACK_ADMIN_ARM);
    }

    /** Sends each simulated hour's events when the hour is over, as resource providers do; answers them all. */
    List<UsageEvent> run(long seed) throws Exception {
      List<Simulation.Tenant> tenants = subscriptions.stream().map(s -> new Simulation.Tenant(s, "local")).toList();
      List<UsageEvent> sent = new ArrayList<>();
      Iterator<List<UsageEvent>> hours = Simulation.of(seed, tenants, OCT, OCT.plus(DAYS), Simulation.Sizing.standard())
          .hours();
      Instant hour = OCT;
      while (hours.hasNext()) {
        List<UsageEvent> events = hours.next();
        hour = hour.plus(Duration.ofHours(1));
        clock.set(hour.plus(Duration.ofMinutes(7)));
        TestClient admin = admin();
        for (int from = 0; from < events.size(); from += 1000) {
          TestClient.Response r = admin.post(INTAKE, new String(UsageEvent.toJson(
              events.subList(from, Math.min(events.size(), from + 1000))), StandardCharsets.UTF_8));
          assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        sent.addAll(events);
      }
      clock.set(hour.plus(Duration.ofHours(3)));
      return sent;
    }

    JsonNode invoice() {
      TestClient.Response r = csp().get("/subscriptions/" + registration.csp().subscriptionId()
          + "/providers/Stackledger.Billing/invoices/2026-10?api-version=2026-11-01");
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      return r.json();
    }

    JsonNode importFile(byte[] file) {
      TestClient.Response r = csp().post("/providers/Stackledger.Billing/usageFiles" + V,
          new String(file, StandardCharsets.UTF_8));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      return r.json();
    }

    byte[] exportFile() throws Exception {
      TestClient.Response r = admin().get(BRIDGE + "/usageFile" + V + "&from=" + OCT + "&to="
          + clock.instant().minus(Duration.ofHours(2)).truncatedTo(java.time.temporal.ChronoUnit.HOURS));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      return r.body().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
      server.close();
    }
  }

  @Test
  void shippedHoursAreBilledExactlyOnceAndAFileGivesTheSameTotals() throws Exception {
    BigDecimal connectedTotal;
    Map<String, BigDecimal> perMeter;
    try (World w = World.start()) {
      List<UsageEvent> sent = w.run(11);
      JsonNode status = null;
      for (int i = 0; i < 10; i++) {
        status = w.admin().post(BRIDGE + "/ship" + V, null).json();
        if (status.path("pendingHours").asLong() == 0) {
          break;
        }
      }
      assertThat(status.path("state").asText()).as(status.toString()).isEqualTo("Ready");
      assertThat(status.path("pendingHours").asLong()).isZero();
      assertThat(status.path("lagSeconds").asLong()).isZero();

      JsonNode invoice = w.invoice();
      Map<String, BigDecimal> expected = sums(sent);
      assertThat(AttributionAndInvoicesTest.quantities(invoice)).isEqualTo(expected);
      Map<String, JsonNode> prices = AttributionAndInvoicesTest.prices(w.operator(), "2026-10-02T00:00:00Z");
      connectedTotal = invoice.path("properties").path("total").decimalValue();
      assertThat(connectedTotal).isEqualByComparingTo(AttributionAndInvoicesTest.total(expected, prices));
      assertThat(connectedTotal.signum()).as("usage of priced meters was sent").isPositive();

      // The same hours by file: every record is already there.
      JsonNode imported = w.importFile(w.exportFile());
      assertThat(imported.path("records").asInt()).isPositive();
      assertThat(imported.path("accepted").asInt()).isZero();
      assertThat(w.invoice()).isEqualTo(invoice);
      perMeter = byMeter(expected);

      // A file whose signature does not hold is refused whole.
      byte[] file = w.exportFile();
      JsonNode tampered = org.stackledger.http.Json.MAPPER.readTree(file);
      String sig = tampered.path("signature").asText();
      ((com.fasterxml.jackson.databind.node.ObjectNode) tampered).put("signature",
          (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1));
      TestClient.Response refused = w.csp().post("/providers/Stackledger.Billing/usageFiles" + V,
          org.stackledger.http.Json.text(tampered));
      assertThat(refused.status()).as(refused.body()).isEqualTo(400);
      assertThat(refused.errorCode()).isEqualTo("InvalidUsageFileSignature");
    }

    try (World w = World.start()) {
      assertThat(w.admin().post(BRIDGE + "/disconnect" + V, null).json().path("state").asText()).isEqualTo("Disconnected");
      List<UsageEvent> sent = w.run(11);
      assertThat(w.admin().post(BRIDGE + "/ship" + V, null).json().path("shippedRecords").asLong()).isZero();
      JsonNode imported = w.importFile(w.exportFile());
      assertThat(imported.path("accepted").asInt()).isEqualTo(imported.path("records").asInt()).isPositive();
      JsonNode again = w.importFile(w.exportFile());
      assertThat(again.path("accepted").asInt()).as("the same file twice counts once").isZero();
      JsonNode invoice = w.invoice();
      assertThat(AttributionAndInvoicesTest.quantities(invoice)).isEqualTo(sums(sent));
      assertThat(byMeter(sums(sent))).isEqualTo(perMeter);
      assertThat(invoice.path("properties").path("total").decimalValue()).isEqualByComparingTo(connectedTotal);
    }
  }

  /** Raw events summed per local subscription and meter, as invoice lines are keyed in the test. */
  static Map<String, BigDecimal> sums(List<UsageEvent> events) {
    Map<String, BigDecimal> out = new TreeMap<>();
    for (UsageEvent e : events) {
      out.merge(e.subscriptionId() + "|" + e.meterId().toUpperCase(java.util.Locale.ROOT), e.quantity(), BigDecimal::add);
    }
    out.replaceAll((k, v) -> v.stripTrailingZeros());
    return out;
  }

  static Map<String, BigDecimal> byMeter(Map<String, BigDecimal> sums) {
    Map<String, BigDecimal> out = new TreeMap<>();
    sums.forEach((k, v) -> out.merge(k.substring(k.indexOf('|') + 1), v, BigDecimal::add));
    return out;
  }
}
