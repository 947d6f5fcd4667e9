package org.stackledger.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.RESOURCES;
import static org.stackledger.testing.ArmCalls.assertError;
import static org.stackledger.testing.ArmCalls.group;
import static org.stackledger.testing.ArmCalls.groupUrl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.arm.Preconditions;
import org.stackledger.arm.ResourceId;
import org.stackledger.http.Json;
import org.stackledger.testing.Engine;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/** Resource groups: PUT, GET, HEAD, PATCH, DELETE and list. */
@Tag("storage")
class ResourceGroupsTest {
  private static final ServerPool SERVERS = new ServerPool();

  @AfterAll
  static void stopServers() throws Exception {
    SERVERS.close();
  }

  /** Stores a resource of a made-up type directly, as a feature's routes would. */
  static String storeWidget(TestServer server, String sub, String group, String name) {
    ResourceId id = ResourceId.parse(group(sub, group) + "/providers/Microsoft.Test/widgets/" + name);
    server.app().cloudArm().resources().put(sub, id, "Microsoft.Test/widgets", Json.object().put("location", "westus"),
        Preconditions.NONE);
    return id.toString();
  }

  private static List<String> names(TestClient.Response list) {
    List<String> names = new ArrayList<>();
    for (JsonNode item : list.json().path("value")) {
      names.add(item.path("name").asText());
    }
    return names;
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aGroupIsCreatedReadAndShownWithItsLocationAndTags(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    TestClient.Response put = client.put(groupUrl(sub, "rg1"), "{\"location\":\"West US\",\"tags\":{\"owner\":\"ops\"}}");
    TestClient.Response get = client.get(groupUrl(sub, "rg1"));

    assertThat(put.status()).isEqualTo(201);
    assertThat(get.status()).isEqualTo(200);
    assertThat(get.json().path("id").asText()).isEqualTo("/subscriptions/" + sub + "/resourceGroups/rg1");
    assertThat(get.json().path("location").asText()).isEqualTo("westus");
    assertThat(get.json().path("tags").path("owner").asText()).isEqualTo("ops");
    assertThat(get.json().path("properties").path("provisioningState").asText()).isEqualTo("Succeeded");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void headAnswers204ForAGroupThatExistsAnd404ForOneThatDoesNot(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    client.put(groupUrl(sub, "rg1"), "{\"location\":\"westus\"}");

    TestClient.Response present = client.send("HEAD", groupUrl(sub, "RG1"), null, Map.of());
    TestClient.Response absent = client.send("HEAD", groupUrl(sub, "rg2"), null, Map.of());

    assertThat(present.status()).isEqualTo(204);
    assertThat(absent.status()).isEqualTo(404);
    assertThat(present.body()).isEmpty();
    assertThat(absent.body()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void patchReplacesTheTagsAndKeepsTheLocation(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    String etag = client.put(groupUrl(sub, "rg1"), "{\"location\":\"westus\",\"tags\":{\"a\":\"1\",\"b\":\"2\"}}")
        .header("etag");

    TestClient.Response patch = client.patch(groupUrl(sub, "rg1"), "{\"tags\":{\"c\":\"3\"}}");

    assertThat(patch.status()).isEqualTo(200);
    assertThat(patch.header("etag")).isNotEqualTo(etag);
    JsonNode after = client.get(groupUrl(sub, "rg1")).json();
    assertThat(after.path("tags").size()).isEqualTo(1);
    assertThat(after.path("tags").path("c").asText()).isEqualTo("3");
    assertThat(after.path("location").asText()).isEqualTo("westus");
    assertThat(client.patch(groupUrl(sub, "rg1"), "{}").json().path("tags").path("c").asText())
        .as("a PATCH without tags keeps them").isEqualTo("3");
    assertThat(client.patch(groupUrl(sub, "rg1"), "{\"tags\":null}").json().has("tags"))
        .as("clearing the tags shows none, as a PUT without tags does").isFalse();
    assertThat(client.get(groupUrl(sub, "rg1")).json().has("tags")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void patchOfAGroupThatDoesNotExistIsA404AndCreatesNothing(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    assertError(client.patch(groupUrl(sub, "ghost"), "{\"tags\":{\"a\":\"1\"}}"), 404, "ResourceGroupNotFound");
    assertThat(client.send("HEAD", groupUrl(sub, "ghost"), null, Map.of()).status()).isEqualTo(404);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void changingTheLocationOfAGroupIsA409AndChangesNothing(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    client.put(groupUrl(sub, "rg1"), "{\"location\":\"westus\",\"tags\":{\"a\":\"1\"}}");
    JsonNode before = client.get(groupUrl(sub, "rg1")).json();

    TestClient.Response move = client.put(groupUrl(sub, "rg1"), "{\"location\":\"eastus\",\"tags\":{\"a\":\"2\"}}");

    assertThat(assertError(move, 409, "InvalidResourceGroupLocation").errorTarget()).isEqualTo("location");
    assertThat(client.get(groupUrl(sub, "rg1")).json()).isEqualTo(before);
    assertThat(client.put(groupUrl(sub, "rg1"), "{\"location\":\"West US\",\"tags\":{\"a\":\"2\"}}").status())
        .as("the same location spelt differently is no change").isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theListHoldsTheSubscriptionsGroupsOnly(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    String other = server.newSubscription();
    client.put(groupUrl(sub, "alpha"), "{\"location\":\"westus\"}");
    client.put(groupUrl(sub, "Beta"), "{\"location\":\"eastus\"}");
    client.put(groupUrl(other, "gamma"), "{\"location\":\"westus\"}");

    TestClient.Response list = client.get("/subscriptions/" + sub + "/resourceGroups?" + RESOURCES);

    assertThat(list.status()).isEqualTo(200);
    assertThat(names(list)).containsExactlyInAnyOrder("alpha", "Beta");
    assertThat(list.json().path("value")).allSatisfy(g -> {
      assertThat(g.path("type").asText()).isEqualTo("Microsoft.Resources/resourceGroups");
      assertThat(g.path("etag").asText()).isNotBlank();
    });
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void deletingAGroupThatIsNotThereIsResourceGroupNotFoundAndTouchesNoOtherGroup(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    client.put(groupUrl(sub, "kept"), "{\"location\":\"westus\"}");

    TestClient.Response missing = client.delete(groupUrl(sub, "ghost"));

    assertThat(assertError(missing, 404, "ResourceGroupNotFound").json().path("error").path("message").asText())
        .contains("ghost");
    assertThat(client.get(groupUrl(sub, "kept")).status()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void deletingAGroupDeletesTheResourcesInItAndNothingElse(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    for (String g : new String[] {"rg_1", "rgx1", "rg_10"}) {
      client.put(groupUrl(sub, g), "{\"location\":\"westus\"}");
    }
    storeWidget(server, sub, "rg_1", "w1");
    storeWidget(server, sub, "rg_1", "w2");
    String neighbour = storeWidget(server, sub, "rgx1", "w1");
    String prefixed = storeWidget(server, sub, "rg_10", "w1");

    assertThat(client.delete(groupUrl(sub, "rg_1")).status()).isEqualTo(200);

    assertThat(client.send("HEAD", groupUrl(sub, "rg_1"), null, Map.of()).status()).isEqualTo(404);
    TestClient.Response all = client.get("/subscriptions/" + sub + "/resources?" + RESOURCES);
    List<String> ids = new ArrayList<>();
    all.json().path("value").forEach(v -> ids.add(v.path("id").asText()));
    assertThat(ids).containsExactlyInAnyOrder(neighbour, prefixed);
    assertThat(client.put(groupUrl(sub, "rg_1"), "{\"location\":\"westus\"}").status())
        .as("a group deleted can be created again").isEqualTo(201);
    assertThat(client.get(group(sub, "rg_1") + "/resources?" + RESOURCES).json().path("value"))
        .as("and it comes back empty").isEmpty();
  }
}
