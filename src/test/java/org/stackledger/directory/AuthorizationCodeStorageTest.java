package org.stackledger.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.testing.CodeFlow;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * The authorization-code flow's tables (V20) on each storage engine; a class of its own so that CI's
 * PostgreSQL pass, which skips H2 servers, runs its PostgreSQL row.
 */
@Tag("storage")
class AuthorizationCodeStorageTest {
  /** The V20 tables on each engine (CI's second pass runs the PostgreSQL row against Debian's server). */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void codesAndRefreshTokensAreSingleUseOnEitherEngine(Engine engine) throws Exception {
    try (TestServer other = TestServer.start(engine)) {
      String tenant = other.app().homeTenantId();
      other.app().directory().createUser(tenant, AuthorizationCodeFlowTest.USER, "Alice Example",
          AuthorizationCodeFlowTest.PASSWORD);
      String id = UUID.randomUUID().toString();
      TestClient.Response made = other.client(EndpointRole.CLOUD_ARM).put(AuthorizationCodeFlowTest.spPath(id),
          "{\"properties\":{\"web\":{\"redirectUris\":[\"" + AuthorizationCodeFlowTest.REDIRECT + "\"]}}}");
      assertThat(made.status()).as(made.body()).isEqualTo(201);
      String secret = made.json().path("properties").path("clientSecret").asText();
      Map<String, String> q = new LinkedHashMap<>(Map.of("client_id", id, "response_type", "code", "redirect_uri", AuthorizationCodeFlowTest.REDIRECT,
          "scope", "openid offline_access " + Stackledger.CLOUD_AUDIENCE + ".default", "state", "s",
          "code_challenge", CodeGrants.s256(AuthorizationCodeFlowTest.VERIFIER), "code_challenge_method", "S256"));
      CodeFlow flow = new CodeFlow(other.app().certificate());
      HttpResponse<String> r = flow.signIn(other.app().url(EndpointRole.IDENTITY) + tenant + "/oauth2/v2.0/authorize?"
          + CodeFlow.encode(q), AuthorizationCodeFlowTest.USER, AuthorizationCodeFlowTest.PASSWORD);
      String code = CodeFlow.query(r.headers().firstValue("Location").orElseThrow()).get("code");
      TestClient to = other.client(EndpointRole.IDENTITY);
      Map<String, String> redeem = Map.of("grant_type", "authorization_code", "client_id", id, "client_secret", secret,
          "code", code, "redirect_uri", AuthorizationCodeFlowTest.REDIRECT, "code_verifier", AuthorizationCodeFlowTest.VERIFIER);

      TestClient.Response first = to.form("/" + tenant + "/oauth2/v2.0/token", redeem);
      assertThat(first.status()).as(first.body()).isEqualTo(200);
      assertThat(to.form("/" + tenant + "/oauth2/v2.0/token", redeem).json().path("error_description").asText())
          .startsWith("AADSTS54005");
      Map<String, String> refresh = Map.of("grant_type", "refresh_token", "client_id", id, "client_secret", secret,
          "refresh_token", first.json().path("refresh_token").asText(), "scope", Stackledger.CLOUD_AUDIENCE + ".default");
      assertThat(to.form("/" + tenant + "/oauth2/v2.0/token", refresh).status()).isEqualTo(200);
      assertThat(to.form("/" + tenant + "/oauth2/v2.0/token", refresh).json().path("error").asText())
          .isEqualTo("invalid_grant");
    }
  }

}
