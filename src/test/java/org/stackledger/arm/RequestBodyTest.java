package org.stackledger.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;
import static org.stackledger.testing.ArmCalls.group;
import static org.stackledger.testing.ArmCalls.groupUrl;
import static org.stackledger.testing.ArmCalls.lockUrl;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.testing.Engine;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * Request bodies: JSON only, at most the configured size (1024 bytes here), well-formed; read-only
 * properties are ignored, writable ones validated; a refused write changes nothing.
 */
@Tag("storage")
class RequestBodyTest {
  private static final ServerPool SERVERS = new ServerPool(options -> options.withBodyLimit(1024));
  private static final String ORIGINAL = "{\"location\":\"westus\",\"tags\":{\"env\":\"prod\"}}";

  @AfterAll
  static void stopServers() throws Exception {
    SERVERS.close();
  }

  /** A subscription with group rg1 (tags env=prod); returns the group's answer to GET. */
  private static TestClient.Response existingGroup(TestClient client, String sub) {
    assertThat(client.put(groupUrl(sub, "rg1"), ORIGINAL).status()).isEqualTo(201);
    return client.get(groupUrl(sub, "rg1"));
  }

  /** Asserts rg1 is exactly as it was, etag included. */
  private static void assertUnchanged(TestClient client, String sub, TestClient.Response before) {
    TestClient.Response now = client.get(groupUrl(sub, "rg1"));
    assertThat(now.status()).isEqualTo(200);
    assertThat(now.json()).isEqualTo(before.json());
  }

