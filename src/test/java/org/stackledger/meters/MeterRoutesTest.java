package org.stackledger.meters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/** The meter catalogue over HTTPS on both of the deployment's ARM endpoints. */
class MeterRoutesTest {
  private static final String METERS = "/providers/Stackledger.Usage/meters";
  private static final String API = "?api-version=2026-11-01";
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @ParameterizedTest
  @EnumSource(value = EndpointRole.class, names = {"STACK_ADMIN_ARM", "STACK_TENANT_ARM"})
  void theListIsTheWholeCatalogueInTheSpecsOrder(EndpointRole role) throws Exception {
    TestClient.Response r = server.client(role).get(METERS + API);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonNode value = r.json().path("value");
    assertThat(value).hasSize(MeterCatalogue.standard().all().size());
    assertThat(r.json().has("nextLink")).isFalse();
    JsonNode first = value.get(0);
    assertThat(first.path("id").asText()).isEqualTo(METERS + "/F271A8A388C44D93956A063E1D2FA80B");
    assertThat(first.path("name").asText()).isEqualTo("F271A8A388C44D93956A063E1D2FA80B");
    assertThat(first.path("type").asText()).isEqualTo("Stackledger.Usage/meters");
    JsonNode p = first.path("properties");
    assertThat(p.path("meterId").asText()).isEqualTo("F271A8A388C44D93956A063E1D2FA80B");
    assertThat(p.path("meterName").asText()).isEqualTo("Static IP Address Usage");
    assertThat(p.path("unit").asText()).isEqualTo("IP addresses");
    assertThat(p.path("category").asText()).isEqualTo("Network");
    assertThat(p.path("resourceProvider").asText()).isEqualTo("Microsoft.Network");
    assertThat(p.path("kind").asText()).isEqualTo("User");
    assertThat(p.path("period").asText()).isEqualTo("Hourly");
    assertThat(p.path("deprecated").asBoolean(true)).isFalse();
  }

  @ParameterizedTest
  @EnumSource(value = EndpointRole.class, names = {"STACK_ADMIN_ARM", "STACK_TENANT_ARM"})
  void oneMeterIsFoundByItsIdInAnyCase(EndpointRole role) throws Exception {
    TestClient.Response r = server.client(role).get(METERS + "/380874F9-300C-48E0-95A0-D2D9A21ADE8F" + API);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("name").asText()).isEqualTo("380874f9-300c-48e0-95a0-d2d9a21ade8f");
    assertThat(r.json().path("properties").path("meterName").asText()).isEqualTo("S4");
    assertThat(r.json().path("properties").path("period").asText()).isEqualTo("Monthly");
    assertThat(r.json().path("properties").path("notes").asText()).isEqualTo("Standard 32 GB");
  }

  @Test
  void anUnknownMeterIs404InTheArmEnvelope() throws Exception {
    TestClient.Response r = server.client(EndpointRole.STACK_TENANT_ARM).get(METERS + "/F271A8A3-88C4-4D93-956A-063E1D2FA80B" + API);
    assertError(r, 404, "MeterNotFound");
    assertThat(r.json().path("error").path("message").asText()).contains("F271A8A3-88C4-4D93-956A-063E1D2FA80B");
  }

  @Test
  void theApiVersionIsRequiredAndChecked() throws Exception {
    TestClient stack = server.client(EndpointRole.STACK_ADMIN_ARM);
    assertError(stack.get(METERS), 400, "MissingApiVersionParameter");
    assertError(stack.get(METERS + "?api-version=2016-01-01"), 400, "InvalidApiVersionParameter");
  }

  @Test
  void aCallerWithoutATokenIsRefused() throws Exception {
    assertThat(server.client(EndpointRole.STACK_TENANT_ARM).anonymous().get(METERS + API).status()).isEqualTo(401);
  }

  @Test
  void theCloudEndpointHasNoMeters() {
    assertThat(server.client().get(METERS + API).status()).isEqualTo(404);
  }
}
