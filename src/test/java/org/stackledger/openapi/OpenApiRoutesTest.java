package org.stackledger.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.testing.Engine;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;

/** The description as a client reads it: {@code /openapi.json} and Swagger UI on every endpoint role, anonymously. */
class OpenApiRoutesTest {
  private static final ServerPool SERVERS = new ServerPool();

  @AfterAll
  static void stopServers() throws Exception {
    SERVERS.close();
  }

  private static TestClient anonymous(EndpointRole role) throws Exception {
    var app = SERVERS.get(Engine.H2).app();
    return new TestClient(app.url(role), app.certificate()).anonymous();
  }

  @ParameterizedTest
  @EnumSource(value = EndpointRole.class, names = "CONSOLE", mode = EnumSource.Mode.EXCLUDE) // pages, not an API
  void eachRoleServesItsOwnOperationsWithItsBaseUrlAsServer(EndpointRole role) throws Exception {
    TestClient.Response r = anonymous(role).get("/openapi.json");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("openapi").asText()).isEqualTo("3.0.3");
    assertThat(r.json().path("servers").path(0).path("url").asText())
        .isEqualTo(SERVERS.get(Engine.H2).app().url(role));
    var paths = r.json().path("paths");
    assertThat(paths.path("/healthz").path("get").path("operationId").asText()).isEqualTo("Health_Get");
    paths.fields().forEachRemaining(path -> path.getValue().forEach(op ->
        assertThat(op.path("x-stackledger-roles")).as(path.getKey()).anyMatch(x -> x.asText().equals(role.key()))));
  }

  @Test
  void theIdentityEndpointDoesNotDescribeTheArmMetadataDocument() throws Exception {
    TestClient.Response r = anonymous(EndpointRole.IDENTITY).get("/openapi.json");

    assertThat(r.json().path("paths").has("/metadata/endpoints")).isFalse();
    assertThat(anonymous(EndpointRole.CLOUD_ARM).get("/openapi.json").json().path("paths").has("/metadata/endpoints"))
        .isTrue();
  }

  @Test
  void swaggerUiIsServedFromTheServerItselfAndReadsThisEndpointsDescription() throws Exception {
    TestClient client = anonymous(EndpointRole.STACK_ADMIN_ARM);

    TestClient.Response page = client.get("/docs");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.body()).contains("/docs/swagger-ui-bundle.js").doesNotContain("https://");

    TestClient.Response bundle = client.get("/docs/swagger-ui-bundle.js");
    assertThat(bundle.status()).isEqualTo(200);
    assertThat(bundle.header("Content-Type")).startsWith("text/javascript");
    assertThat(bundle.body()).contains("SwaggerUIBundle");

    TestClient.Response start = client.get("/docs/stackledger-initializer.js");
    assertThat(start.body()).contains("url: \"/openapi.json\"");
    assertThat(client.get("/docs/swagger-ui.css").status()).isEqualTo(200);
  }

  @Test
  void anAssetSwaggerUiDoesNotHaveIsNotFound() throws Exception {
    TestClient client = anonymous(EndpointRole.CLOUD_ARM);

    assertThat(client.get("/docs/no-such-file.js").status()).isEqualTo(404);
    assertThat(client.get("/docs/..%2Fpom.properties").status()).isIn(400, 404);
    TestClient.Response unknownType = client.get("/docs/index.html");
    assertThat(unknownType.status()).isEqualTo(404);
    assertThat(unknownType.errorCode()).isEqualTo("NotFound");
  }
}
