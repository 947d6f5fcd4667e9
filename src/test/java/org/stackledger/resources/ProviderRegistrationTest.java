package org.stackledger.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.RESOURCES;
import static org.stackledger.testing.ArmCalls.assertError;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.testing.Engine;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/** Resource provider registration per subscription. */
@Tag("storage")
class ProviderRegistrationTest {
  private static final ServerPool SERVERS = new ServerPool();

  @AfterAll
  static void stopServers() throws Exception {
    SERVERS.close();
  }

  private static String provider(String sub, String namespace) {
    return "/subscriptions/" + sub + "/providers/" + namespace;
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aNamespaceIsNotRegisteredUntilTheSubscriptionRegistersIt(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    TestClient.Response before = client.get(provider(sub, "Microsoft.Authorization") + "?" + RESOURCES);
    TestClient.Response register = client.post(provider(sub, "Microsoft.Authorization") + "/register?" + RESOURCES, null);
    TestClient.Response after = client.get(provider(sub, "microsoft.authorization") + "?" + RESOURCES);

    assertThat(before.status()).isEqualTo(200);
    assertThat(before.json().path("registrationState").asText()).isEqualTo("NotRegistered");
    assertThat(register.status()).isEqualTo(200);
    assertThat(register.json().path("registrationState").asText()).isEqualTo("Registered");
    assertThat(after.json().path("registrationState").asText()).isEqualTo("Registered");
    assertThat(after.json().path("namespace").asText()).isEqualTo("Microsoft.Authorization");
    assertThat(after.json().path("id").asText()).isEqualTo("/subscriptions/" + sub + "/providers/Microsoft.Authorization");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void registeringTwiceIsHarmlessAndUnregisteringIsRecorded(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    String ns = provider(sub, "Microsoft.Authorization");

    assertThat(client.post(ns + "/register?" + RESOURCES, null).status()).isEqualTo(200);
    assertThat(client.post(ns + "/register?" + RESOURCES, null).status()).isEqualTo(200);
    TestClient.Response unregister = client.post(ns + "/unregister?" + RESOURCES, null);

    assertThat(unregister.json().path("registrationState").asText()).isEqualTo("Unregistered");
    assertThat(client.get(ns + "?" + RESOURCES).json().path("registrationState").asText()).isEqualTo("Unregistered");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void registrationBelongsToOneSubscription(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String a = server.newSubscription();
    String b = server.newSubscription();

    client.post(provider(a, "Microsoft.Authorization") + "/register?" + RESOURCES, null);

    assertThat(client.get(provider(b, "Microsoft.Authorization") + "?" + RESOURCES).json().path("registrationState")
        .asText()).isEqualTo("NotRegistered");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theProviderShowsItsResourceTypesAndApiVersions(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    String sub = server.newSubscription();

    JsonNode body = server.client().get(provider(sub, "Microsoft.Authorization") + "?" + RESOURCES).json();

    JsonNode locks = null;
    for (JsonNode t : body.path("resourceTypes")) {
      if (t.path("resourceType").asText().equals("locks")) {
        locks = t;
      }
    }
    assertThat(locks).as("the locks type").isNotNull();
    assertThat(locks.path("apiVersions").get(0).asText()).as("newest first").isEqualTo("2020-05-01");
    assertThat(locks.path("apiVersions")).extracting(JsonNode::asText).contains("2016-09-01");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theProviderListShowsEachNamespaceWithItsState(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    client.post(provider(sub, "Microsoft.Authorization") + "/register?" + RESOURCES, null);

    TestClient.Response list = client.get("/subscriptions/" + sub + "/providers?" + RESOURCES);

    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().path("value")).anySatisfy(p -> {
      assertThat(p.path("namespace").asText()).isEqualTo("Microsoft.Authorization");
      assertThat(p.path("registrationState").asText()).isEqualTo("Registered");
    });
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anUnknownNamespaceIsA404InvalidResourceNamespaceAndRegistersNothing(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    assertError(client.get(provider(sub, "Microsoft.Nothing") + "?" + RESOURCES), 404, "InvalidResourceNamespace");
    assertError(client.post(provider(sub, "Microsoft.Nothing") + "/register?" + RESOURCES, null), 404,
        "InvalidResourceNamespace");
    assertThat(client.get("/subscriptions/" + sub + "/providers?" + RESOURCES).json().path("value"))
        .noneSatisfy(p -> assertThat(p.path("namespace").asText()).isEqualToIgnoringCase("Microsoft.Nothing"));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void registrationNeedsAnExistingSubscription(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);

    assertError(server.client().post(provider(java.util.UUID.randomUUID().toString(), "Microsoft.Authorization")
        + "/register?" + RESOURCES, null), 404, "SubscriptionNotFound");
    assertError(server.client().post(provider("nope", "Microsoft.Authorization") + "/register?" + RESOURCES, null), 400,
        "InvalidSubscriptionId");
  }
}
