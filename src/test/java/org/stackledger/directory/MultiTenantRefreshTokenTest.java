package org.stackledger.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.simulate.SimulatedCloud;
import org.stackledger.testing.BilledWorld;
import org.stackledger.testing.CodeFlow;
import org.stackledger.testing.TestClient;

/**
 * Entra's multi-tenant refresh token: the partner's person signs in at the partner's directory, and
 * the refresh token it got there is redeemed at a customer's directory, where the person is a guest
 * (admin on behalf of), for that directory's tokens — the same claims as a sign-in there, accepted by
 * the APIs, reading the customer's invoice as the customer's owner reads it. At a directory the person
 * is not in the answer is Entra's {@code invalid_grant} AADSTS50020, and the token is not spent.
 */
class MultiTenantRefreshTokenTest {
  private static final String REDIRECT = "https://partner-app.example/signin-oidc";
  private static final String VERIFIER = AuthorizationCodeFlowTest.VERIFIER;
  private static BilledWorld world;
  private static SimulatedCloud.Partner partner;
  private static SimulatedCloud.Customer customer;
  private static TestClient identity;
  private static String identityUrl;
  private static String appId;
  private static String appSecret;
  private static String appObjectId;

  @BeforeAll
  static void start() throws Exception {
    world = BilledWorld.build();
    partner = world.world.partner();
    customer = world.customer(1);
    identity = world.server.client(EndpointRole.IDENTITY).anonymous();
    identityUrl = world.server.app().url(EndpointRole.IDENTITY);
    // A web application of the partner's directory, usable in the customer's too (there as a guest, as a
    // multi-tenant application has a service principal in each directory that uses it).
    appId = UUID.randomUUID().toString();
    TestClient.Response made = world.server.client(EndpointRole.CLOUD_ARM).put("/providers/Stackledger.Identity/tenants/"
        + partner.domain() + "/servicePrincipals/" + appId + "?api-version=2026-11-01",
        "{\"properties\":{\"displayName\":\"Partner web app\",\"web\":{\"redirectUris\":[\"" + REDIRECT + "\"]}}}");
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    appSecret = made.json().path("properties").path("clientSecret").asText();
    appObjectId = world.server.app().directory().principalByAppId(appId).orElseThrow().objectId();
    world.server.app().directory().addGuest(customer.tenantId(), appObjectId);
  }

  @AfterAll
  static void stop() throws Exception {
    if (world != null) {
      world.close();
    }
  }

  /** The partner's person signed in at the partner's directory with PKCE: its refresh token. */
  private static String signedInAtHome() throws Exception {
    Map<String, String> q = new LinkedHashMap<>(Map.of("client_id", appId, "response_type", "code", "redirect_uri",
        REDIRECT, "scope", "openid profile offline_access " + Stackledger.CLOUD_AUDIENCE + ".default", "state", "s",
        "nonce", "n", "code_challenge", CodeGrants.s256(VERIFIER), "code_challenge_method", "S256"));
    HttpResponse<String> r = new CodeFlow(world.server.app().certificate()).signIn(identityUrl + partner.tenantId()
        + "/oauth2/v2.0/authorize?" + CodeFlow.encode(q), partner.adminUpn(), partner.adminPassword());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    String code = CodeFlow.query(r.headers().firstValue("Location").orElseThrow()).get("code");
    TestClient.Response tokens = identity.form("/" + partner.tenantId() + "/oauth2/v2.0/token", Map.of("grant_type",
        "authorization_code", "client_id", appId, "client_secret", appSecret, "code", code, "redirect_uri", REDIRECT,
        "code_verifier", VERIFIER));
    assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
    return tokens.json().path("refresh_token").asText();
  }

  private static TestClient.Response refreshAt(String tenant, String token) {
    return identity.form("/" + tenant + "/oauth2/v2.0/token", Map.of("grant_type", "refresh_token", "client_id", appId,
        "client_secret", appSecret, "refresh_token", token, "scope", Stackledger.CLOUD_AUDIENCE + ".default openid"));
  }

  private static TestClient cloudArm(String accessToken) throws Exception {
    return new TestClient(world.server.app().url(EndpointRole.CLOUD_ARM), world.server.app().certificate())
        .withToken(accessToken);
  }

  private static Map<String, Object> claims(String jwt) throws Exception {
    Map<String, Object> claims = new HashMap<>(SignedJWT.parse(jwt).getJWTClaimsSet().getClaims());
    for (String moment : new String[] {"iat", "nbf", "exp", "jti"}) {
      claims.remove(moment);
    }
    return claims;
  }

