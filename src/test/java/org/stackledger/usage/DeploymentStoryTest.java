package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.simulate.Simulation;
import org.stackledger.testing.Engine;
import org.stackledger.testing.RegisteredDeployment;
import org.stackledger.testing.SteppingClock;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;
import org.stackledger.usersubscriptions.Stack;

/**
 * Issue 5's story over HTTPS, start to finish: the deployment makes a registration token, the CSP
 * registers it in the cloud and gets the activation key, the deployment is activated with it (and
 * its usage bridge can sign in to the cloud as the registration's principal), three
 * customers' directories are onboarded as guests, the operator gives each a subscription, simulated
 * resource providers report two days of usage, and each customer's own usage API and the operator's
 * provider API return exactly the sums of what was sent.
 */
class DeploymentStoryTest {
  private static final String BRIDGE = "?api-version=2016-01-01";

  @Test
  void registeredDeploymentWithGuestTenantsReportsExactlyWhatWasSent() throws Exception {
    SteppingClock clock = new SteppingClock();
    try (TestServer server = TestServer.start(Engine.H2, o -> o.withClock(clock))) {
      String operator = server.app().operatorSubscriptionId();
      TestClient admin = server.client(EndpointRole.STACK_ADMIN_ARM);

      // Registration: token on the deployment, registration and activation key in the cloud, activation.
      RegisteredDeployment registered = RegisteredDeployment.register(server);
      // The usage bridge can sign in to the cloud as the registration's own principal.
      assertThat(com.nimbusds.jwt.SignedJWT.parse(server.app().bridgeSignIn().accessToken(
          org.stackledger.app.Stackledger.CLOUD_AUDIENCE)).getJWTClaimsSet().getStringClaim("oid"))
          .isEqualTo(registered.objectId());
      assertThat(admin.get("/providers/Microsoft.AzureBridge.Admin/stampInfo" + BRIDGE).json().path("properties")
          .path("registrationStatus").asText()).isEqualTo("Registered");

      // Multi-tenancy: three customers' directories onboarded through the admin API, each with a user.
      Stack stack = new Stack(server, admin, "story");
      String offer = stack.publicOffer("story", "Public");
      List<Stack.Guest> guests = new ArrayList<>();
      List<String> subscriptions = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        TestServer.TestTenant customer = server.newTenant("customer" + i + "-" + UUID.randomUUID().toString().substring(0, 6)
            + ".onmicrosoft.local");
        TestClient.Response onboarded = admin.put("/subscriptions/" + operator + "/resourceGroups/system.local/providers/"
            + "Microsoft.Subscriptions.Admin/directoryTenants/" + customer.domain() + "?api-version=2015-11-01", "{}");
        assertThat(onboarded.status()).as(onboarded.body()).isEqualTo(201);
        assertThat(onboarded.json().path("properties").path("tenantId").asText()).isEqualTo(customer.tenantId());
        String upn = "owner@" + customer.domain();
        server.app().directory().createUser(customer.tenantId(), upn, "Owner", "a-long-enough-password");
        Stack.Guest guest = new Stack.Guest(customer, upn, "a-long-enough-password");
        guests.add(guest);
        subscriptions.add(stack.subscribe(guest, offer, null));
      }

      // Two days of usage from the simulated resource providers, each hour reported when it ends.
      Instant start = clock.instant().truncatedTo(ChronoUnit.HOURS);
      List<Simulation.Tenant> tenants = subscriptions.stream().map(s -> new Simulation.Tenant(s, "local")).toList();
      Simulation sim = Simulation.of(5, tenants, start.minus(48, ChronoUnit.HOURS), start, Simulation.Sizing.standard());
      Map<Instant, List<UsageEvent>> sent = new HashMap<>();
      for (var hours = sim.hours(); hours.hasNext(); ) {
        List<UsageEvent> events = hours.next();
        UsageFixture.send(server.client(EndpointRole.STACK_ADMIN_ARM), events);
        sent.computeIfAbsent(clock.instant(), k -> new ArrayList<>()).addAll(events);
        clock.advance(Duration.ofMinutes(30));
      }
      clock.advance(Duration.ofDays(1));
      Instant from = start.truncatedTo(ChronoUnit.DAYS);
      Instant to = clock.instant().truncatedTo(ChronoUnit.DAYS);
      String window = UsageFixture.window(from, to, "Hourly");

      for (int i = 0; i < guests.size(); i++) {
        TestClient own = stack.asUser(guests.get(i), EndpointRole.STACK_TENANT_ARM);
        List<JsonNode> rows = UsageFixture.all(own, "/subscriptions/" + subscriptions.get(i)
            + "/providers/Microsoft.Commerce/usageAggregates?" + UsageFixture.Q + window);
        assertThat(rows).isNotEmpty();
        assertThat(UsageFixture.sums(rows)).isEqualTo(UsageFixture.expected(sent, ChronoUnit.HOURS, Set.of(subscriptions.get(i))));
      }
      TestClient operatorClient = server.client(EndpointRole.STACK_ADMIN_ARM);
      List<JsonNode> all = UsageFixture.all(operatorClient, "/subscriptions/" + operator
          + "/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates?" + UsageFixture.Q
          + UsageFixture.window(from, to, "Daily"));
      assertThat(UsageFixture.sums(all)).isEqualTo(UsageFixture.expected(sent, ChronoUnit.DAYS, new HashSet<>(subscriptions)));
    }
  }
}
