package org.stackledger.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.RESOURCES;
import static org.stackledger.testing.ArmCalls.SUBSCRIPTIONS;
import static org.stackledger.testing.ArmCalls.assertError;
import static org.stackledger.testing.ArmCalls.groupUrl;

import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.testing.Engine;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/** Resource ids in request paths: case, slashes, and the errors for bad names and ids. */
@Tag("storage")
class ResourceIdRoutingTest {
  private static final ServerPool SERVERS = new ServerPool();

  @AfterAll
  static void stopServers() throws Exception {
    SERVERS.close();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void resourceGroupsIsMatchedInAnyCaseAndAddressesTheSameGroup(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    assertThat(client.put("/subscriptions/" + sub + "/resourcegroups/Shared?" + RESOURCES, "{\"location\":\"westus\"}").status())
        .isEqualTo(201);

    for (String path : new String[] {"/subscriptions/" + sub + "/resourceGroups/shared",
        "/SUBSCRIPTIONS/" + sub.toUpperCase(Locale.ROOT) + "/RESOURCEGROUPS/SHARED",
        "/Subscriptions/" + sub + "/ResourceGroups/sHaReD"}) {
      TestClient.Response get = client.get(path + "?" + RESOURCES);
      assertThat(get.status()).as(path).isEqualTo(200);
      assertThat(get.json().path("id").asText()).isEqualTo("/subscriptions/" + sub + "/resourceGroups/Shared");
      assertThat(get.json().path("name").asText()).isEqualTo("Shared");
    }
    TestClient.Response again = client.put("/subscriptions/" + sub + "/resourceGroups/SHARED?" + RESOURCES,
        "{\"location\":\"westus\"}");
    assertThat(again.status()).as("a PUT in another case updates the same group").isEqualTo(200);
    assertThat(again.json().path("name").asText()).isEqualTo("Shared");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void repeatedSlashesInThePathAreTolerated(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    TestClient.Response put = client.put("//subscriptions//" + sub + "///resourceGroups/rg1/?" + RESOURCES,
        "{\"location\":\"westus\"}");

    assertThat(put.status()).isEqualTo(201);
    assertThat(put.json().path("id").asText()).isEqualTo("/subscriptions/" + sub + "/resourceGroups/rg1");
    assertThat(client.get("//subscriptions/" + sub + "?" + SUBSCRIPTIONS).status()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aBadResourceGroupNameIsA400NamingTheNameAndNothingIsCreated(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    for (String bad : new String[] {"bad*name", "ends-with-dot.", "a%20b", "x".repeat(91)}) {
      TestClient.Response put = client.put(groupUrl(sub, bad), "{\"location\":\"westus\"}");
      assertError(put, 400, "InvalidResourceGroupName");
      assertThat(put.errorTarget()).isEqualTo("resourceGroupName");
      assertError(client.get(groupUrl(sub, bad)), 400, "InvalidResourceGroupName");
    }
    TestClient.Response list = client.get("/subscriptions/" + sub + "/resourcegroups?" + RESOURCES);
    assertThat(list.json().path("value")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aMalformedSubscriptionIdIsA400InvalidSubscriptionId(Engine engine) throws Exception {
    TestClient client = SERVERS.get(engine).client();

    assertThat(assertError(client.get("/subscriptions/not-a-guid?" + SUBSCRIPTIONS), 400, "InvalidSubscriptionId")
        .errorTarget()).isEqualTo("subscriptionId");
    assertError(client.get(groupUrl("not-a-guid", "rg1")), 400, "InvalidSubscriptionId");
    assertError(client.put(groupUrl("1234", "rg1"), "{\"location\":\"westus\"}"), 400, "InvalidSubscriptionId");
    assertError(client.get("/subscriptions/xyz/resourcegroups?" + RESOURCES), 400, "InvalidSubscriptionId");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anUnknownSubscriptionIsA404SubscriptionNotFoundAndNothingIsCreated(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String unknown = UUID.randomUUID().toString();

    assertError(client.get("/subscriptions/" + unknown + "?" + SUBSCRIPTIONS), 404, "SubscriptionNotFound");
    assertError(client.put(groupUrl(unknown, "rg1"), "{\"location\":\"westus\"}"), 404, "SubscriptionNotFound");
    assertError(client.get(groupUrl(unknown, "rg1")), 404, "SubscriptionNotFound");
    assertError(client.get("/subscriptions/" + unknown + "/resourcegroups?" + RESOURCES), 404, "SubscriptionNotFound");
    assertError(client.get("/subscriptions/" + unknown + "/resources?" + RESOURCES), 404, "SubscriptionNotFound");
    assertThat(server.app().cloudArm().subscriptions().find(unknown)).isEmpty();
  }
}
