package org.stackledger.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.ServerOptions;
import org.stackledger.app.Stackledger;
import org.stackledger.http.Json;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * A world of three customers built over HTTPS on one server: the deployment is registered and
 * activated, each customer's owner signs in to the deployment with its own directory and sees its user
 * subscription, and usage the bridge uploads lands on the invoice of the CSP subscription mapped for
 * its directory at the usage hour — customer 1 mapped all month, customer 2 mapped to a second
 * subscription mid-month and removed later, customer 3 never mapped (the registration pays).
 */
class SimulatedCloudTest {
  static final Instant OCT = Instant.parse("2026-10-01T00:00:00Z");
  static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";

  @Test
  void mappedCustomersUsageIsBilledToItsCspSubscriptionAndTheRestToTheRegistration() throws Exception {
    SettableClock clock = new SettableClock(OCT.minus(Duration.ofDays(1)));
    try (TestServer server = TestServer.start(Engine.H2, o -> o.withClock(clock))) {
      SimulatedCloud.Plane plane = SimulatedCloud.Plane.of(server.app(), server.admin());
      SimulatedCloud world = SimulatedCloud.build(plane, plane, SimulatedCloud.Options.of(3), clock);
      List<SimulatedCloud.Customer> c = world.customers();
      assertThat(c).hasSize(3);
      assertThat(c).extracting(SimulatedCloud.Customer::tenantId).doesNotHaveDuplicates()
          .doesNotContain(world.partner().tenantId());
      JsonNode stamp = server.client(EndpointRole.STACK_ADMIN_ARM)
          .get("/providers/Microsoft.AzureBridge.Admin/stampInfo?api-version=2016-01-01").json().path("properties");
      assertThat(stamp.path("registrationStatus").asText()).isEqualTo("Registered");
      assertThat(stamp.path("cloudId").asText()).isEqualTo(world.cloudId());
      assertThat(owner(server, c.get(0)).get("/subscriptions/" + c.get(0).localSubscriptionId()
          + "?api-version=2015-11-01").status()).as("the owner signs in with the customer's own directory").isEqualTo(200);

      world.map(c.get(0));
      clock.set(OCT.plus(Duration.ofDays(10)));
      String second = world.anotherSubscription(c.get(1));
      world.map(c.get(1), second);
      clock.set(OCT.plus(Duration.ofDays(20)));
      world.unmap(c.get(1));
      clock.set(OCT.plus(Duration.ofDays(31)).plus(Duration.ofHours(3)));

      Instant early = OCT.plus(Duration.ofDays(5));
      Instant mid = OCT.plus(Duration.ofDays(15));
      Instant late = OCT.plus(Duration.ofDays(25));
      ArrayNode records = Json.MAPPER.createArrayNode();
      for (SimulatedCloud.Customer customer : c) {
        for (Instant hour : List.of(early, mid, late)) {
          add(records, customer, hour, "1.5");
        }
      }
      TestClient bridge = client(server, world.registration().bridgeAppId(), world.registration().bridgeSecret(),
          world.partner().tenantId());
      ObjectNode batch = Json.object().put("batchId", "test-1").put("cloudId", world.cloudId());
      batch.set("records", records);
      TestClient.Response uploaded = bridge.post(world.registration().id() + "/usage?api-version=2017-06-01",
          Json.text(batch));
      assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(200);
      assertThat(uploaded.json().path("accepted").asInt()).isEqualTo(9);

      // The partner reads each invoice signed in to the subscription's directory (admin on behalf of).
      assertThat(quantities(partner(server, world, c.get(0).tenantId()), c.get(0).cspSubscriptionId()))
          .as("mapped all month").isEqualTo(Map.of(c.get(0).localSubscriptionId(), new BigDecimal("4.5")));
      assertThat(quantities(partner(server, world, c.get(1).tenantId()), second)).as("mapped from day 10 to day 20")
          .isEqualTo(Map.of(c.get(1).localSubscriptionId(), new BigDecimal("1.5")));
      assertThat(quantities(partner(server, world, world.partner().tenantId()), world.registration().subscriptionId()))
          .as("no mapping: the registration pays")
          .isEqualTo(Map.of(c.get(1).localSubscriptionId(), new BigDecimal("3.0"),
              c.get(2).localSubscriptionId(), new BigDecimal("4.5")));
    }
  }

