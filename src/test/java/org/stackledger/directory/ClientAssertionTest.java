package org.stackledger.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.identity.ClientCertificateCredentialBuilder;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.identity.Certificates;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * Certificate credentials and {@code private_key_jwt} at the token endpoint: the Azure Identity
 * library's ClientCertificateCredential signs in with a PEM holding the key and certificate, and
 * every way a hand-made client assertion can be wrong is refused as Entra ID refuses it.
 */
@Tag("storage")
class ClientAssertionTest {
  private static TestServer server;
  private static TestClient identity;
  private static TestServer.TestTenant tenant;
  private static KeyPair keys;
  private static X509Certificate certificate;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2);
    identity = server.client(EndpointRole.IDENTITY);
    keys = rsa();
    certificate = certificate(keys);
  }

  /**
   * A client of its own for each test: refused assertions count against their client's sign-in
   * throttle, so tests sharing one would pass or wait out a Retry-After depending on their order.
   */
  @BeforeEach
  void newClient() {
    tenant = server.newTenant("certs-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local");
    assertThat(server.app().directory().addKeyCredential(tenant.objectId(), certificate)).isTrue();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static KeyPair rsa() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    return generator.generateKeyPair();
  }

  private static X509Certificate certificate(KeyPair pair) {
    Instant now = Instant.now();
    return Certificates.selfSigned(pair, "test client", now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(30)));
  }

  private static String endpoint() {
    return server.app().url(EndpointRole.IDENTITY) + tenant.tenantId() + "/oauth2/v2.0/token";
  }

  private static JWTClaimsSet.Builder claims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(tenant.clientId()).subject(tenant.clientId()).audience(endpoint())
        .jwtID(UUID.randomUUID().toString()).notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))));
  }

  private static String assertion(KeyPair signer, UnaryOperator<JWSHeader.Builder> header, JWTClaimsSet claims)
      throws Exception {
    SignedJWT jwt = new SignedJWT(header.apply(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)).build(),
        claims);
    jwt.sign(new RSASSASigner(signer.getPrivate()));
    return jwt.serialize();
  }

  private static JWSHeader.Builder x5t(JWSHeader.Builder b, X509Certificate cert) {
    return b.x509CertThumbprint(new Base64URL(Certificates.sha1Thumbprint(cert)));
  }

  private static TestClient.Response signIn(String assertion) {
    return identity.form("/" + tenant.tenantId() + "/oauth2/v2.0/token", Map.of("grant_type", "client_credentials",
        "client_id", tenant.clientId(), "client_assertion_type", ClientAssertions.TYPE, "client_assertion", assertion,
        "scope", Stackledger.CLOUD_AUDIENCE + ".default"));
  }

  private static void assertRefused(TestClient.Response r, int aadsts, String assertion) {
    assertThat(r.status()).as(r.body()).isEqualTo(401);
    assertThat(r.json().path("error").asText()).isEqualTo("invalid_client");
    assertThat(r.json().path("error_codes").get(0).asInt()).isEqualTo(aadsts);
    assertThat(r.body()).doesNotContain(assertion);
  }

  @Test
  void theAzureIdentityClientCertificateCredentialSignsInWithAPemOfKeyAndCertificate() throws Exception {
    Path pem = Files.createTempFile("client", ".pem");
    try {
      Files.writeString(pem, "-----BEGIN PRIVATE KEY-----\n"
          + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(keys.getPrivate().getEncoded())
          + "\n-----END PRIVATE KEY-----\n" + Certificates.pem(certificate));
      X509Certificate serverCert;
      try (var in = Files.newInputStream(server.app().certificate())) {
        serverCert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
      }
      var tls = SslContextBuilder.forClient().trustManager(serverCert).build();
      HttpClient http = new NettyAsyncHttpClientBuilder(reactor.netty.http.client.HttpClient.create()
          .secure(spec -> spec.sslContext(tls))).build();
      var credential = new ClientCertificateCredentialBuilder()
          .authorityHost(server.app().url(EndpointRole.IDENTITY))
          .tenantId(tenant.tenantId())
          .clientId(tenant.clientId())
          .pemCertificate(pem.toString())
          .disableInstanceDiscovery()
          .httpClient(http)
          .build();
      AccessToken token = credential.getTokenSync(new TokenRequestContext().addScopes(Stackledger.CLOUD_AUDIENCE + ".default"));
      var claims = SignedJWT.parse(token.getToken()).getJWTClaimsSet();
      assertThat(claims.getStringClaim("oid")).isEqualTo(tenant.objectId());
      assertThat(claims.getStringClaim("azp")).isEqualTo(tenant.clientId());
      assertThat(claims.getStringClaim("tid")).isEqualTo(tenant.tenantId());
      TestClient arm = tenant.client().anonymous().withToken(token.getToken());
      assertThat(arm.get("/subscriptions/" + tenant.subscriptionId() + "?api-version=2022-12-01").status()).isEqualTo(200);
    } finally {
      Files.deleteIfExists(pem);
    }
  }

  @Test
  void theCertificateCanBeNamedByEitherThumbprintOrAHexKidAndAValidAssertionMayBeSentAgain() throws Exception {
    String bySha256 = assertion(keys, b -> b.x509CertSHA256Thumbprint(new Base64URL(Certificates.sha256Thumbprint(certificate))),
        claims().build());
    assertThat(signIn(bySha256).status()).isEqualTo(200);
    String hex = HexFormat.of().withUpperCase().formatHex(Base64.getUrlDecoder().decode(Certificates.sha1Thumbprint(certificate)));
    String byKid = assertion(keys, b -> b.keyID(hex), claims().build());
    assertThat(signIn(byKid).status()).isEqualTo(200);
    // Replay within the assertion's life is allowed, as Entra ID allows it (MSAL reuses assertions).
    String once = assertion(keys, b -> x5t(b, certificate), claims().build());
    assertThat(signIn(once).status()).isEqualTo(200);
    assertThat(signIn(once).status()).isEqualTo(200);
  }

  @Test
  void anAssertionSignedByAnotherKeyIsAnInvalidSignature() throws Exception {
    String forged = assertion(rsa(), b -> x5t(b, certificate), claims().build());
    assertRefused(signIn(forged), 700027, forged);
    assertThat(signIn(forged).json().path("error_description").asText()).contains("invalid signature");
  }

  @Test
  void aCertificateTheApplicationDoesNotHoldIsNotFound() throws Exception {
    KeyPair other = rsa();
    String unknown = assertion(other, b -> x5t(b, certificate(other)), claims().build());
    TestClient.Response r = signIn(unknown);
    assertRefused(r, 700027, unknown);
    assertThat(r.json().path("error_description").asText()).contains("The key was not found");
    String unnamed = assertion(keys, b -> b, claims().build());
    assertRefused(signIn(unnamed), 700027, unnamed);
  }

  @Test
  void anExpiredAssertionOrOneLivingOverAnHourIsOutsideItsValidTimeRange() throws Exception {
    Instant now = Instant.now();
    String expired = assertion(keys, b -> x5t(b, certificate), claims().notBeforeTime(Date.from(now.minus(Duration.ofMinutes(30))))
        .expirationTime(Date.from(now.minus(Duration.ofMinutes(10)))).build());
    assertRefused(signIn(expired), 700024, expired);
    String tooLong = assertion(keys, b -> x5t(b, certificate), claims()
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(61)))).build());
    TestClient.Response r = signIn(tooLong);
    assertRefused(r, 700024, tooLong);
    assertThat(r.json().path("error_description").asText()).contains("lifetime");
    String future = assertion(keys, b -> x5t(b, certificate), claims().notBeforeTime(Date.from(now.plus(Duration.ofMinutes(20))))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(30)))).build());
    assertRefused(signIn(future), 700024, future);
  }

  @Test
  void anAssertionForAnotherAudienceOrAnotherClientIsRefused() throws Exception {
    String home = server.app().url(EndpointRole.IDENTITY) + server.app().homeTenantId() + "/oauth2/v2.0/token";
    String otherTenant = assertion(keys, b -> x5t(b, certificate), claims().audience(home).build());
    assertRefused(signIn(otherTenant), 700023, otherTenant);
    String arm = assertion(keys, b -> x5t(b, certificate), claims().audience(Stackledger.CLOUD_AUDIENCE).build());
    assertRefused(signIn(arm), 700023, arm);
    String someoneElse = assertion(keys, b -> x5t(b, certificate), claims().issuer(server.admin().clientId()).build());
    assertRefused(signIn(someoneElse), 700021, someoneElse);
  }

  @Test
  void theProtocolIsCheckedAndDiscoveryAdvertisesPrivateKeyJwt() throws Exception {
    String good = assertion(keys, b -> x5t(b, certificate), claims().build());
    Map<String, String> form = new HashMap<>(Map.of("grant_type", "client_credentials",
        "client_assertion_type", ClientAssertions.TYPE, "client_assertion", good, "scope", Stackledger.CLOUD_AUDIENCE + ".default"));
    assertThat(identity.form("/" + tenant.tenantId() + "/oauth2/v2.0/token", form).status())
        .as("client_id may be left out: the assertion names the client").isEqualTo(200);
    form.put("client_assertion_type", "urn:example:other");
    assertThat(identity.form("/" + tenant.tenantId() + "/oauth2/v2.0/token", form).status()).isEqualTo(400);
    form.put("client_assertion_type", ClientAssertions.TYPE);
    form.put("client_secret", tenant.clientSecret());
    assertThat(identity.form("/" + tenant.tenantId() + "/oauth2/v2.0/token", form).status()).isEqualTo(400);
    form.remove("client_secret");
    form.put("client_assertion", "not-a-jwt");
    form.put("client_id", tenant.clientId());
    assertRefused(identity.form("/" + tenant.tenantId() + "/oauth2/v2.0/token", form), 50027, "not-a-jwt");
    var discovery = identity.get("/" + tenant.tenantId() + "/v2.0/.well-known/openid-configuration").json();
    assertThat(discovery.path("token_endpoint_auth_methods_supported").toString()).contains("\"private_key_jwt\"");
  }

  @Test
  void aCertificateIsAddedOnceAndOnlyRsaKeysOf2048BitsThatHaveNotExpiredAreCredentials() throws Exception {
    Directory directory = server.app().directory();
    assertThat(directory.addKeyCredential(tenant.objectId(), certificate)).isFalse();
    assertThat(directory.keyCredentials(tenant.objectId())).containsExactly(certificate);
    KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
    small.initialize(1024);
    KeyPair weak = small.generateKeyPair();
    Instant now = Instant.now();
    assertThat(Directory.unusable(Certificates.selfSigned(weak, "weak", now, now.plus(Duration.ofDays(1))), now)).isPresent();
    assertThat(Directory.unusable(Certificates.selfSigned(keys, "old", now.minus(Duration.ofDays(2)),
        now.minus(Duration.ofDays(1))), now)).hasValueSatisfying(why -> assertThat(why).contains("expired"));
  }
}
