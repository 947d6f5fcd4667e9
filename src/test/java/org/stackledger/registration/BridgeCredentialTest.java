package org.stackledger.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.identity.Certificates;
import org.stackledger.testing.Engine;
import org.stackledger.testing.FakePartnerCenter;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * The registration token's bridge certificate: the registration PUT makes it a key credential of the
 * bridge principal, a later PUT with another certificate adds that one beside it (never instead),
 * and a certificate that cannot be a credential is refused as a bad token, changing nothing.
 */
@Tag("storage")
class BridgeCredentialTest {
  private static final FakePartnerCenter PARTNER_CENTER = new FakePartnerCenter();
  private static final ServerPool SERVERS = new ServerPool(o -> o.withCspSubscriptions(PARTNER_CENTER));

  @AfterAll
  static void stop() throws Exception {
    SERVERS.close();
  }

  private static X509Certificate certificate(Instant notBefore, Instant notAfter) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    KeyPair keys = generator.generateKeyPair();
    return Certificates.selfSigned(keys, "Azure Bridge test", notBefore, notAfter);
  }

  private static String token(String cloudId, X509Certificate certificate) {
    return new RegistrationToken(cloudId, BillingModel.PayAsYouUse, true, true, null, null, certificate).encode();
  }

  private static String path(TestServer.TestTenant partner) {
    return "/subscriptions/" + partner.subscriptionId()
        + "/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations/AzureStackRegistration?" + Seed.API;
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void eachCertificateARegistrationIsPutWithBecomesACredentialOfItsBridgeAndNoneIsRemoved(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestServer.TestTenant partner = Seed.partner(server, PARTNER_CENTER, UUID.randomUUID().toString());
    String cloudId = UUID.randomUUID().toString();
    Instant now = Instant.now();
    X509Certificate first = certificate(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)));
    X509Certificate second = certificate(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)));
    TestClient.Response created = partner.client().put(path(partner), Seed.body(token(cloudId, first)));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String objectId = created.json().path("properties").path("objectId").asText();
    assertThat(server.app().directory().keyCredentials(objectId)).containsExactly(first);

    assertThat(partner.client().put(path(partner), Seed.body(token(cloudId, second))).status()).isEqualTo(200);
    assertThat(partner.client().put(path(partner), Seed.body(token(cloudId, first))).status()).isEqualTo(200);
    assertThat(partner.client().put(path(partner), Seed.body(Seed.token(cloudId, BillingModel.PayAsYouUse, true, null)))
        .status()).as("a token without a certificate leaves the credentials alone").isEqualTo(200);
    assertThat(server.app().directory().keyCredentials(objectId)).containsExactly(first, second);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aBridgeCertificateThatCannotBeACredentialIsABadTokenAndNothingIsMade(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestServer.TestTenant partner = Seed.partner(server, PARTNER_CENTER, UUID.randomUUID().toString());
    String cloudId = UUID.randomUUID().toString();
    Instant now = Instant.now();
    String notBase64 = "{\"CloudId\":\"" + cloudId + "\",\"BillingModel\":\"PayAsYouUse\",\"BridgeCertificate\":\"%%%\"}";
    String notACertificate = "{\"CloudId\":\"" + cloudId + "\",\"BillingModel\":\"PayAsYouUse\",\"BridgeCertificate\":\""
        + Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8)) + "\"}";
    for (String json : new String[] {notBase64, notACertificate}) {
      String token = Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
      TestClient.Response r = assertError(partner.client().put(path(partner), Seed.body(token)), 400, "InvalidRegistrationToken");
      assertThat(r.json().path("error").path("target").asText()).isEqualTo("properties.registrationToken");
      assertThat(r.json().path("error").path("message").asText()).contains("BridgeCertificate");
    }
    X509Certificate expired = certificate(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)));
    TestClient.Response r = assertError(partner.client().put(path(partner), Seed.body(token(cloudId, expired))), 400,
        "InvalidRegistrationToken");
    assertThat(r.json().path("error").path("target").asText()).isEqualTo("properties.registrationToken");
    assertThat(r.json().path("error").path("message").asText()).contains("expired");
    assertThat(partner.client().get(path(partner)).status()).isEqualTo(404);
  }
}
