package org.stackledger.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.LOCKS;
import static org.stackledger.testing.ArmCalls.RESOURCES;
import static org.stackledger.testing.ArmCalls.SUBSCRIPTIONS;
import static org.stackledger.testing.ArmCalls.assertError;
import static org.stackledger.testing.ArmCalls.group;
import static org.stackledger.testing.ArmCalls.groupUrl;
import static org.stackledger.testing.ArmCalls.lockUrl;

import com.fasterxml.jackson.databind.JsonNode;
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

/** Lists page with an absolute {@code nextLink} and an opaque {@code $skipToken}; the server's page size is 2. */
@Tag("storage")
class ListPagingTest {
  private static final ServerPool SERVERS = new ServerPool(options -> options.withPageSize(2));

  @AfterAll
  static void stopServers() throws Exception {
    SERVERS.close();
  }

  /** Follows nextLinks from a first page; returns every page's JSON in order. */
  private static List<JsonNode> allPages(TestClient client, String firstUrl) {
    List<JsonNode> pages = new ArrayList<>();
    String url = firstUrl;
    while (url != null) {
      assertThat(pages).as("too many pages: a nextLink loops").hasSizeLessThan(50);
      TestClient.Response r = client.get(url);
      assertThat(r.status()).as("%s: %s", url, r.body()).isEqualTo(200);
      pages.add(r.json());
      url = r.json().has("nextLink") ? r.json().path("nextLink").asText() : null;
    }
    return pages;
  }

  private static List<String> ids(List<JsonNode> pages) {
    List<String> ids = new ArrayList<>();
    pages.forEach(p -> p.path("value").forEach(v -> ids.add(v.path("id").asText())));
    return ids;
  }

