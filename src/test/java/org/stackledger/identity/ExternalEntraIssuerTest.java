package org.stackledger.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.ServerOptions;
import org.stackledger.app.Stackledger;
import org.stackledger.directory.TokenIssuer;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * Two deployments' identity systems: server {@code deployment}'s stack endpoints trust a tenant of
 * server {@code entra} (an Entra-like issuer over HTTPS with its own self-signed certificate, given
 * as the CA) instead of {@code deployment}'s own directory, while its cloud endpoints keep the
 * built-in one. A token of either identity system used where the other is trusted is a 401 and
 * changes nothing.
 */
class ExternalEntraIssuerTest {
  private static final String STACK_LIST = "/subscriptions?api-version=2015-11-01";
  private static TestServer entra;
  private static TestServer.TestTenant fabrikam;
  private static TestServer deployment;
  private static String loginEndpoint;

  @BeforeAll
  static void start() throws Exception {
    entra = TestServer.start(Engine.H2);
    fabrikam = entra.newTenant("fabrikam-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local");
    loginEndpoint = entra.app().url(EndpointRole.IDENTITY) + fabrikam.tenantId() + "/v2.0/";
    deployment = TestServer.start(Engine.H2, o -> o.withStackIdentity(new ServerOptions.StackIdentity(
        loginEndpoint + ".well-known/openid-configuration", entra.app().certificate(), null)));
  }

  @AfterAll
  static void stop() throws Exception {
    deployment.close();
    entra.close();
  }

  private static String fabrikamToken(String audience) {
    return entra.token(fabrikam.clientId(), fabrikam.clientSecret(), fabrikam.tenantId(), audience);
  }

  private static String deploymentToken(String audience) {
    return deployment.token(deployment.admin().clientId(), deployment.admin().clientSecret(),
        deployment.app().homeTenantId(), audience);
  }

