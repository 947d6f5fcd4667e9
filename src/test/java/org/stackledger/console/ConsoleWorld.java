package org.stackledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.simulate.SettableClock;
import org.stackledger.simulate.SimulatedCloud;
import org.stackledger.simulate.Simulation;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;
import org.stackledger.usage.UsageEvent;

/**
 * A small billed world for the console's tests, on a server whose console signs in with its default,
 * the authorization-code flow: a CSP partner with two customers on a registered, activated deployment,
 * customer 1 mapped from the start, six hours of simulated usage two days ago shipped by the bridge and
 * invoiced (drafts; each customer's owner is Reader of its own CSP subscription, as the world makes it),
 * then the clock let go to the present. A browser signs in with a user name and password,
 * so the operator and the partner sign in as users ({@link ConsoleUsers}): the server's admin user and
 * the world's partner person.
 */
final class ConsoleWorld implements AutoCloseable {
  static final int HOURS = 6;
  final TestServer server;
  final SimulatedCloud world;
  final LocalDate day;
  final YearMonth month;
  final ConsoleUsers.User operator;
  final ConsoleUsers.User partner;

  private ConsoleWorld(TestServer server, SimulatedCloud world, LocalDate day) throws Exception {
    this.server = server;
    this.world = world;
    this.day = day;
    this.month = YearMonth.from(day);
    this.operator = ConsoleUsers.operator(server);
    this.partner = ConsoleUsers.partner(world.partner());
  }

  static ConsoleWorld build() throws Exception {
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
      return new ConsoleWorld(server, world, day);
    } catch (Exception | Error e) {
      server.close();
      throw e;
    }
  }

  String console() {
    return server.app().url(EndpointRole.CONSOLE);
  }

  SimulatedCloud.Customer customer(int n) {
    return world.customers().get(n - 1);
  }

  /** A client of a role signed in as a customer's owner (password grant), for comparing with the console. */
  TestClient asOwner(SimulatedCloud.Customer c, EndpointRole role, String audience) throws Exception {
    TestClient identity = new TestClient(server.app().url(EndpointRole.IDENTITY), server.app().certificate()).anonymous();
    TestClient.Response r = identity.form("/" + c.domain() + "/oauth2/v2.0/token", java.util.Map.of("grant_type", "password",
        "client_id", "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "username", c.ownerUpn(), "password", c.ownerPassword(),
        "scope", audience + ".default"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return new TestClient(server.app().url(role), server.app().certificate()).withToken(r.json().path("access_token").asText());
  }

  static String audience(EndpointRole role) {
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