  private static void assertNotCreated(TestClient client, String sub, String name) {
    assertError(client.get(groupUrl(sub, name)), 404, "ResourceGroupNotFound");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void malformedJsonIsA400InvalidRequestContentAndChangesNothing(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    TestClient.Response before = existingGroup(client, sub);

    for (String bad : new String[] {"{\"location\":", "{location:westus}", "not json", "{\"location\":\"westus\"} trailing",
        "{\"location\":\"westus\"}{}", "[{\"location\":\"westus\"}]", "\"westus\"", "{\"location\":\"westus\",}"}) {
      TestClient.Response put = client.put(groupUrl(sub, "rg1"), bad);
      assertThat(assertError(put, 400, "InvalidRequestContent").errorTarget()).as(bad).isEqualTo("body");
      assertError(client.put(groupUrl(sub, "new"), bad), 400, "InvalidRequestContent");
      assertError(client.patch(groupUrl(sub, "rg1"), bad), 400, "InvalidRequestContent");
    }
    assertUnchanged(client, sub, before);
    assertNotCreated(client, sub, "new");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aPutWithoutABodyIsA400(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    assertError(client.send("PUT", groupUrl(sub, "new"), null, Map.of("Content-Type", "application/json")), 400,
        "InvalidRequestContent");
    assertNotCreated(client, sub, "new");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aBodyThatIsNotJsonIsA415AndChangesNothing(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    TestClient.Response before = existingGroup(client, sub);
    String update = "{\"location\":\"westus\",\"tags\":{\"env\":\"test\"}}";

    for (String type : new String[] {"text/plain", "application/xml", "application/x-www-form-urlencoded"}) {
      TestClient.Response r = client.send("PUT", groupUrl(sub, "rg1"), update, Map.of("Content-Type", type));
      assertThat(assertError(r, 415, "UnsupportedMediaType").errorTarget()).isEqualTo("Content-Type");
      assertError(client.send("PUT", groupUrl(sub, "new"), update, Map.of("Content-Type", type)), 415,
          "UnsupportedMediaType");
    }
    assertError(client.send("PUT", groupUrl(sub, "rg1"), update, Map.of()), 415, "UnsupportedMediaType");
    assertUnchanged(client, sub, before);
    assertNotCreated(client, sub, "new");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void jsonMediaTypesWithParametersAreAccepted(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    TestClient.Response r = client.send("PUT", groupUrl(sub, "rg1"), ORIGINAL,
        Map.of("Content-Type", "Application/JSON; charset=utf-8"));

    assertThat(r.status()).isEqualTo(201);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aBodyOverTheLimitIsA413AndChangesNothing(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    TestClient.Response before = existingGroup(client, sub);
    String big = "{\"location\":\"westus\",\"tags\":{\"env\":\"" + "x".repeat(1100) + "\"}}";

    assertError(client.put(groupUrl(sub, "rg1"), big), 413, "RequestEntityTooLarge");
    assertError(client.put(groupUrl(sub, "new"), big), 413, "RequestEntityTooLarge");
    assertError(client.patch(groupUrl(sub, "rg1"), big), 413, "RequestEntityTooLarge");
    assertUnchanged(client, sub, before);
    assertNotCreated(client, sub, "new");
    String justUnder = "{\"location\":\"westus\",\"tags\":{\"e\":\"" + "x".repeat(200) + "\"}}";
    assertThat(client.put(groupUrl(sub, "rg1"), justUnder).status()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void readOnlyPropertiesInABodyAreIgnored(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    TestClient.Response r = client.put(groupUrl(sub, "rg1"), "{\"id\":\"/subscriptions/x/resourceGroups/other\","
        + "\"name\":\"other\",\"type\":\"Microsoft.Compute/virtualMachines\",\"etag\":\"\\\"forged\\\"\","
        + "\"location\":\"westus\",\"properties\":{\"provisioningState\":\"Failed\"},\"unknownProperty\":42}");

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.json().path("id").asText()).isEqualTo("/subscriptions/" + sub + "/resourceGroups/rg1");
    assertThat(r.json().path("name").asText()).isEqualTo("rg1");
    assertThat(r.json().path("type").asText()).isEqualTo("Microsoft.Resources/resourceGroups");
    assertThat(r.json().path("etag").asText()).isNotEqualTo("\"forged\"").isEqualTo(r.header("etag"));
    assertThat(r.json().path("properties").path("provisioningState").asText()).isEqualTo("Succeeded");
    assertThat(r.json().has("unknownProperty")).isFalse();
    assertError(client.get(groupUrl(sub, "other")), 404, "ResourceGroupNotFound");
    TestClient.Response lock = client.put(lockUrl(group(sub, "rg1"), "l1"), "{\"id\":\"x\",\"name\":\"y\",\"type\":\"z\","
        + "\"properties\":{\"level\":\"CanNotDelete\",\"provisioningState\":\"Failed\"}}");
    assertThat(lock.status()).isEqualTo(201);
    assertThat(lock.json().path("name").asText()).isEqualTo("l1");
    assertThat(lock.json().path("type").asText()).isEqualTo("Microsoft.Authorization/locks");
    assertThat(lock.json().path("properties").has("provisioningState")).isFalse();
    client.delete(lockUrl(group(sub, "rg1"), "l1"));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aMissingLocationIsA400LocationRequiredTargetingLocation(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    for (String body : new String[] {"{}", "{\"location\":null}", "{\"tags\":{\"a\":\"b\"}}"}) {
      TestClient.Response r = client.put(groupUrl(sub, "new"), body);
      assertThat(assertError(r, 400, "LocationRequired").errorTarget()).as(body).isEqualTo("location");
    }
    assertError(client.put(groupUrl(sub, "new"), "{\"location\":7}"), 400, "InvalidRequestContent");
    assertError(client.put(groupUrl(sub, "new"), "{\"location\":\"west/us\"}"), 400, "InvalidLocation");
    assertNotCreated(client, sub, "new");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void badTagsAreA400NamingTheTagAndChangeNothing(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    TestClient.Response before = existingGroup(client, sub);

    String[][] cases = {
        {"{\"location\":\"westus\",\"tags\":[\"a\"]}", "InvalidTag", "tags"},
        {"{\"location\":\"westus\",\"tags\":\"a=b\"}", "InvalidTag", "tags"},
        {"{\"location\":\"westus\",\"tags\":{\"n\":5}}", "InvalidTag", "tags.n"},
        {"{\"location\":\"westus\",\"tags\":{\"n\":{\"x\":\"y\"}}}", "InvalidTag", "tags.n"},
        {"{\"location\":\"westus\",\"tags\":{\"n\":\"" + "v".repeat(257) + "\"}}", "InvalidTag", "tags.n"},
        {"{\"location\":\"westus\",\"tags\":{\"a<b\":\"v\"}}", "InvalidTagNameCharacters", "tags.a<b"},
        {"{\"location\":\"westus\",\"tags\":{\"\":\"v\"}}", "InvalidTagNameCharacters", "tags."}};
    for (String[] c : cases) {
      TestClient.Response put = client.put(groupUrl(sub, "rg1"), c[0]);
      assertThat(assertError(put, 400, c[1]).errorTarget()).as(c[0]).isEqualTo(c[2]);
      assertError(client.put(groupUrl(sub, "new"), c[0]), 400, c[1]);
      String patch = c[0].replace("\"location\":\"westus\",", "");
      assertError(client.patch(groupUrl(sub, "rg1"), patch), 400, c[1]);
    }
    assertUnchanged(client, sub, before);
    assertNotCreated(client, sub, "new");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void moreThanFiftyTagsIsA400(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    StringBuilder tags = new StringBuilder();
    for (int i = 0; i < 51; i++) {
      tags.append(i == 0 ? "" : ",").append("\"t").append(i).append("\":\"v\"");
    }

    TestClient.Response r = client.put(groupUrl(sub, "rg1"), "{\"location\":\"westus\",\"tags\":{" + tags + "}}");

    assertThat(assertError(r, 400, "InvalidTag").errorTarget()).isEqualTo("tags");
    assertNotCreated(client, sub, "rg1");
  }
}
