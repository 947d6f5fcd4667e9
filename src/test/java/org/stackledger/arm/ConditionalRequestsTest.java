package org.stackledger.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;
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

/** PUT and DELETE status codes and ETag concurrency (If-Match, If-None-Match). */
@Tag("storage")
class ConditionalRequestsTest {
  private static final ServerPool SERVERS = new ServerPool();
  private static final String WESTUS = "{\"location\":\"westus\",\"tags\":{\"v\":\"1\"}}";

  @AfterAll
  static void stopServers() throws Exception {
    SERVERS.close();
  }

  private static TestClient.Response putIf(TestClient client, String url, String body, String header, String etag) {
    return client.send("PUT", url, body, Map.of("Content-Type", "application/json", header, etag));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void putAnswers201OnCreateAnd200OnUpdateWithProvisioningStateSucceeded(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    TestClient.Response created = client.put(groupUrl(sub, "rg1"), WESTUS);
    TestClient.Response updated = client.put(groupUrl(sub, "rg1"), "{\"location\":\"westus\",\"tags\":{\"v\":\"2\"}}");

    assertThat(created.status()).isEqualTo(201);
    assertThat(updated.status()).isEqualTo(200);
    for (TestClient.Response r : new TestClient.Response[] {created, updated}) {
      assertThat(r.json().path("properties").path("provisioningState").asText()).isEqualTo("Succeeded");
      assertThat(r.json().path("type").asText()).isEqualTo("Microsoft.Resources/resourceGroups");
    }
    assertThat(updated.json().path("tags").path("v").asText()).isEqualTo("2");
    assertThat(client.get(groupUrl(sub, "rg1")).json().path("tags").path("v").asText()).isEqualTo("2");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void deleteAnswers200WhenItDeletesAnd404ResourceGroupNotFoundWhenNothingIsThere(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    client.put(groupUrl(sub, "rg1"), WESTUS);

    assertThat(client.delete(groupUrl(sub, "rg1")).status()).isEqualTo(200);
    assertError(client.delete(groupUrl(sub, "rg1")), 404, "ResourceGroupNotFound");
    assertError(client.delete(groupUrl(sub, "never-existed")), 404, "ResourceGroupNotFound");
    assertError(client.get(groupUrl(sub, "rg1")), 404, "ResourceGroupNotFound");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theEtagHeaderEqualsTheBodyEtagOnPutGetAndPatch(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    TestClient.Response put = client.put(groupUrl(sub, "rg1"), WESTUS);
    TestClient.Response get = client.get(groupUrl(sub, "rg1"));
    TestClient.Response patch = client.patch(groupUrl(sub, "rg1"), "{\"tags\":{\"v\":\"3\"}}");
    TestClient.Response lock = client.put(lockUrl("/subscriptions/" + sub, "l1"), "{\"properties\":{\"level\":\"CanNotDelete\"}}");

    for (TestClient.Response r : new TestClient.Response[] {put, get, patch, lock}) {
      assertThat(r.header("etag")).isNotBlank().isEqualTo(r.json().path("etag").asText());
    }
    assertThat(get.header("etag")).isEqualTo(put.header("etag"));
    assertThat(patch.header("etag")).isNotEqualTo(put.header("etag"));
    client.delete(lockUrl("/subscriptions/" + sub, "l1"));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aMatchingIfMatchSucceedsAndChangesTheEtag(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    String etag = client.put(groupUrl(sub, "rg1"), WESTUS).header("etag");

    TestClient.Response update = putIf(client, groupUrl(sub, "rg1"), "{\"location\":\"westus\",\"tags\":{\"v\":\"2\"}}",
        "If-Match", etag);

    assertThat(update.status()).isEqualTo(200);
    assertThat(update.header("etag")).isNotEqualTo(etag);
    assertThat(client.get(groupUrl(sub, "rg1")).header("etag")).isEqualTo(update.header("etag"));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anIfMatchThatDoesNotMatchIsA412AndChangesNothing(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    String etag = client.put(groupUrl(sub, "rg1"), WESTUS).header("etag");

    TestClient.Response put = putIf(client, groupUrl(sub, "rg1"), "{\"location\":\"westus\",\"tags\":{\"v\":\"9\"}}",
        "If-Match", "\"stale\"");
    TestClient.Response patch = client.send("PATCH", groupUrl(sub, "rg1"), "{\"tags\":{\"v\":\"9\"}}",
        Map.of("Content-Type", "application/json", "If-Match", "\"stale\""));
    TestClient.Response delete = client.send("DELETE", groupUrl(sub, "rg1"), null, Map.of("If-Match", "\"stale\""));

    assertThat(assertError(put, 412, "PreconditionFailed").errorTarget()).isEqualTo("If-Match");
    assertError(patch, 412, "PreconditionFailed");
    assertError(delete, 412, "PreconditionFailed");
    TestClient.Response after = client.get(groupUrl(sub, "rg1"));
    assertThat(after.header("etag")).isEqualTo(etag);
    assertThat(after.json().path("tags").path("v").asText()).isEqualTo("1");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aStaleEtagIsRefusedAfterSomeoneElseChangedTheResource(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    String first = client.put(groupUrl(sub, "rg1"), WESTUS).header("etag");
    String second = putIf(client, groupUrl(sub, "rg1"), "{\"location\":\"westus\",\"tags\":{\"v\":\"2\"}}", "If-Match", first)
        .header("etag");

    assertError(putIf(client, groupUrl(sub, "rg1"), "{\"location\":\"westus\",\"tags\":{\"v\":\"3\"}}", "If-Match", first),
        412, "PreconditionFailed");
    assertThat(client.get(groupUrl(sub, "rg1")).header("etag")).isEqualTo(second);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void ifNoneMatchStarCreatesButRefusesToOverwriteAnExistingResource(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    TestClient.Response create = putIf(client, groupUrl(sub, "rg1"), WESTUS, "If-None-Match", "*");
    TestClient.Response overwrite = putIf(client, groupUrl(sub, "rg1"), "{\"location\":\"westus\",\"tags\":{\"v\":\"2\"}}",
        "If-None-Match", "*");

    assertThat(create.status()).isEqualTo(201);
    assertThat(assertError(overwrite, 412, "PreconditionFailed").errorTarget()).isEqualTo("If-None-Match");
    TestClient.Response after = client.get(groupUrl(sub, "rg1"));
    assertThat(after.header("etag")).isEqualTo(create.header("etag"));
    assertThat(after.json().path("tags").path("v").asText()).isEqualTo("1");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void ifMatchOnAResourceThatDoesNotExistIsA412AndCreatesNothing(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    assertError(putIf(client, groupUrl(sub, "rg1"), WESTUS, "If-Match", "*"), 412, "PreconditionFailed");

    assertError(client.get(groupUrl(sub, "rg1")), 404, "ResourceGroupNotFound");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aDeleteWithTheCurrentEtagDeletes(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    String etag = client.put(groupUrl(sub, "rg1"), WESTUS).header("etag");

    assertThat(client.send("DELETE", groupUrl(sub, "rg1"), null, Map.of("If-Match", etag)).status()).isEqualTo(200);
    assertThat(client.get(groupUrl(sub, "rg1")).status()).isEqualTo(404);
  }
}
