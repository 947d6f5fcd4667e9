package org.stackledger.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
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
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * A deployment whose stack endpoints trust an AD FS-like issuer, a small fake OIDC provider: tokens
 * without {@code tid} or {@code oid} stand for the configured tenant; the issuer's keys are cached,
 * refetched after a rotation and after their lifetime, never more than once per interval for
 * unknown kids; a bad token or an unreachable issuer is a 401.
 */
class AdfsLikeIssuerTest {
  private static final String LIST = "/subscriptions?api-version=2015-11-01";
  private static final String TENANT = UUID.randomUUID().toString();
  private static final Duration PAST_THE_LIMIT = OidcIssuer.MIN_REFETCH.plusSeconds(1);
  private static final MovableClock clock = new MovableClock();
  private static FakeOidcIssuer adfs;
  private static TestServer server;
  private static RSAKey stranger;

  @BeforeAll
  static void start() throws Exception {
    adfs = new FakeOidcIssuer(clock);
    stranger = new RSAKeyGenerator(2048).generate();
    server = TestServer.start(Engine.H2, o -> o.withClock(clock)
        .withStackIdentity(new ServerOptions.StackIdentity(adfs.base(), null, TENANT)));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    adfs.close();
  }

  private static TestClient.Response list(String token) {
    try {
      return new TestClient(server.app().url(EndpointRole.STACK_TENANT_ARM), server.app().certificate())
          .withToken(token).get(LIST);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String tenantToken() {
    return adfs.token(Stackledger.STACK_TENANT_AUDIENCE);
  }

  @Test
  void aTokenWithoutTidOrOidIsAcceptedAsTheConfiguredTenant() {
    TestClient.Response r = list(tenantToken());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().path("value").isArray()).isTrue();
    assertThat(r.json().path("value")).isEmpty();
    assertThat(list(adfs.token(Stackledger.STACK_TENANT_AUDIENCE, c -> c.claim("tid", TENANT.toUpperCase())))
        .status()).as("a tid naming the configured tenant").isEqualTo(200);
  }

  @Test
  void theStackEndpointsSendClientsToTheIssuerToSignIn() throws Exception {
    for (EndpointRole role : List.of(EndpointRole.STACK_ADMIN_ARM, EndpointRole.STACK_TENANT_ARM)) {
      var body = server.client(role).anonymous().get("/metadata/endpoints?api-version=2015-01-01").json();
      assertThat(body.path("authentication").path("loginEndpoint").asText()).as(role.key()).isEqualTo(adfs.base());
    }
    var cloud = server.client().anonymous().get("/metadata/endpoints?api-version=2015-01-01").json();
    assertThat(cloud.path("authentication").path("loginEndpoint").asText())
        .isEqualTo(server.app().url(EndpointRole.IDENTITY));
    assertThat(server.app().stackIdentity()).contains(adfs.base());
  }

  @Test
  void aTokenSignedWithANewKeyIsAcceptedAfterOneRefetch() throws Exception {
    assertThat(list(tenantToken()).status()).isEqualTo(200);
    String newKid = adfs.rotate();
    clock.advance(PAST_THE_LIMIT);
    int before = adfs.jwksFetches();
    String signedWithNewKey = tenantToken();
    assertThat(SignedJWT.parse(signedWithNewKey).getHeader().getKeyID()).isEqualTo(newKid);

    assertThat(list(signedWithNewKey).status()).isEqualTo(200);
    assertThat(list(tenantToken()).status()).isEqualTo(200);
    assertThat(adfs.jwksFetches() - before).as("one refetch, then the cache").isEqualTo(1);
  }

  @Test
  void aFloodOfUnknownKidsFetchesTheKeysAtMostOncePerInterval() throws Exception {
    clock.advance(PAST_THE_LIMIT);
    int before = adfs.jwksFetches();
    List<Integer> statuses = IntStream.range(0, 30).parallel().mapToObj(i -> list(strangerToken()))
        .map(TestClient.Response::status).toList();
    assertThat(statuses).containsOnly(401);
    assertThat(adfs.jwksFetches() - before).as("fetches during the flood").isEqualTo(1);

    clock.advance(PAST_THE_LIMIT);
    assertThat(list(strangerToken()).status()).isEqualTo(401);
    assertThat(list(strangerToken()).status()).isEqualTo(401);
    assertThat(adfs.jwksFetches() - before).as("one more once the interval has passed").isEqualTo(2);
    assertThat(list(tenantToken()).status()).as("the issuer's own tokens still work").isEqualTo(200);
  }

  /** Signed by a key the issuer never published, under a kid made up for this token. */
  private static String strangerToken() {
    RSAKey key = new RSAKey.Builder(stranger).keyID("made-up-" + UUID.randomUUID()).build();
    return FakeOidcIssuer.sign(key, adfs.claims(Stackledger.STACK_TENANT_AUDIENCE).build());
  }

  @Test
  void theKeysAreRefreshedAfterTheirLifetimeAndKeptWhenTheIssuerIsDown() {
    assertThat(list(tenantToken()).status()).isEqualTo(200);
    clock.advance(OidcIssuer.KEYS_TTL.plusMinutes(1));
    int before = adfs.jwksFetches();
    assertThat(list(tenantToken()).status()).isEqualTo(200);
    assertThat(adfs.jwksFetches() - before).as("refreshed after the lifetime").isEqualTo(1);

    adfs.failing(true);
    try {
      clock.advance(OidcIssuer.KEYS_TTL.plusMinutes(1));
      assertThat(list(tenantToken()).status()).as("known keys outlive a failed refresh").isEqualTo(200);
      assertThat(list(tenantToken()).status()).isEqualTo(200);
    } finally {
      adfs.failing(false);
    }
  }

  @Test
  void anUnreachableIssuerGives401Not500() throws Exception {
    int port;
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    String nowhere = "http://127.0.0.1:" + port + "/adfs/";
    try (TestServer cutOff = TestServer.start(Engine.H2, o -> o.withClock(clock)
        .withStackIdentity(new ServerOptions.StackIdentity(nowhere, null, TENANT)))) {
      TestClient stack = new TestClient(cutOff.app().url(EndpointRole.STACK_TENANT_ARM), cutOff.app().certificate());
      for (int i = 0; i < 3; i++) {
        TestClient.Response r = stack.withToken(tenantToken()).get(LIST);
        assertThat(r.status()).as(r.body()).isEqualTo(401);
        assertThat(r.errorCode()).isEqualTo("InvalidAuthenticationToken");
        assertThat(r.header("www-authenticate")).startsWith("Bearer authorization_uri=\"" + nowhere + "\"");
      }
      assertThat(cutOff.client().get("/subscriptions?api-version=2022-12-01").status())
          .as("the cloud endpoints keep the built-in directory").isEqualTo(200);
    }
  }

  static Stream<Arguments> badTokens() throws Exception {
    RSAKey impostor = new RSAKeyGenerator(2048).keyID(adfs.signingKey().getKeyID()).generate();
    String aud = Stackledger.STACK_TENANT_AUDIENCE;
    Date past = Date.from(clock.instant().minus(Duration.ofHours(3)));
    Date future = Date.from(clock.instant().plus(Duration.ofHours(2)));
    return Stream.of(
        Arguments.of("wrong audience", adfs.token("https://management.azure.com/")),
        Arguments.of("audience of the admin endpoint", adfs.token(Stackledger.STACK_ADMIN_AUDIENCE)),
        Arguments.of("audience of the cloud", adfs.token(Stackledger.CLOUD_AUDIENCE)),
        Arguments.of("expired", adfs.token(aud, c -> c.issueTime(past).notBeforeTime(past)
            .expirationTime(Date.from(past.toInstant().plus(Duration.ofHours(1)))))),
        Arguments.of("not yet valid", adfs.token(aud, c -> c.notBeforeTime(future))),
        Arguments.of("alg none", b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + b64(adfs.claims(aud).build().toString()) + "."),
        Arguments.of("HS256 signed with the public key", hmacWithPublicKey(adfs.claims(aud).build())),
        Arguments.of("tampered payload", tamper(adfs.token(aud))),
        Arguments.of("issuer that is not the discovery document's", adfs.token(aud, c -> c.issuer(adfs.base()))),
        Arguments.of("tid of another tenant", adfs.token(aud, c -> c.claim("tid", UUID.randomUUID().toString()))),
        Arguments.of("neither oid nor sub", adfs.token(aud, c -> c.subject(null))),
        Arguments.of("unknown kid", strangerToken()),
        Arguments.of("known kid, wrong key", FakeOidcIssuer.sign(impostor, adfs.claims(aud).build())),
        Arguments.of("a token of the built-in directory", server.token(server.admin().clientId(),
            server.admin().clientSecret(), server.app().homeTenantId(), aud)));
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String hmacWithPublicKey(JWTClaimsSet claims) throws Exception {
    byte[] secret = adfs.signingKey().toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8);
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(adfs.signingKey().getKeyID()).build(),
        claims);
    jwt.sign(new MACSigner(secret));
    return jwt.serialize();
  }

  /** Names another principal in the payload, keeping the original signature. */
  private static String tamper(String token) {
    String[] parts = token.split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace("\"sub\":\"", "\"sub\":\"0");
    return parts[0] + "." + b64(payload) + "." + parts[2];
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTokens")
  void aBadTokenIsRefusedWith401NamingTheIssuer(String why, String token) {
    TestClient.Response r = list(token);
    assertThat(r.status()).as(why).isEqualTo(401);
    assertThat(r.errorCode()).isIn("InvalidAuthenticationToken", "ExpiredAuthenticationToken");
    assertThat(r.header("www-authenticate")).startsWith("Bearer authorization_uri=\"" + adfs.base() + "\"");
    assertThat(r.body()).doesNotContain(token);
  }
}
