package org.stackledger.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.identity.MovableClock;
import org.stackledger.testing.CodeFlow;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * The authorization-code flow with PKCE at the identity endpoint, with {@link CodeFlow} as the browser:
 * an application registered with a redirect URI through the operator API signs a user in, redeems the
 * code, and calls an ARM endpoint with the token; and every way the flow refuses.
 */
@Tag("storage")
class AuthorizationCodeFlowTest {
  static final String REDIRECT = "https://app.example/signin-oidc";
  private static final String REDIRECT_WITH_QUERY = "https://app.example/cb?tenant=a";
  static final String USER = "alice@" + Stackledger.HOME_DOMAIN;
  static final String PASSWORD = "correct-horse-battery";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MovableClock CLOCK = new MovableClock();
  private static TestServer server;
  private static CodeFlow browser;
  private static TestClient identity;
  private static String identityUrl;
  private static String home;
  private static String appId;
  private static String appSecret;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2, o -> o.withClock(CLOCK));
    browser = new CodeFlow(server.app().certificate());
    identity = server.client(EndpointRole.IDENTITY);
    identityUrl = server.app().url(EndpointRole.IDENTITY);
    home = server.app().homeTenantId();
    server.app().directory().createUser(home, USER, "Alice Example", PASSWORD);
    appId = UUID.randomUUID().toString();
    TestClient.Response made = server.client(EndpointRole.CLOUD_ARM).put(spPath(appId),
        "{\"properties\":{\"displayName\":\"Web app\",\"web\":{\"redirectUris\":[\"" + REDIRECT + "\",\""
            + REDIRECT_WITH_QUERY + "\"]}}}");
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    assertThat(made.json().path("properties").path("web").path("redirectUris").toString()).contains(REDIRECT);
    appSecret = made.json().path("properties").path("clientSecret").asText();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  static String spPath(String id) {
    return "/providers/Stackledger.Identity/tenants/" + Stackledger.HOME_DOMAIN + "/servicePrincipals/" + id
        + "?api-version=2026-11-01";
  }

  private static String authorize(String clientId, String redirect, Map<String, String> extra) {
    Map<String, String> q = new LinkedHashMap<>(Map.of("client_id", clientId, "response_type", "code",
        "redirect_uri", redirect, "scope", "openid profile offline_access " + Stackledger.CLOUD_AUDIENCE + ".default",
        "state", "the-state", "nonce", "the-nonce"));
    q.putAll(extra);
    return identityUrl + home + "/oauth2/v2.0/authorize?" + CodeFlow.encode(q);
  }

  static final String VERIFIER = "a-verifier-of-at-least-forty-three-characters-long-0123456789";

  /** Signs Alice in with PKCE and answers the code the redirect carried. */
  private static String code() throws Exception {
    HttpResponse<String> r = browser.signIn(authorize(appId, REDIRECT, Map.of("code_challenge",
        CodeGrants.s256(VERIFIER), "code_challenge_method", "S256")), USER, PASSWORD);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    String location = r.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(REDIRECT + "?");
    Map<String, String> q = CodeFlow.query(location);
    assertThat(q).containsEntry("state", "the-state");
    return q.get("code");
  }

  private static TestClient.Response redeem(String code, String verifier) {
    return identity.form("/" + home + "/oauth2/v2.0/token", Map.of("grant_type", "authorization_code", "client_id", appId,
        "client_secret", appSecret, "code", code, "redirect_uri", REDIRECT, "code_verifier", verifier));
  }

  @Test
  void aUserSignsInWithPkceAndTheAccessTokenIsAcceptedByAnArmEndpoint() throws Exception {
    TestClient.Response tokens = redeem(code(), VERIFIER);

    assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
    assertThat(tokens.json().path("token_type").asText()).isEqualTo("Bearer");
    assertThat(tokens.json().path("refresh_token").asText()).isNotBlank();
    assertThat(tokens.json().path("scope").asText()).contains(".default").contains("openid").contains("offline_access");
    assertThat(tokens.json().path("expires_in").asLong()).isPositive();
    TestClient arm = new TestClient(server.app().url(EndpointRole.CLOUD_ARM), server.app().certificate())
        .withToken(tokens.json().path("access_token").asText());
    TestClient.Response subscriptions = arm.get("/subscriptions?api-version=2022-12-01");
    assertThat(subscriptions.status()).as(subscriptions.body()).isEqualTo(200);
  }

  @Test
  void theIdTokenNamesTheUserForTheClientAndCarriesTheNonce() throws Exception {
    TestClient.Response tokens = redeem(code(), VERIFIER);
    SignedJWT idToken = SignedJWT.parse(tokens.json().path("id_token").asText());
    JWKSet keys = JWKSet.parse(identity.get("/" + home + "/discovery/v2.0/keys").body());
    assertThat(idToken.verify(new RSASSAVerifier((RSAKey) keys.getKeyByKeyId(idToken.getHeader().getKeyID())))).isTrue();
    JWTClaimsSet claims = idToken.getJWTClaimsSet();
    JsonNode discovery = identity.get("/" + home + "/v2.0/.well-known/openid-configuration").json();

    assertThat(claims.getIssuer()).isEqualTo(discovery.path("issuer").asText());
    assertThat(claims.getAudience()).containsExactly(appId);
    assertThat(claims.getStringClaim("nonce")).isEqualTo("the-nonce");
    assertThat(claims.getStringClaim("tid")).isEqualTo(home);
    String oid = server.app().directory().principalByUpn(USER).orElseThrow().objectId();
    assertThat(claims.getStringClaim("oid")).isEqualTo(oid);
    assertThat(claims.getSubject()).isEqualTo(oid);
    assertThat(claims.getStringClaim("name")).isEqualTo("Alice Example");
    assertThat(claims.getStringClaim("preferred_username")).isEqualTo(USER);
    assertThat(claims.getStringClaim("ver")).isEqualTo("2.0");
    assertThat(claims.getIssueTime()).isNotNull();
    assertThat(claims.getNotBeforeTime()).isNotNull();
    assertThat(claims.getExpirationTime()).isAfter(claims.getIssueTime());
  }

  @Test
  void aWrongVerifierIsRefusedAndTheCodeIsSpent() throws Exception {
    String code = code();
    TestClient.Response wrong = redeem(code, VERIFIER.replace('a', 'b'));

    assertThat(wrong.status()).isEqualTo(400);
    assertThat(wrong.json().path("error").asText()).isEqualTo("invalid_grant");
    assertThat(wrong.json().path("error_description").asText()).startsWith("AADSTS501481");
    assertThat(redeem(code, VERIFIER).json().path("error_description").asText()).startsWith("AADSTS54005");
  }

  @Test
  void aCodeIsRedeemedOnce() throws Exception {
    String code = code();
    assertThat(redeem(code, VERIFIER).status()).isEqualTo(200);

    TestClient.Response again = redeem(code, VERIFIER);

    assertThat(again.status()).isEqualTo(400);
    assertThat(again.json().path("error").asText()).isEqualTo("invalid_grant");
    assertThat(again.json().path("error_description").asText()).startsWith("AADSTS54005");
  }

  @Test
  void aCodeOlderThanTenMinutesHasExpired() throws Exception {
    String code = code();
    CLOCK.advance(Duration.ofMinutes(11));

    TestClient.Response late = redeem(code, VERIFIER);

    assertThat(late.json().path("error").asText()).isEqualTo("invalid_grant");
    assertThat(late.json().path("error_description").asText()).startsWith("AADSTS70008");
  }

  @Test
  void anUnregisteredRedirectUriIsShownOnThePageAndNeverRedirectedTo() throws Exception {
    HttpResponse<String> r = browser.get(authorize(appId, "https://evil.example/steal", Map.of()), null);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Location")).isEmpty();
    assertThat(r.body()).contains("AADSTS50011").doesNotContain("<form");
    HttpResponse<String> unknownClient = browser.get(authorize(UUID.randomUUID().toString(), REDIRECT, Map.of()), null);
    assertThat(unknownClient.statusCode()).isEqualTo(400);
    assertThat(unknownClient.headers().firstValue("Location")).isEmpty();
    assertThat(unknownClient.body()).contains("AADSTS700016");
  }

  @Test
  void otherProblemsGoBackToTheRedirectUriWithTheState() throws Exception {
    HttpResponse<String> plain = browser.get(authorize(appId, REDIRECT, Map.of("code_challenge", "x".repeat(43),
        "code_challenge_method", "plain")), null);
    assertThat(plain.statusCode()).isEqualTo(302);
    Map<String, String> q = CodeFlow.query(plain.headers().firstValue("Location").orElseThrow());
    assertThat(q).containsEntry("error", "invalid_request").containsEntry("state", "the-state");
    assertThat(q.get("error_description")).contains("S256");

    HttpResponse<String> withQuery = browser.get(authorize(appId, REDIRECT_WITH_QUERY, Map.of("response_type", "token")),
        null);
    assertThat(withQuery.headers().firstValue("Location")).get().asString()
        .startsWith(REDIRECT_WITH_QUERY + "&error=unsupported_response_type&");

    HttpResponse<String> longNonce = browser.get(authorize(appId, REDIRECT, Map.of("nonce", "n".repeat(600))), null);
    assertThat(CodeFlow.query(longNonce.headers().firstValue("Location").orElseThrow()))
        .containsEntry("error", "invalid_request");

    HttpResponse<String> token = browser.get(authorize(appId, REDIRECT, Map.of("response_type", "token")), null);
    assertThat(CodeFlow.query(token.headers().firstValue("Location").orElseThrow()))
        .containsEntry("error", "unsupported_response_type");

    // A public client (Azure CLI, on a loopback port) must send a challenge.
    HttpResponse<String> noPkce = browser.get(authorize("04b07795-8ddb-461a-bbee-02f9e1bf7b46",
        "http://localhost:8400/", Map.of()), null);
    assertThat(CodeFlow.query(noPkce.headers().firstValue("Location").orElseThrow()))
        .containsEntry("error", "invalid_request");
  }

  @Test
  void aWrongPasswordAndAnUnknownUserReShowThePageWithTheSameWords() throws Exception {
    String url = authorize(appId, REDIRECT, Map.of("code_challenge", CodeGrants.s256(VERIFIER),
        "code_challenge_method", "S256"));
    HttpResponse<String> wrong = browser.signIn(url, USER, "not-the-password");
    HttpResponse<String> unknown = browser.signIn(url, "nobody@" + Stackledger.HOME_DOMAIN, "not-the-password");

    for (HttpResponse<String> r : java.util.List.of(wrong, unknown)) {
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.headers().firstValue("Location")).isEmpty();
      assertThat(r.body()).contains("Your account or password is incorrect").contains("id=\"username\"")
          .contains("id=\"password\"").contains("id=\"signin\"").doesNotContain("not-the-password");
    }
  }

  @Test
  void formPostAnswersAPageThatPostsTheCodeToTheRedirectUri() throws Exception {
    HttpResponse<String> r = browser.signIn(authorize(appId, REDIRECT, Map.of("response_mode", "form_post",
        "code_challenge", CodeGrants.s256(VERIFIER), "code_challenge_method", "S256")), USER, PASSWORD);

    assertThat(r.statusCode()).isEqualTo(200);
    CodeFlow.Form form = CodeFlow.form(r);
    assertThat(form.action()).isEqualTo(REDIRECT);
    assertThat(form.fields()).containsEntry("state", "the-state").containsKey("code");
    assertThat(r.body()).contains("id=\"continue\"").doesNotContain("<script");
    assertThat(r.headers().firstValue("Content-Security-Policy")).get().asString()
        .contains("form-action https://app.example");
    assertThat(redeem(form.fields().get("code"), VERIFIER).status()).isEqualTo(200);
  }

  @Test
  void theSignInPageLocksAnAccountAsThePasswordGrantDoes() throws Exception {
    String bob = "bob@" + Stackledger.HOME_DOMAIN;
    server.app().directory().createUser(home, bob, "Bob", PASSWORD);
    String url = authorize(appId, REDIRECT, Map.of("code_challenge", CodeGrants.s256(VERIFIER),
        "code_challenge_method", "S256"));
    for (int i = 0; i < 10; i++) {
      assertThat(browser.signIn(url, bob, "wrong-" + i).statusCode()).isEqualTo(400);
    }

    HttpResponse<String> locked = browser.signIn(url, bob, PASSWORD);

    assertThat(locked.statusCode()).isEqualTo(400);
    assertThat(locked.headers().firstValue("Location")).isEmpty();
    assertThat(locked.body()).contains("account is locked");
    TestClient.Response grant = identity.form("/" + home + "/oauth2/v2.0/token", Map.of("grant_type", "password",
        "client_id", "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "username", bob, "password", PASSWORD,
        "scope", Stackledger.CLOUD_AUDIENCE + ".default"));
    assertThat(grant.json().path("error_description").asText()).startsWith("AADSTS50053");
  }

  @Test
  void aFormPostedWithoutThePagesCookieIsRefused() throws Exception {
    HttpResponse<String> page = browser.get(authorize(appId, REDIRECT, Map.of()), null);
    CodeFlow.Form form = CodeFlow.form(page);
    Map<String, String> fields = new LinkedHashMap<>(form.fields());
    fields.put("username", USER);
    fields.put("password", PASSWORD);

    HttpResponse<String> forged = browser.post(form.action(), fields, null);

    assertThat(forged.statusCode()).isEqualTo(400);
    assertThat(forged.headers().firstValue("Location")).isEmpty();
    assertThat(forged.body()).contains("expired");
  }

  @Test
  void theRefreshTokenGetsTokensForAnotherAudienceAndIsRotated() throws Exception {
    String first = redeem(code(), VERIFIER).json().path("refresh_token").asText();

    TestClient.Response partner = refresh(first, Stackledger.PARTNER_CENTER_AUDIENCE + "/.default");
    assertThat(partner.status()).as(partner.body()).isEqualTo(200);
    JWTClaimsSet claims = SignedJWT.parse(partner.json().path("access_token").asText()).getJWTClaimsSet();
    assertThat(claims.getAudience()).containsExactly(Stackledger.PARTNER_CENTER_AUDIENCE);
    String second = partner.json().path("refresh_token").asText();
    assertThat(second).isNotBlank().isNotEqualTo(first);

    TestClient.Response reused = refresh(first, Stackledger.CLOUD_AUDIENCE + ".default");
    assertThat(reused.status()).isEqualTo(400);
    assertThat(reused.json().path("error").asText()).isEqualTo("invalid_grant");
    assertThat(refresh(second, Stackledger.STACK_ADMIN_AUDIENCE + ".default").status()).isEqualTo(200);
  }

  private static TestClient.Response refresh(String token, String scope) {
    return identity.form("/" + home + "/oauth2/v2.0/token", Map.of("grant_type", "refresh_token", "client_id", appId,
        "client_secret", appSecret, "refresh_token", token, "scope", scope));
  }

  @Test
  void aRefreshTokenIsRefusedOnceItsUserNoLongerBelongsToTheDirectory() throws Exception {
    TestServer.TestTenant elsewhere = server.newTenant("guests-" + UUID.randomUUID().toString().substring(0, 8)
        + ".onmicrosoft.local");
    String guestUpn = "guest@" + elsewhere.domain();
    String guest = server.app().directory().createUser(elsewhere.tenantId(), guestUpn, "A Guest", PASSWORD).objectId();
    server.app().directory().addGuest(home, guest);
    HttpResponse<String> r = browser.signIn(authorize(appId, REDIRECT, Map.of("code_challenge", CodeGrants.s256(VERIFIER),
        "code_challenge_method", "S256")), guestUpn, PASSWORD);
    String token = redeem(CodeFlow.query(r.headers().firstValue("Location").orElseThrow()).get("code"), VERIFIER).json()
        .path("refresh_token").asText();

    server.app().directory().removeGuest(home, guest);
    TestClient.Response refused = refresh(token, Stackledger.CLOUD_AUDIENCE + ".default");

    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.json().path("error").asText()).isEqualTo("invalid_grant");
    assertThat(refused.json().path("error_description").asText()).startsWith("AADSTS50034");
  }

  @Test
  void theV1EndpointsTakeAResourceAndAlwaysAnswerAnIdTokenAndARefreshToken() throws Exception {
    Map<String, String> q = new LinkedHashMap<>(Map.of("client_id", appId, "response_type", "code", "redirect_uri",
        REDIRECT, "resource", Stackledger.STACK_ADMIN_AUDIENCE, "state", "s1", "nonce", "n1",
        "code_challenge", CodeGrants.s256(VERIFIER), "code_challenge_method", "S256"));
    HttpResponse<String> r = browser.signIn(identityUrl + home + "/oauth2/authorize?" + CodeFlow.encode(q), USER, PASSWORD);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    String code = CodeFlow.query(r.headers().firstValue("Location").orElseThrow()).get("code");

    TestClient.Response tokens = identity.form("/" + home + "/oauth2/token", Map.of("grant_type", "authorization_code",
        "client_id", appId, "client_secret", appSecret, "code", code, "redirect_uri", REDIRECT, "code_verifier", VERIFIER,
        "resource", Stackledger.STACK_ADMIN_AUDIENCE));

    assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
    assertThat(tokens.json().path("resource").asText()).isEqualTo(Stackledger.STACK_ADMIN_AUDIENCE);
    assertThat(tokens.json().path("refresh_token").asText()).isNotBlank();
    JWTClaimsSet id = SignedJWT.parse(tokens.json().path("id_token").asText()).getJWTClaimsSet();
    assertThat(id.getIssuer()).isEqualTo(identityUrl + home + "/");
    assertThat(id.getStringClaim("ver")).isEqualTo("1.0");
    assertThat(id.getStringClaim("nonce")).isEqualTo("n1");
  }

  @Test
  void aBadRedirectUriIsRefusedNamingTheField() throws Exception {
    TestClient.Response r = server.client(EndpointRole.CLOUD_ARM).put(spPath(UUID.randomUUID().toString()),
        "{\"properties\":{\"displayName\":\"Bad\",\"web\":{\"redirectUris\":[\"https://ok.example/cb\","
            + "\"http://app.example/cb\"]}}}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error").path("code").asText()).isEqualTo("InvalidRedirectUri");
    assertThat(r.json().path("error").path("target").asText()).isEqualTo("properties.web.redirectUris[1]");
    assertThat(r.json().path("error").path("message").asText()).contains("https");
    TestClient.Response fragment = server.client(EndpointRole.CLOUD_ARM).put(spPath(UUID.randomUUID().toString()),
        "{\"properties\":{\"web\":{\"redirectUris\":[\"https://app.example/cb#x\"]}}}");
    assertThat(fragment.json().path("error").path("message").asText()).contains("fragment");
  }

  @Test
  void discoveryAdvertisesTheCodeFlowAndSignOutGoesBackOnlyToARegisteredOrigin() throws Exception {
    JsonNode d = identity.get("/" + home + "/v2.0/.well-known/openid-configuration").json();
    assertThat(d.path("response_types_supported").toString()).contains("\"code\"").contains("\"id_token\"");
    assertThat(d.path("grant_types_supported").toString()).contains("authorization_code").contains("refresh_token");
    assertThat(d.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
    String logout = d.path("end_session_endpoint").asText();

    HttpResponse<String> back = browser.get(logout + "?post_logout_redirect_uri="
        + URLEncoder.encode("https://app.example/", StandardCharsets.UTF_8), null);
    assertThat(back.statusCode()).isEqualTo(302);
    assertThat(back.headers().firstValue("Location")).contains("https://app.example/");
    HttpResponse<String> elsewhere = browser.get(logout + "?post_logout_redirect_uri="
        + URLEncoder.encode("https://evil.example/", StandardCharsets.UTF_8), null);
    assertThat(elsewhere.statusCode()).isEqualTo(200);
    assertThat(elsewhere.body()).contains("signed out");
  }

  // Single-page apps (spa.redirectUris): MsalBrowserFlowTest drives the real library; these pin the rules.

  private static final String SPA_REDIRECT = "https://spa.example/app";
  private static final String ORIGIN = "https://spa.example";

  /** A form post to the token endpoint from a browser at {@code origin} (null: from a server). */
  private static TestClient.Response token(Map<String, String> form, String origin) {
    Map<String, String> headers = new LinkedHashMap<>(Map.of("Content-Type", "application/x-www-form-urlencoded"));
    if (origin != null) {
      headers.put("Origin", origin);
    }
    return identity.send("POST", "/" + home + "/oauth2/v2.0/token", CodeFlow.encode(form), headers);
  }

  private static String spaApp() throws Exception {
    String id = UUID.randomUUID().toString();
    TestClient.Response made = server.client(EndpointRole.CLOUD_ARM).put(spPath(id),
        "{\"properties\":{\"displayName\":\"Browser app\",\"spa\":{\"redirectUris\":[\"" + SPA_REDIRECT + "\"]}}}");
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    return id;
  }

  private static String spaCode(String spaId, Map<String, String> extra) throws Exception {
    HttpResponse<String> r = browser.signIn(authorize(spaId, SPA_REDIRECT, extra), USER, PASSWORD);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(302);
    String location = r.headers().firstValue("Location").orElseThrow();
    return CodeFlow.query(location.replace('#', '?')).get("code");
  }

  private static int aadsts(TestClient.Response r) {
    return r.json().path("error_codes").path(0).asInt();
  }

  @Test
  void aWebAppsCodeIsNotRedeemedCrossOriginAndStaysGoodForItsServer() throws Exception {
    String code = code();
    TestClient.Response fromBrowser = token(Map.of("grant_type", "authorization_code", "client_id", appId,
        "client_secret", appSecret, "code", code, "redirect_uri", REDIRECT, "code_verifier", VERIFIER), ORIGIN);

    assertThat(fromBrowser.status()).isEqualTo(400);
    assertThat(aadsts(fromBrowser)).isEqualTo(9002326);
    assertThat(fromBrowser.header("access-control-allow-origin")).as("the refusal is readable").isEqualTo(ORIGIN);
    assertThat(redeem(code, VERIFIER).status()).isEqualTo(200);
  }

  @Test
  void aSinglePageAppRedeemsItsCodeAndRefreshTokenFromTheBrowserOnly() throws Exception {
    String spaId = spaApp();
    Map<String, String> pkce = Map.of("code_challenge", CodeGrants.s256(VERIFIER), "code_challenge_method", "S256",
        "response_mode", "fragment");
    HttpResponse<String> signedIn = browser.signIn(authorize(spaId, SPA_REDIRECT, pkce), USER, PASSWORD);
    assertThat(signedIn.headers().firstValue("Location").orElseThrow()).as("fragment").startsWith(SPA_REDIRECT + "#code=");
    String code = CodeFlow.query(signedIn.headers().firstValue("Location").orElseThrow().replace('#', '?')).get("code");
    Map<String, String> redemption = Map.of("grant_type", "authorization_code", "client_id", spaId, "code", code,
        "redirect_uri", SPA_REDIRECT, "code_verifier", VERIFIER, "client_info", "1");

    TestClient.Response fromServer = token(redemption, null);
    assertThat(fromServer.status()).isEqualTo(400);
    assertThat(aadsts(fromServer)).isEqualTo(9002327);
    TestClient.Response tokens = token(redemption, ORIGIN);
    assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
    assertThat(tokens.header("access-control-allow-origin")).isEqualTo(ORIGIN);
    JsonNode clientInfo = JSON.readTree(java.util.Base64.getUrlDecoder().decode(tokens.json().path("client_info").asText()));
    assertThat(clientInfo.path("utid").asText()).isEqualTo(home);
    assertThat(clientInfo.path("uid").asText()).isEqualTo(SignedJWT.parse(tokens.json().path("access_token").asText())
        .getJWTClaimsSet().getStringClaim("oid"));
    long firstLifetime = tokens.json().path("refresh_token_expires_in").asLong();

    Map<String, String> refresh = Map.of("grant_type", "refresh_token", "client_id", spaId, "refresh_token",
        tokens.json().path("refresh_token").asText(), "scope", Stackledger.CLOUD_AUDIENCE + ".default offline_access");
    assertThat(aadsts(token(refresh, null))).isEqualTo(9002327);
    CLOCK.advance(java.time.Duration.ofMinutes(30));
    TestClient.Response again = token(refresh, ORIGIN);
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.header("access-control-allow-origin")).isEqualTo(ORIGIN);
    // A browser's sign-in lasts 24 hours from the sign-in, however often it refreshes.
    assertThat(again.json().path("refresh_token_expires_in").asLong()).isLessThanOrEqualTo(firstLifetime - 30 * 60);
  }

  @Test
  void aSinglePageAppsCodeWithoutPkceIsRefused() throws Exception {
    String spaId = spaApp();
    String code = spaCode(spaId, Map.of());
    TestClient.Response r = token(Map.of("grant_type", "authorization_code", "client_id", spaId, "code", code,
        "redirect_uri", SPA_REDIRECT), ORIGIN);
    assertThat(r.status()).isEqualTo(400);
    assertThat(aadsts(r)).isEqualTo(9002325);
  }

  @Test
  void aBrowsersPreflightIsAnsweredAndTheDiscoveryDocumentIsReadableFromAnyOrigin() {
    TestClient.Response pre = identity.send("OPTIONS", "/" + home + "/oauth2/v2.0/token", null, Map.of("Origin", ORIGIN,
        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "content-type"));
    assertThat(pre.status()).isEqualTo(204);
    assertThat(pre.header("access-control-allow-origin")).isEqualTo(ORIGIN);
    assertThat(pre.header("access-control-allow-methods")).contains("POST");
    TestClient.Response discovery = identity.get("/" + home + "/v2.0/.well-known/openid-configuration");
    assertThat(discovery.header("access-control-allow-origin")).isEqualTo("*");
    assertThat(discovery.json().path("response_modes_supported").toString()).contains("fragment");
  }
}
