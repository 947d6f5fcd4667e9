package org.stackledger.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.stackledger.http.Json;
import org.stackledger.http.Router;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/** Which planes a process builds, and what it serves and advertises for each. */
class PlanesTest {
  /** Another process's cloud that is never reached: nothing here registers or ships. */
  private static final ServerOptions.Cloud ELSEWHERE = new ServerOptions.Cloud("https://127.0.0.1:9/",
      "https://127.0.0.1:9/", UUID.randomUUID().toString(), null);

  @Test
  void aDeploymentReportingToAnotherCloudBuildsAndServesNoneOfTheCloudPlane() throws Exception {
    try (TestServer server = TestServer.start(Engine.H2, o -> o.withCloud(ELSEWHERE))) {
      Stackledger app = server.app();
      assertThat(app.servesCloudPlane()).isFalse();
      assertThat(app.cloudArmUrl()).isEqualTo(ELSEWHERE.armUrl());
      assertThatThrownBy(app::commerce).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(app::partnerCenter).isInstanceOf(IllegalStateException.class);

      // The cloud plane's routes are not there: they answer 404 as any unknown path does.
      assertThat(templates(app, EndpointRole.CLOUD_ARM)).noneMatch(t -> t.startsWith("/providers/Stackledger.Billing")
          || t.startsWith("/providers/Stackledger.PartnerCenter") || t.contains("Microsoft.AzureStack")
          || t.equals("/subscriptions"));
      assertThat(server.client().get("/subscriptions?api-version=2022-12-01").status()).isEqualTo(404);
      assertThat(server.client().get("/providers/Stackledger.Billing/invoices?api-version=2026-11-01").status())
          .isEqualTo(404);
      TestClient partnerCenter = new TestClient(app.url(EndpointRole.PARTNER_CENTER), app.certificate()).anonymous();
      assertThat(partnerCenter.get("/v1/customers").status()).isEqualTo(404);
      assertThat(partnerCenter.get("/openapi.json").status()).as("no description of routes it does not serve")
          .isEqualTo(404);
      assertThat(partnerCenter.get("/healthz").status()).isEqualTo(200);
      assertThat(server.client().get("/openapi.json").status()).isEqualTo(404);

      // What is shared stays: the directory's sign-in and administration, and the deployment's endpoints.
      assertThat(templates(app, EndpointRole.CLOUD_ARM)).contains("/providers/Stackledger.Identity/tenants",
          "/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/roleAssignments");
      assertThat(server.client(EndpointRole.STACK_ADMIN_ARM)
          .get("/providers/Microsoft.AzureBridge.Admin/stampInfo?api-version=2016-01-01").status()).isEqualTo(200);

      // Nothing advertises Partner Center: not endpoints.json, not the identity endpoint's audiences.
      JsonNode endpoints = Json.MAPPER.readTree(server.dataDir().resolve("endpoints.json").toFile());
      assertThat(endpoints.has("partnerCenter")).isFalse();
      assertThat(List.of("cloudArm", "identity", "stackAdminArm", "stackTenantArm")).allMatch(endpoints::hasNonNull);
      assertThat(app.urls()).doesNotContainKey(EndpointRole.PARTNER_CENTER);
      assertThat(app.serves(EndpointRole.PARTNER_CENTER)).isFalse();
      assertThatThrownBy(() -> server.token(server.admin().clientId(), server.admin().clientSecret(), app.homeTenantId(),
          Stackledger.PARTNER_CENTER_AUDIENCE)).hasMessageContaining("sign-in failed");
    }
  }

  @Test
  void theDefaultProcessServesBothPlanesAndAdvertisesEveryEndpoint() throws Exception {
    try (TestServer server = TestServer.start(Engine.H2)) {
      Stackledger app = server.app();
      assertThat(app.servesCloudPlane()).isTrue();
      assertThat(app.cloudArmUrl()).isEqualTo(app.url(EndpointRole.CLOUD_ARM));
      assertThat(templates(app, EndpointRole.CLOUD_ARM)).contains("/subscriptions",
          "/providers/Stackledger.Billing/priceSheet", "/providers/Stackledger.Identity/tenants");
      assertThat(templates(app, EndpointRole.PARTNER_CENTER)).contains("/v1/customers");
      JsonNode endpoints = Json.MAPPER.readTree(server.dataDir().resolve("endpoints.json").toFile());
      for (EndpointRole role : EndpointRole.values()) {
        assertThat(endpoints.path(role.key()).asText()).isEqualTo(app.url(role));
        assertThat(app.serves(role)).isTrue();
      }
      assertThat(server.client(EndpointRole.PARTNER_CENTER).get("/openapi.json").status()).isEqualTo(200);
    }
  }

  private static List<String> templates(Stackledger app, EndpointRole role) {
    return app.routes(role).stream().map(Router.Description::template).toList();
  }
}
