package org.stackledger.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.testing.Engine;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/** Cloud discovery ({@code /metadata/endpoints}), {@code /healthz} and {@code /metrics} on the endpoints. */
@Tag("storage")
class MetadataEndpointsTest {
  private static final ServerPool SERVERS = new ServerPool();
  private static final List<EndpointRole> ARM_ROLES =
      List.of(EndpointRole.CLOUD_ARM, EndpointRole.STACK_ADMIN_ARM, EndpointRole.STACK_TENANT_ARM);

  @AfterAll
  static void stopServers() throws Exception {
    SERVERS.close();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void everyArmEndpointDescribesItsCloudToAnonymousCallers(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    String identity = server.app().url(EndpointRole.IDENTITY);

    for (EndpointRole role : ARM_ROLES) {
      TestClient.Response r = server.client(role).anonymous().get("/metadata/endpoints?api-version=2015-01-01");
      assertThat(r.status()).as(role.key()).isEqualTo(200);
      JsonNode body = r.json();
      for (String field : new String[] {"galleryEndpoint", "graphEndpoint", "portalEndpoint"}) {
        assertThat(body.path(field).asText()).as("%s %s", role.key(), field).startsWith("https://");
      }
      assertThat(body.path("authentication").path("loginEndpoint").asText()).isEqualTo(identity);
      JsonNode audiences = body.path("authentication").path("audiences");
      assertThat(audiences.isArray()).isTrue();
      assertThat(audiences).isNotEmpty().allSatisfy(a -> assertThat(a.asText()).startsWith("https://"));
      assertThat(r.header("x-ms-request-id")).isNotBlank();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void thePortalIsTheConsoleTheAdminPortalForTheStackAdminEndpoint(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    String console = server.app().url(EndpointRole.CONSOLE);

    assertThat(server.client(EndpointRole.STACK_ADMIN_ARM).anonymous().get("/metadata/endpoints?api-version=2015-01-01")
        .json().path("portalEndpoint").asText()).isEqualTo(console + "admin/");
    for (EndpointRole role : List.of(EndpointRole.STACK_TENANT_ARM, EndpointRole.CLOUD_ARM)) {
      assertThat(server.client(role).anonymous().get("/metadata/endpoints?api-version=2015-01-01").json()
          .path("portalEndpoint").asText()).as(role.key()).isEqualTo(console);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void eachArmEndpointNamesItsOwnAudience(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    List<String> audiences = new ArrayList<>();

    for (EndpointRole role : ARM_ROLES) {
      JsonNode body = server.client(role).anonymous().get("/metadata/endpoints?api-version=2015-01-01").json();
      List<String> mine = new ArrayList<>();
      body.path("authentication").path("audiences").forEach(a -> mine.add(a.asText()));
      assertThat(mine).as(role.key()).contains(server.app().url(role));
      audiences.add(mine.get(0));
    }
    assertThat(audiences).doesNotHaveDuplicates();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void metadataNeedsItsApiVersion(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);

    for (EndpointRole role : ARM_ROLES) {
      TestClient anonymous = server.client(role).anonymous();
      assertError(anonymous.get("/metadata/endpoints"), 400, "MissingApiVersionParameter");
      TestClient.Response wrong = assertError(anonymous.get("/metadata/endpoints?api-version=2020-01-01"), 400,
          "InvalidApiVersionParameter");
      assertThat(wrong.json().path("error").path("message").asText()).contains("2015-01-01");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void everyEndpointAnswersHealthzAnonymously(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);

    for (EndpointRole role : EndpointRole.values()) {
      TestClient.Response r = server.client(role).anonymous().get("/healthz");
      assertThat(r.status()).as(role.key()).isEqualTo(200);
      assertThat(r.json().path("status").asText()).isEqualTo("Healthy");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void everyEndpointServesPrometheusMetricsWithRequestTimings(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);

    for (EndpointRole role : EndpointRole.values()) {
      TestClient client = server.client(role).anonymous();
      client.get("/healthz");
      TestClient.Response r = client.get("/metrics");
      assertThat(r.status()).as(role.key()).isEqualTo(200);
      assertThat(r.header("content-type")).startsWith("text/plain");
      assertThat(r.body()).contains("http_server_requests").contains("site=\"" + role.key() + "\"");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theStackEndpointsDoNotServeTheCloudsSubscriptions(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    String sub = server.newSubscription();

    assertThat(server.client().get("/subscriptions/" + sub + "?api-version=2022-12-01").status()).isEqualTo(200);
    assertError(server.client(EndpointRole.STACK_ADMIN_ARM).get("/subscriptions/" + sub + "?api-version=2022-12-01"),
        404, "NotFound");
    // The tenant endpoint serves the deployment's user subscriptions only: a cloud one is unknown there.
    assertError(server.client(EndpointRole.STACK_TENANT_ARM).get("/subscriptions/" + sub + "?api-version=2022-12-01"),
        404, "SubscriptionNotFound");
  }
}
