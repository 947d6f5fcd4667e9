package org.stackledger.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

@Tag("storage")
class TokenEndpointTest {
  private static TestServer server;
  private static TestClient identity;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2);
    identity = server.client(EndpointRole.IDENTITY);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private TestClient.Response clientCredentials(String path, String secret, String scopeOrResource, boolean v1) {
    return identity.form(path, Map.of("grant_type", "client_credentials", "client_id", server.admin().clientId(),
        "client_secret", secret, v1 ? "resource" : "scope", scopeOrResource));
  }

  @Test
  void theV2EndpointIssuesAnRs256TokenWithEntraClaims() throws Exception {
    String home = server.app().homeTenantId();
    var r = clientCredentials("/" + home + "/oauth2/v2.0/token", server.admin().clientSecret(),
        Stackledger.CLOUD_AUDIENCE + ".default", false);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("token_type").asText()).isEqualTo("Bearer");
    assertThat(r.json().path("expires_in").asLong()).isBetween(3000L, 3600L);
    assertThat(r.header("cache-control")).isEqualTo("no-store");
    SignedJWT jwt = SignedJWT.parse(r.json().path("access_token").asText());
    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
    var claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo(server.app().url(EndpointRole.IDENTITY) + home + "/v2.0");
    assertThat(claims.getAudience()).containsExactly(Stackledger.CLOUD_AUDIENCE);
    assertThat(claims.getStringClaim("tid")).isEqualTo(home);
    assertThat(claims.getStringClaim("azp")).isEqualTo(server.admin().clientId());
    assertThat(claims.getStringClaim("oid")).isEqualTo(claims.getSubject()).isNotBlank();
    assertThat(claims.getNotBeforeTime()).isNotNull();
    assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
  }

  @Test
  void theV1EndpointTakesAResourceAndAnswersWithItsOwnShape() throws Exception {
    String home = server.app().homeTenantId();
    var r = clientCredentials("/" + home + "/oauth2/token", server.admin().clientSecret(), Stackledger.CLOUD_AUDIENCE, true);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("resource").asText()).isEqualTo(Stackledger.CLOUD_AUDIENCE);
    assertThat(r.json().path("expires_on").asText()).matches("\\d+");
    var claims = SignedJWT.parse(r.json().path("access_token").asText()).getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo(server.app().url(EndpointRole.IDENTITY) + home + "/");
    assertThat(claims.getStringClaim("appid")).isEqualTo(server.admin().clientId());
  }

  @Test
  void theTenantCanBeNamedByItsDomain() {
    var r = clientCredentials("/" + Stackledger.HOME_DOMAIN + "/oauth2/v2.0/token", server.admin().clientSecret(),
        Stackledger.CLOUD_AUDIENCE + ".default", false);
    assertThat(r.status()).isEqualTo(200);
  }

  @Test
  void aWrongSecretIsInvalidClientAndTheSecretIsNotEchoed() {
    var r = clientCredentials("/" + server.app().homeTenantId() + "/oauth2/v2.0/token", "wrong-secret-value-123",
        Stackledger.CLOUD_AUDIENCE + ".default", false);
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_client");
    assertThat(r.json().path("error_description").asText()).startsWith("AADSTS7000215");
    assertThat(r.json().path("error_codes").get(0).asInt()).isEqualTo(7000215);
    assertThat(r.body()).doesNotContain("wrong-secret-value-123").doesNotContain(server.admin().clientSecret());
  }

  @Test
  void anUnknownClientAnUnknownResourceAndABadScopeAreRefused() {
    String path = "/" + server.app().homeTenantId() + "/oauth2/v2.0/token";
    var unknownClient = identity.form(path, Map.of("grant_type", "client_credentials",
        "client_id", "00000000-0000-0000-0000-000000000001", "client_secret", "whatever-secret-123",
        "scope", Stackledger.CLOUD_AUDIENCE + ".default"));
    assertThat(unknownClient.status()).isEqualTo(400);
    assertThat(unknownClient.json().path("error").asText()).isEqualTo("unauthorized_client");
    var unknownResource = clientCredentials(path, server.admin().clientSecret(), "https://elsewhere.example/.default", false);
    assertThat(unknownResource.json().path("error").asText()).isEqualTo("invalid_resource");
    var badScope = clientCredentials(path, server.admin().clientSecret(), "openid profile", false);
    assertThat(badScope.json().path("error").asText()).isEqualTo("invalid_scope");
    var noGrant = identity.form(path, Map.of("client_id", server.admin().clientId()));
    assertThat(noGrant.status()).isEqualTo(400);
    assertThat(noGrant.json().path("error_description").asText()).contains("'grant_type'");
    var oddGrant = identity.form(path, Map.of("grant_type", "magic", "client_id", server.admin().clientId(),
        "scope", Stackledger.CLOUD_AUDIENCE + ".default"));
    assertThat(oddGrant.json().path("error").asText()).isEqualTo("unsupported_grant_type");
  }

  @Test
  void anUnknownTenantIsInvalidTenant() {
    var r = clientCredentials("/nobody.onmicrosoft.local/oauth2/v2.0/token", server.admin().clientSecret(),
        Stackledger.CLOUD_AUDIENCE + ".default", false);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_tenant");
  }

  @Test
  void aServicePrincipalCannotSignInToATenantItDoesNotBelongTo() {
    var other = server.newTenant("other-" + System.nanoTime() + ".onmicrosoft.local");
    var r = clientCredentials("/" + other.tenantId() + "/oauth2/v2.0/token", server.admin().clientSecret(),
        Stackledger.CLOUD_AUDIENCE + ".default", false);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").asText()).isEqualTo("unauthorized_client");
  }

  @Test
  void aUserSignsInWithThePasswordGrantAndAWrongPasswordIsInvalidGrant() throws Exception {
    String home = server.app().homeTenantId();
    String upn = "mary" + System.nanoTime() + "@" + Stackledger.HOME_DOMAIN;
    server.app().directory().createUser(home, upn, "Mary", "correct horse battery");
    String path = "/" + home + "/oauth2/v2.0/token";
    Map<String, String> form = new java.util.HashMap<>(Map.of("grant_type", "password",
        "client_id", "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "username", upn, "password", "correct horse battery",
        "scope", Stackledger.CLOUD_AUDIENCE + ".default offline_access"));
    var ok = identity.form(path, form);
    assertThat(ok.status()).isEqualTo(200);
    var claims = SignedJWT.parse(ok.json().path("access_token").asText()).getJWTClaimsSet();
    assertThat(claims.getStringClaim("upn")).isEqualTo(upn);
    assertThat(claims.getStringClaim("idtyp")).isEqualTo("user");
    form.put("password", "wrong password");
    var wrong = identity.form(path, form);
    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.json().path("error").asText()).isEqualTo("invalid_grant");
    form.put("username", "nobody@" + Stackledger.HOME_DOMAIN);
    var unknown = identity.form(path, form);
    assertThat(unknown.json().path("error_description").asText()).isEqualTo(wrong.json().path("error_description").asText());
  }

  @Test
  void discoveryNamesTheTenantFirstInTheTokenEndpointAndPublishesTheSigningKey() throws Exception {
    String home = server.app().homeTenantId();
    var v2 = identity.get("/" + Stackledger.HOME_DOMAIN + "/v2.0/.well-known/openid-configuration");
    assertThat(v2.status()).isEqualTo(200);
    String base = server.app().url(EndpointRole.IDENTITY);
    assertThat(v2.json().path("issuer").asText()).isEqualTo(base + home + "/v2.0");
    assertThat(v2.json().path("token_endpoint").asText()).isEqualTo(base + home + "/oauth2/v2.0/token");
    var v1 = identity.get("/" + Stackledger.HOME_DOMAIN + "/.well-known/openid-configuration");
    assertThat(v1.json().path("issuer").asText()).isEqualTo(base + home + "/");
    String jwksUri = v2.json().path("jwks_uri").asText();
    var keys = identity.get(jwksUri);
    assertThat(keys.status()).isEqualTo(200);
    String token = server.token(server.admin().clientId(), server.admin().clientSecret(), home, Stackledger.CLOUD_AUDIENCE);
    String kid = SignedJWT.parse(token).getHeader().getKeyID();
    assertThat(keys.json().path("keys").findValuesAsText("kid")).contains(kid);
    assertThat(keys.body()).doesNotContain("\"d\"");
  }
}