  @Test
  void aRefreshTokenOfThePartnersDirectoryRedeemedAtACustomersAnswersThatDirectorysTokenAsASignInThereWould()
      throws Exception {
    TestClient.Response there = refreshAt(customer.domain(), signedInAtHome());

    assertThat(there.status()).as(there.body()).isEqualTo(200);
    String token = there.json().path("access_token").asText();
    JWTClaimsSet jwt = SignedJWT.parse(token).getJWTClaimsSet();
    assertThat(jwt.getStringClaim("tid")).isEqualTo(customer.tenantId());
    assertThat(jwt.getIssuer()).isEqualTo(identityUrl + customer.tenantId() + "/v2.0");
    assertThat(SignedJWT.parse(there.json().path("id_token").asText()).getJWTClaimsSet().getStringClaim("tid"))
        .isEqualTo(customer.tenantId());
    TestClient.Response direct = identity.form("/" + customer.domain() + "/oauth2/v2.0/token", Map.of("grant_type",
        "password", "client_id", appId, "username", partner.adminUpn(), "password", partner.adminPassword(), "scope",
        Stackledger.CLOUD_AUDIENCE + ".default"));
    assertThat(direct.status()).as(direct.body()).isEqualTo(200);
    assertThat(claims(token)).isEqualTo(claims(direct.json().path("access_token").asText()));

    TestClient.Response subscriptions = cloudArm(token).get("/subscriptions?api-version=2022-12-01");
    assertThat(subscriptions.status()).as(subscriptions.body()).isEqualTo(200);
    assertThat(subscriptions.body()).contains(customer.cspSubscriptionId());
  }

  @Test
  void theRedeemedTokenReadsTheCustomersInvoiceAsTheCustomersOwnerDoes() throws Exception {
    String home = signedInAtHome();
    String invoice = "/subscriptions/" + customer.cspSubscriptionId() + "/providers/Stackledger.Billing/invoices/"
        + world.month + "?api-version=2026-11-01";
    TestClient.Response atHome = refreshAt(partner.tenantId(), home);
    assertThat(cloudArm(atHome.json().path("access_token").asText()).get(invoice).status()).isEqualTo(404);

    TestClient.Response there = refreshAt(customer.tenantId(), atHome.json().path("refresh_token").asText());
    TestClient.Response read = cloudArm(there.json().path("access_token").asText()).get(invoice);

    assertThat(read.status()).as(read.body()).isEqualTo(200);
    TestClient.Response owners = world.asOwner(customer, EndpointRole.CLOUD_ARM, Stackledger.CLOUD_AUDIENCE).get(invoice);
    assertThat(owners.status()).as(owners.body()).isEqualTo(200);
    assertThat(read.json().path("properties").path("lines")).isNotEmpty();
    assertThat(read.json().path("properties")).isEqualTo(owners.json().path("properties"));
  }

  @Test
  void theRotatedRefreshTokenIsGoodAtEitherDirectoryAndTheUsedOneAtNeither() throws Exception {
    String first = signedInAtHome();
    TestClient.Response there = refreshAt(customer.tenantId(), first);
    assertThat(there.status()).as(there.body()).isEqualTo(200);
    String second = there.json().path("refresh_token").asText();

    TestClient.Response home = refreshAt(partner.tenantId(), second);
    assertThat(home.status()).as(home.body()).isEqualTo(200);
    assertThat(SignedJWT.parse(home.json().path("access_token").asText()).getJWTClaimsSet().getStringClaim("tid"))
        .isEqualTo(partner.tenantId());
    assertThat(refreshAt(customer.tenantId(), home.json().path("refresh_token").asText()).status()).isEqualTo(200);
    for (String tenant : new String[] {partner.tenantId(), customer.tenantId()}) {
      TestClient.Response reused = refreshAt(tenant, first);
      assertThat(reused.status()).isEqualTo(400);
      assertThat(reused.json().path("error").asText()).isEqualTo("invalid_grant");
    }
  }

  @Test
  void atADirectoryThePersonIsNotInTheTokenIsRefusedWithAadsts50020AndIsNotSpent() throws Exception {
    // A directory where the application may be used but the partner's person is neither member nor guest.
    DirectoryTenant elsewhere = world.server.app().directory().createTenant(null, "elsewhere-"
        + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local", null);
    world.server.app().directory().addGuest(elsewhere.tenantId(), appObjectId);
    String token = signedInAtHome();

    TestClient.Response refused = refreshAt(elsewhere.domain(), token);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().path("error").asText()).isEqualTo("invalid_grant");
    assertThat(refused.json().path("error_description").asText()).startsWith("AADSTS50020: User account '"
        + partner.adminUpn() + "'").contains("does not exist in tenant '" + elsewhere.domain() + "'");
    assertThat(refused.json().path("error_codes").toString()).isEqualTo("[50020]");
    assertThat(refused.json().has("access_token")).isFalse();
    assertThat(refused.json().has("refresh_token")).isFalse();
    TestClient.Response stillGood = refreshAt(partner.tenantId(), token);
    assertThat(stillGood.status()).as(stillGood.body()).isEqualTo(200);
  }

  @Test
  void atADirectoryTheApplicationIsNotInTheClientIsRefusedFirst() throws Exception {
    DirectoryTenant elsewhere = world.server.app().directory().createTenant(null, "noapp-"
        + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local", null);
    String personId = world.server.app().directory().principalByUpn(partner.adminUpn()).orElseThrow().objectId();
    world.server.app().directory().addGuest(elsewhere.tenantId(), personId);
    String token = signedInAtHome();

    TestClient.Response refused = refreshAt(elsewhere.tenantId(), token);

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().path("error").asText()).isEqualTo("unauthorized_client");
    assertThat(refreshAt(partner.tenantId(), token).status()).isEqualTo(200);
  }
}
