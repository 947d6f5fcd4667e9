package org.stackledger.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.simulate.SettableClock;
import org.stackledger.simulate.SimulatedCloud;
import org.stackledger.simulate.Simulation;
import org.stackledger.usage.UsageEvent;

/**
 * A small billed CSP world on a server whose console signs in with its default, the
 * authorization-code flow: a partner with two customers on a registered, activated deployment,
 * customer 1 mapped from the start, six hours of simulated usage two days ago shipped by the bridge and
 * invoiced (drafts; the partner's person is a guest of each customer's directory and Owner of its CSP
 * subscription, each customer's owner Reader of it, as {@link SimulatedCloud} makes them), then the
 * clock let go to the present.
 */
public final class BilledWorld implements AutoCloseable {
  public static final int HOURS = 6;
  public final TestServer server;
  public final SimulatedCloud world;
  public final LocalDate day;
  public final YearMonth month;

  private BilledWorld(TestServer server, SimulatedCloud world, LocalDate day) {
    this.server = server;
    this.world = world;
    this.day = day;
    this.month = YearMonth.from(day);
  }

  public static BilledWorld build() throws Exception {
    LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(2);
    Instant from = day.atStartOfDay().toInstant(ZoneOffset.UTC);
    SettableClock clock = new SettableClock(from);
    TestServer server = TestServer.start(Engine.H2, o -> o.withClock(clock));
    try {
      SimulatedCloud.Plane plane = SimulatedCloud.Plane.of(server.app(), server.admin());
      SimulatedCloud world = SimulatedCloud.build(plane, plane, SimulatedCloud.Options.of(2), clock);
      world.map(world.customers().get(0));
      List<Simulation.Tenant> tenants = world.customers().stream()
          .map(c -> new Simulation.Tenant(c.localSubscriptionId(), server.app().stamp().region())).toList();
      Instant first = from.plus(Duration.ofHours(1));
      Iterator<List<UsageEvent>> hours = Simulation.of(15, tenants, first, first.plus(Duration.ofHours(HOURS)),
          new Simulation.Sizing(2, 1, 1, 0, 0)).hours();
      for (Instant hour = first; hours.hasNext(); hour = hour.plus(Duration.ofHours(1))) {
        List<UsageEvent> batch = hours.next();
        clock.set(hour.plus(Duration.ofMinutes(67)));
        TestClient intake = server.client(EndpointRole.STACK_ADMIN_ARM);
        TestClient.Response r = intake.post("/providers/Stackledger.Usage/usageEvents?api-version=2026-11-01",
            new String(UsageEvent.toJson(batch), StandardCharsets.UTF_8));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
      }
      clock.set(first.plus(Duration.ofHours(HOURS + 2)));
      for (int i = 0; i < 20 && server.app().bridge().ship().pendingHours() > 0; i++) {
        // each pass ships what is due
      }
      clock.release();
      return new BilledWorld(server, world, day);
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
  }

  public SimulatedCloud.Customer customer(int n) {
    return world.customers().get(n - 1);
  }

  /** A client of a role signed in as a customer's owner (password grant), for comparing with what others read. */
  public TestClient asOwner(SimulatedCloud.Customer c, EndpointRole role, String audience) throws Exception {
    TestClient identity = new TestClient(server.app().url(EndpointRole.IDENTITY), server.app().certificate()).anonymous();
    TestClient.Response r = identity.form("/" + c.domain() + "/oauth2/v2.0/token", Map.of("grant_type", "password",
        "client_id", "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "username", c.ownerUpn(), "password", c.ownerPassword(),
        "scope", audience + ".default"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return new TestClient(server.app().url(role), server.app().certificate()).withToken(r.json().path("access_token").asText());
  }

  public static String audience(EndpointRole role) {
    return switch (role) {
      case STACK_TENANT_ARM -> Stackledger.STACK_TENANT_AUDIENCE;
      case STACK_ADMIN_ARM -> Stackledger.STACK_ADMIN_AUDIENCE;
      default -> Stackledger.CLOUD_AUDIENCE;
    };
  }

  @Override
  public void close() throws Exception {
    server.close();
  }
}