  private static TestClient.Response call(EndpointRole role, String token, String method, String path, String body) {
    try {
      return new TestClient(deployment.app().url(role), deployment.app().certificate()).withToken(token)
          .send(method, path, body, body == null ? java.util.Map.of() : java.util.Map.of("Content-Type", "application/json"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aTokenOfTheTrustedExternalTenantIsAcceptedOnBothStackEndpoints() {
    TestClient.Response tenantArm = call(EndpointRole.STACK_TENANT_ARM,
        fabrikamToken(Stackledger.STACK_TENANT_AUDIENCE), "GET", STACK_LIST, null);
    assertThat(tenantArm.status()).as(tenantArm.body()).isEqualTo(200);
    assertThat(tenantArm.json().path("value").isArray()).isTrue();
    assertThat(tenantArm.json().path("value")).isEmpty();
    TestClient.Response adminArm = call(EndpointRole.STACK_ADMIN_ARM,
        fabrikamToken(Stackledger.STACK_ADMIN_AUDIENCE), "GET", STACK_LIST, null);
    assertThat(adminArm.status()).as(adminArm.body()).isEqualTo(200);
  }

  @Test
  void theDeploymentsOwnTokenIsRefusedOnItsStackEndpointsButAcceptedOnItsCloudEndpoint() {
    for (EndpointRole role : List.of(EndpointRole.STACK_TENANT_ARM, EndpointRole.STACK_ADMIN_ARM)) {
      String audience = role == EndpointRole.STACK_TENANT_ARM ? Stackledger.STACK_TENANT_AUDIENCE
          : Stackledger.STACK_ADMIN_AUDIENCE;
      TestClient.Response r = call(role, deploymentToken(audience), "GET", STACK_LIST, null);
      assertThat(r.status()).as(role.key()).isEqualTo(401);
      assertThat(r.errorCode()).isEqualTo("InvalidAuthenticationToken");
      assertThat(r.header("www-authenticate")).startsWith("Bearer authorization_uri=\"" + loginEndpoint + "\"");
    }
    TestClient.Response cloud = call(EndpointRole.CLOUD_ARM, deploymentToken(Stackledger.CLOUD_AUDIENCE), "GET",
        "/subscriptions?api-version=2022-12-01", null);
    assertThat(cloud.status()).isEqualTo(200);
    assertThat(cloud.body()).contains(deployment.app().operatorSubscriptionId());
  }

  @Test
  void anExternalTokenIsRefusedOnTheCloudEndpointAndChangesNothing() {
    String group = "/subscriptions/" + deployment.app().operatorSubscriptionId() + "/resourceGroups/rg-from-entra"
        + "?api-version=2025-04-01";
    for (String audience : List.of(Stackledger.CLOUD_AUDIENCE, Stackledger.STACK_TENANT_AUDIENCE)) {
      TestClient.Response r = call(EndpointRole.CLOUD_ARM, fabrikamToken(audience), "PUT", group, "{\"location\":\"westus\"}");
      assertThat(r.status()).as(audience).isEqualTo(401);
      assertThat(r.header("www-authenticate")).contains(deployment.app().url(EndpointRole.IDENTITY));
    }
    assertThat(deployment.client().get(group).status()).as("nothing was created").isEqualTo(404);
  }

  @Test
  void anotherTenantOfTheSameIssuerIsNotTrusted() {
    String entraHome = entra.token(entra.admin().clientId(), entra.admin().clientSecret(), entra.app().homeTenantId(),
        Stackledger.STACK_TENANT_AUDIENCE);
    assertThat(call(EndpointRole.STACK_TENANT_ARM, entraHome, "GET", STACK_LIST, null).status()).isEqualTo(401);
  }

  @Test
  void theStackEndpointsNameTheIssuerAsTheirLoginEndpoint() throws Exception {
    for (EndpointRole role : List.of(EndpointRole.STACK_ADMIN_ARM, EndpointRole.STACK_TENANT_ARM)) {
      var body = deployment.client(role).anonymous().get("/metadata/endpoints?api-version=2015-01-01").json();
      assertThat(body.path("authentication").path("loginEndpoint").asText()).as(role.key()).isEqualTo(loginEndpoint);
    }
    var cloud = deployment.client().anonymous().get("/metadata/endpoints?api-version=2015-01-01").json();
    assertThat(cloud.path("authentication").path("loginEndpoint").asText())
        .isEqualTo(deployment.app().url(EndpointRole.IDENTITY));
  }

  static Stream<Arguments> badTokens() {
    String aud = Stackledger.STACK_TENANT_AUDIENCE;
    String valid = fabrikamToken(aud);
    String[] parts = valid.split("\\.");
    String none = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("\"oid\":\"", "\"oid\":\"0");
    return Stream.of(
        Arguments.of("wrong audience", fabrikamToken(Stackledger.CLOUD_AUDIENCE)),
        Arguments.of("audience of the admin endpoint", fabrikamToken(Stackledger.STACK_ADMIN_AUDIENCE)),
        Arguments.of("expired", fabrikamTokenAt(Instant.now().minus(Duration.ofHours(3)))),
        Arguments.of("not yet valid", fabrikamTokenAt(Instant.now().plus(Duration.ofHours(2)))),
        Arguments.of("alg none", none),
        Arguments.of("tampered payload", parts[0] + "." + b64(payload) + "." + parts[2]));
  }

  private static String fabrikamTokenAt(Instant when) {
    TokenIssuer issuer = new TokenIssuer(entra.app().signingKeys(), () -> entra.app().url(EndpointRole.IDENTITY),
        Clock.fixed(when, ZoneOffset.UTC));
    var principal = entra.app().directory().principalByAppId(fabrikam.clientId()).orElseThrow();
    return issuer.issue(principal, fabrikam.tenantId(), Stackledger.STACK_TENANT_AUDIENCE, fabrikam.clientId(),
        TokenIssuer.Version.V2).accessToken();
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTokens")
  void aBadTokenOfTheExternalIssuerIsRefusedWith401(String why, String token) {
    TestClient.Response r = call(EndpointRole.STACK_TENANT_ARM, token, "GET", STACK_LIST, null);
    assertThat(r.status()).as(why).isEqualTo(401);
    assertThat(r.errorCode()).isIn("InvalidAuthenticationToken", "ExpiredAuthenticationToken");
    assertThat(r.header("www-authenticate")).startsWith("Bearer authorization_uri=\"" + loginEndpoint + "\"");
    assertThat(r.body()).doesNotContain(token);
  }
}