  /**
   * The deployment is another server's stack plane, registered with the first server's cloud plane
   * ({@code serve --cloud}), and is reached only through its endpoints.json and its operator's sign-in.
   */
  @Test
  void theDeploymentMayBeAnotherServersStackPlane() throws Exception {
    SettableClock clock = new SettableClock(OCT);
    try (TestServer cloud = TestServer.start(Engine.H2, o -> o.withClock(clock));
        TestServer stack = TestServer.start(Engine.H2, o -> o.withClock(clock).withCloud(new ServerOptions.Cloud(
            cloud.app().url(EndpointRole.CLOUD_ARM), cloud.app().url(EndpointRole.IDENTITY), cloud.app().homeTenantId(),
            cloud.app().certificate())))) {
      SimulatedCloud world = SimulatedCloud.build(SimulatedCloud.Plane.of(cloud.app(), cloud.admin()),
          SimulatedCloud.Plane.read(stack.dataDir().resolve("endpoints.json"), stack.admin()),
          SimulatedCloud.Options.of(2), clock);
      assertThat(world.cloudId()).isEqualTo(stack.app().stamp().cloudId()).isNotEqualTo(cloud.app().stamp().cloudId());
      JsonNode stamp = stack.client(EndpointRole.STACK_ADMIN_ARM)
          .get("/providers/Microsoft.AzureBridge.Admin/stampInfo?api-version=2016-01-01").json().path("properties");
      assertThat(stamp.path("registrationStatus").asText()).isEqualTo("Registered");
      for (SimulatedCloud.Customer c : world.customers()) {
        assertThat(stack.app().guestDirectories().isOnboarded(c.tenantId())).isTrue();
        assertThat(stack.app().userSubscriptions().find(c.localSubscriptionId())).isPresent();
        assertThat(cloud.app().directory().tenant(c.tenantId())).as("the customer's directory is the cloud's").isPresent();
      }
      world.map(world.customers().get(0));
      TestClient.Response mapped = client(cloud, world.partner().clientId(), world.partner().clientSecret(),
          world.partner().tenantId()).get(world.registration().id() + "/customerSubscriptions?api-version=2017-06-01");
      assertThat(mapped.json().path("value").findValuesAsText("name"))
          .containsExactly(world.customers().get(0).cspSubscriptionId());
    }
  }

  private static void add(ArrayNode records, SimulatedCloud.Customer customer, Instant hour, String quantity) {
    ObjectNode r = records.addObject();
    r.put("meterId", BASE_VM);
    r.put("quantity", new BigDecimal(quantity));
    r.put("location", "local");
    r.put("resourceUri", "/subscriptions/" + customer.localSubscriptionId()
        + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1");
    r.put("subscriptionId", customer.localSubscriptionId());
    r.put("tenantId", customer.tenantId());
    r.put("reportedHour", hour.plus(Duration.ofHours(1)).toString());
    r.put("usageStartTime", hour.toString());
    r.put("usageEndTime", hour.plus(Duration.ofHours(1)).toString());
  }

  /** An October invoice's quantities by local subscription. */
  private static Map<String, BigDecimal> quantities(TestClient client, String billingSubscription) {
    TestClient.Response r = client.get("/subscriptions/" + billingSubscription
        + "/providers/Stackledger.Billing/invoices/2026-10?api-version=2026-11-01");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    Map<String, BigDecimal> out = new TreeMap<>();
    for (JsonNode line : r.json().path("properties").path("lines")) {
      out.merge(line.path("localSubscriptionId").asText(), line.path("quantity").decimalValue(), BigDecimal::add);
    }
    out.replaceAll((k, v) -> v.setScale(1, java.math.RoundingMode.UNNECESSARY));
    return out;
  }

  private static TestClient partner(TestServer server, SimulatedCloud world, String tenant) throws Exception {
    return client(server, world.partner().clientId(), world.partner().clientSecret(), tenant);
  }

  private static TestClient client(TestServer server, String clientId, String secret, String tenant) throws Exception {
    return new TestClient(server.app().url(EndpointRole.CLOUD_ARM), server.app().certificate())
        .withToken(server.token(clientId, secret, tenant, Stackledger.CLOUD_AUDIENCE));
  }

  /** The customer's owner at the deployment's tenant endpoint, signed in with a password at its own directory. */
  private static TestClient owner(TestServer server, SimulatedCloud.Customer customer) throws Exception {
    TestClient identity = new TestClient(server.app().url(EndpointRole.IDENTITY), server.app().certificate()).anonymous();
    TestClient.Response token = identity.form("/" + customer.tenantId() + "/oauth2/v2.0/token", Map.of(
        "grant_type", "password", "client_id", "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "username", customer.ownerUpn(),
        "password", customer.ownerPassword(), "scope", Stackledger.STACK_TENANT_AUDIENCE + ".default"));
    assertThat(token.status()).as(token.body()).isEqualTo(200);
    return new TestClient(server.app().url(EndpointRole.STACK_TENANT_ARM), server.app().certificate())
        .withToken(token.json().path("access_token").asText());
  }
}