  private static List<String> createGroups(TestClient client, String sub, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TestClient.Response r = client.put(groupUrl(sub, "rg" + i), "{\"location\":\"westus\"}");
      assertThat(r.status()).isEqualTo(201);
      ids.add(r.json().path("id").asText());
    }
    return ids;
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aFullPageLinksToTheNextWithAnAbsoluteUrlThatKeepsTheApiVersion(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    createGroups(client, sub, 3);

    TestClient.Response first = client.get("/subscriptions/" + sub + "/resourcegroups?" + RESOURCES);

    assertThat(first.json().path("value")).hasSize(2);
    String next = first.json().path("nextLink").asText();
    assertThat(next).startsWith(client.baseUrl() + "/subscriptions/" + sub + "/resourcegroups?")
        .contains(RESOURCES).containsPattern("[?&]\\$skipToken=[A-Za-z0-9_-]+");
    assertThat(next).doesNotContain("rg1").doesNotContain("resourcegroups/rg");
    TestClient.Response last = client.get(next);
    assertThat(last.json().path("value")).hasSize(1);
    assertThat(last.json().has("nextLink")).as("the last page has no nextLink").isFalse();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void followingNextLinksReturnsEveryResourceGroupExactlyOnce(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    List<String> created = createGroups(client, sub, 7);

    List<JsonNode> pages = allPages(client, "/subscriptions/" + sub + "/resourcegroups?" + RESOURCES);

    assertThat(pages).hasSize(4);
    assertThat(ids(pages)).containsExactlyInAnyOrderElementsOf(created).doesNotHaveDuplicates();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anExactMultipleOfThePageSizeEndsWithoutAnEmptyPage(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    createGroups(client, sub, 4);

    List<JsonNode> pages = allPages(client, "/subscriptions/" + sub + "/resourcegroups?" + RESOURCES);

    assertThat(pages).hasSize(2).allSatisfy(p -> assertThat(p.path("value")).hasSize(2));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anEmptyListIsAnEmptyValueWithoutNextLink(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    String sub = server.newSubscription();

    TestClient.Response r = server.client().get("/subscriptions/" + sub + "/resourcegroups?" + RESOURCES);

    assertThat(r.json().path("value").isArray()).isTrue();
    assertThat(r.json().path("value")).isEmpty();
    assertThat(r.json().has("nextLink")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void topSetsThePageSizeAndIsCarriedIntoTheNextLink(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    List<String> created = createGroups(client, sub, 5);

    TestClient.Response first = client.get("/subscriptions/" + sub + "/resourcegroups?" + RESOURCES + "&$top=3");
    List<JsonNode> pages = allPages(client, "/subscriptions/" + sub + "/resourcegroups?" + RESOURCES + "&$top=3");

    assertThat(first.json().path("value")).hasSize(3);
    assertThat(first.json().path("nextLink").asText()).contains("$top=3");
    assertThat(pages).hasSize(2);
    assertThat(ids(pages)).containsExactlyInAnyOrderElementsOf(created);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void itemsAddedWhilePagingDoNotRepeatItemsAlreadySeen(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    createGroups(client, sub, 4);

    TestClient.Response first = client.get("/subscriptions/" + sub + "/resourcegroups?" + RESOURCES);
    client.put(groupUrl(sub, "aaa-first-in-order"), "{\"location\":\"westus\"}");
    List<JsonNode> rest = allPages(client, first.json().path("nextLink").asText());

    List<String> seen = new ArrayList<>(ids(List.of(first.json())));
    seen.addAll(ids(rest));
    assertThat(seen).doesNotHaveDuplicates().hasSize(4);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void subscriptionsLocksAndGenericResourcesPageTheSameWay(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    List<String> subs = List.of(server.newSubscription(), server.newSubscription(), server.newSubscription());
    String sub = subs.get(0);
    client.put(groupUrl(sub, "rg1"), "{\"location\":\"westus\"}");
    List<String> locks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      locks.add(client.put(lockUrl(group(sub, "rg1"), "lock" + i), "{\"properties\":{\"level\":\"CanNotDelete\"}}")
          .json().path("id").asText());
    }

    List<String> allSubs = ids(allPages(client, "/subscriptions?" + SUBSCRIPTIONS));
    List<JsonNode> lockPages = allPages(client, group(sub, "rg1") + "/providers/Microsoft.Authorization/locks?" + LOCKS);
    List<JsonNode> inGroup = allPages(client, group(sub, "rg1") + "/resources?" + RESOURCES);
    List<JsonNode> inSubscription = allPages(client, "/subscriptions/" + sub + "/resources?" + RESOURCES);

    assertThat(allSubs).doesNotHaveDuplicates().containsAll(subs.stream().map(s -> "/subscriptions/" + s).toList());
    assertThat(lockPages).hasSize(3);
    assertThat(ids(lockPages)).containsExactlyInAnyOrderElementsOf(locks);
    assertThat(ids(inGroup)).containsExactlyInAnyOrderElementsOf(locks);
    assertThat(ids(inSubscription)).containsExactlyInAnyOrderElementsOf(locks);
    lockPages.subList(0, 2).forEach(p -> assertThat(p.path("nextLink").asText()).contains(LOCKS));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aSkipTokenThisServerDidNotIssueIsA400(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    for (String token : new String[] {"garbage!", "eHl6", "%2F%2F%2F"}) {
      TestClient.Response r = client.get("/subscriptions/" + sub + "/resourcegroups?" + RESOURCES + "&$skipToken=" + token);
      assertThat(assertError(r, 400, "InvalidSkipToken").errorTarget()).isEqualTo("$skipToken");
    }
    assertError(client.get("/subscriptions?" + SUBSCRIPTIONS + "&$skipToken=nope!"), 400, "InvalidSkipToken");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aTopOutOfRangeIsA400(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    for (String top : new String[] {"0", "-2", "1001", "lots"}) {
      TestClient.Response r = client.get("/subscriptions/" + sub + "/resourcegroups?" + RESOURCES + "&$top=" + top);
      assertThat(assertError(r, 400, "InvalidParameter").errorTarget()).as(top).isEqualTo("$top");
    }
    assertThat(client.get("/subscriptions/" + sub + "/resourcegroups?" + RESOURCES + "&$top=1000").status()).isEqualTo(200);
  }
}
