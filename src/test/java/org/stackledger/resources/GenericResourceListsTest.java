package org.stackledger.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.RESOURCES;
import static org.stackledger.testing.ArmCalls.assertError;
import static org.stackledger.testing.ArmCalls.group;
import static org.stackledger.testing.ArmCalls.groupUrl;
import static org.stackledger.testing.ArmCalls.lockUrl;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.testing.Engine;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/** {@code GET /subscriptions/{id}/resources} and {@code GET .../resourceGroups/{rg}/resources}. */
@Tag("storage")
class GenericResourceListsTest {
  private static final ServerPool SERVERS = new ServerPool();
  private static final String LOCK = "{\"properties\":{\"level\":\"CanNotDelete\"}}";

  @AfterAll
  static void stopServers() throws Exception {
    SERVERS.close();
  }

  private static List<String> ids(TestClient.Response list) {
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    list.json().path("value").forEach(v -> ids.add(v.path("id").asText()));
    return ids;
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theSubscriptionListHoldsEveryResourceButNotTheGroupsThemselves(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    client.put(groupUrl(sub, "rg1"), "{\"location\":\"westus\"}");
    client.put(groupUrl(sub, "rg2"), "{\"location\":\"westus\"}");
    String subLock = client.put(lockUrl("/subscriptions/" + sub, "top"), LOCK).json().path("id").asText();
    String w1 = ResourceGroupsTest.storeWidget(server, sub, "rg1", "w1");
    String w2 = ResourceGroupsTest.storeWidget(server, sub, "rg2", "w2");

    List<String> all = ids(client.get("/subscriptions/" + sub + "/resources?" + RESOURCES));

    assertThat(all).containsExactlyInAnyOrder(subLock, w1, w2);
    client.delete(lockUrl("/subscriptions/" + sub, "top"));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theGroupListHoldsOnlyThatGroupsResources(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    client.put(groupUrl(sub, "rg1"), "{\"location\":\"westus\"}");
    client.put(groupUrl(sub, "rg10"), "{\"location\":\"westus\"}");
    String lock = client.put(lockUrl(group(sub, "rg1"), "keep"), LOCK).json().path("id").asText();
    String w1 = ResourceGroupsTest.storeWidget(server, sub, "rg1", "w1");
    ResourceGroupsTest.storeWidget(server, sub, "rg10", "w1");

    List<String> inGroup = ids(client.get("/subscriptions/" + sub + "/resourceGroups/RG1/resources?" + RESOURCES));

    assertThat(inGroup).containsExactlyInAnyOrder(lock, w1);
    assertThat(client.get("/subscriptions/" + sub + "/resourceGroups/rg1/resources?" + RESOURCES).json()
        .path("value").get(0).path("type").asText()).isIn("Microsoft.Authorization/locks", "Microsoft.Test/widgets");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void resourcesOfAnotherSubscriptionNeverShow(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String mine = server.newSubscription();
    String theirs = server.newSubscription();
    client.put(groupUrl(theirs, "rg1"), "{\"location\":\"westus\"}");
    ResourceGroupsTest.storeWidget(server, theirs, "rg1", "w1");
    client.put(groupUrl(mine, "rg1"), "{\"location\":\"westus\"}");

    assertThat(ids(client.get("/subscriptions/" + mine + "/resources?" + RESOURCES))).isEmpty();
    assertThat(ids(client.get(group(mine, "rg1") + "/resources?" + RESOURCES))).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void listingTheResourcesOfAGroupThatDoesNotExistIsA404(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    String sub = server.newSubscription();

    assertError(server.client().get(group(sub, "ghost") + "/resources?" + RESOURCES), 404, "ResourceGroupNotFound");
    assertError(server.client().get(group(sub, "bad*name") + "/resources?" + RESOURCES), 400, "InvalidResourceGroupName");
  }
}
