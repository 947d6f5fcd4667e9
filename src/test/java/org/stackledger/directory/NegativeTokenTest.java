package org.stackledger.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * Every way a token can be wrong answers 401 with a challenge, and the refused write changes
 * nothing: the resource group each case tries to create does not exist afterwards.
 */
@Tag("storage")
class NegativeTokenTest {
  private static TestServer server;
  private static TestServer otherServer;
  private static String subscription;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2);
    otherServer = TestServer.start(Engine.H2);
    subscription = server.newSubscription();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (otherServer != null) {
      otherServer.close();
    }
  }

  private static String validToken() {
    return server.token(server.admin().clientId(), server.admin().clientSecret(), server.app().homeTenantId(),
        Stackledger.CLOUD_AUDIENCE);
  }

  private static JWTClaimsSet.Builder claims(Instant now) {
    String identity = server.app().url(EndpointRole.IDENTITY);
    String home = server.app().homeTenantId();
    return new JWTClaimsSet.Builder().issuer(identity + home + "/v2.0").audience(Stackledger.CLOUD_AUDIENCE)
        .subject("s").issueTime(Date.from(now)).notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1)))).claim("tid", home)
        .claim("oid", adminObjectId()).claim("azp", server.admin().clientId());
  }

  private static String adminObjectId() {
    return server.app().directory().principalByAppId(server.admin().clientId()).orElseThrow().objectId();
  }

  private static String sign(RSAKey key, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
          .keyID(key.getKeyID()).build(), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String withOurKey(JWTClaimsSet claims) {
    return sign(server.app().signingKeys().signingKey(), claims);
  }

  private static String issuedAt(Instant when) {
    TokenIssuer issuer = new TokenIssuer(server.app().signingKeys(), () -> server.app().url(EndpointRole.IDENTITY),
        Clock.fixed(when, ZoneOffset.UTC));
    var admin = server.app().directory().principalByAppId(server.admin().clientId()).orElseThrow();
    return issuer.issue(admin, server.app().homeTenantId(), Stackledger.CLOUD_AUDIENCE, server.admin().clientId(),
        TokenIssuer.Version.V2).accessToken();
  }

  static Stream<Arguments> badTokens() throws Exception {
    Instant now = Instant.now();
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("stranger-" + UUID.randomUUID()).generate();
    RSAKey impostor = new RSAKeyGenerator(2048).keyID(server.app().signingKeys().signingKey().getKeyID()).generate();
    Function<String, String> b64 = s -> Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    return Stream.of(
        Arguments.of("wrong audience", withOurKey(claims(now).audience("https://management.azure.com/").build())),
        Arguments.of("audience of another endpoint", withOurKey(claims(now).audience(Stackledger.STACK_ADMIN_AUDIENCE).build())),
        Arguments.of("issuer of another server", otherServer.token(otherServer.admin().clientId(),
            otherServer.admin().clientSecret(), otherServer.app().homeTenantId(), Stackledger.CLOUD_AUDIENCE)),
        Arguments.of("issuer naming an unknown tenant", withOurKey(claims(now)
            .issuer(server.app().url(EndpointRole.IDENTITY) + UUID.randomUUID() + "/v2.0").build())),
        Arguments.of("tid that is not the issuer's tenant", withOurKey(claims(now).claim("tid", UUID.randomUUID().toString()).build())),
        Arguments.of("expired", issuedAt(now.minus(Duration.ofHours(3)))),
        Arguments.of("not yet valid", issuedAt(now.plus(Duration.ofHours(2)))),
        Arguments.of("alg none", b64.apply("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "."
            + b64.apply(claims(now).build().toString()) + "."),
        Arguments.of("HS256 signed with the public key", hmacWithPublicKey(claims(now).build())),
        Arguments.of("unknown kid", sign(stranger, claims(now).build())),
        Arguments.of("known kid, wrong key", sign(impostor, claims(now).build())),
        Arguments.of("tampered payload", tamper(validToken())),
        Arguments.of("not a JWT", "opaque-token-value"),
        Arguments.of("no oid", withOurKey(new JWTClaimsSet.Builder(claims(now).build()).claim("oid", null).build())));
  }

  private static String hmacWithPublicKey(JWTClaimsSet claims) {
    try {
      byte[] secret = server.app().signingKeys().signingKey().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
          .keyID(server.app().signingKeys().signingKey().getKeyID()).build(), claims);
      jwt.sign(new MACSigner(secret));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Swaps the payload for one naming another principal, keeping the original signature. */
  private static String tamper(String token) {
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("\"oid\":\"", "\"oid\":\"0");
    return parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + "." + parts[2];
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTokens")
  void aBadTokenIsRefusedWith401AndChangesNothing(String why, String token) {
    String group = "/subscriptions/" + subscription + "/resourceGroups/rg-" + why.replaceAll("[^A-Za-z0-9]+", "-")
        + "?api-version=2025-04-01";
    TestClient bad = server.client().anonymous().withToken(token);
    TestClient.Response r = bad.put(group, "{\"location\":\"westus\"}");
    assertThat(r.status()).as(why).isEqualTo(401);
    assertThat(r.errorCode()).isIn("InvalidAuthenticationToken", "ExpiredAuthenticationToken");
    assertThat(r.header("www-authenticate")).startsWith("Bearer authorization_uri=\"" + server.app().url(EndpointRole.IDENTITY));
    assertThat(r.body()).doesNotContain(token);
    assertThat(server.client().anonymous().withToken(validToken()).get(group).status()).as("nothing was created")
        .isEqualTo(404);
  }

  @Test
  void theValidTokenTheCasesAreBuiltFromIsAccepted() {
    String group = "/subscriptions/" + subscription + "/resourceGroups/rg-control?api-version=2025-04-01";
    assertThat(server.client().anonymous().withToken(withOurKey(claims(Instant.now()).build()))
        .put(group, "{\"location\":\"westus\"}").status()).isEqualTo(201);
  }

  @Test
  void aTokenSignedBeforeARotationStillWorksUntilItsKeyIsRetired() throws Exception {
    String before = validToken();
    String oldKid = server.app().signingKeys().signingKey().getKeyID();
    String group = "/subscriptions/" + subscription + "/resourcegroups?api-version=2025-04-01";
    String newKid = server.app().signingKeys().rotate();
    assertThat(newKid).isNotEqualTo(oldKid);
    assertThat(server.client().anonymous().withToken(before).get(group).status()).isEqualTo(200);
    String after = validToken();
    assertThat(server.client().anonymous().withToken(after).get(group).status()).isEqualTo(200);
    server.app().signingKeys().retire(oldKid);
    assertThat(server.client().anonymous().withToken(before).get(group).status()).isEqualTo(401);
    assertThat(server.client().anonymous().withToken(after).get(group).status()).isEqualTo(200);
    var jwks = server.client(EndpointRole.IDENTITY).get("/" + server.app().homeTenantId() + "/discovery/v2.0/keys");
    assertThat(jwks.json().path("keys").findValuesAsText("kid")).contains(newKid).doesNotContain(oldKid);
  }

  @Test
  void noTokenAndAMalformedHeaderAre401WithAChallenge() {
    String group = "/subscriptions/" + subscription + "/resourcegroups?api-version=2025-04-01";
    var none = server.client().anonymous().get(group);
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.errorCode()).isEqualTo("AuthenticationFailed");
    assertThat(none.header("www-authenticate")).contains(server.app().homeTenantId());
    var basic = server.client().anonymous().send("GET", group, null, java.util.Map.of("Authorization", "Basic eDp5"));
    assertThat(basic.status()).isEqualTo(401);
  }
}
