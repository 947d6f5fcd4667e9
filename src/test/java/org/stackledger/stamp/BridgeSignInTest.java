package org.stackledger.stamp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.registration.BillingModel;
import org.stackledger.registration.RegistrationToken;
import org.stackledger.store.Database;
import org.stackledger.testing.Engine;
import org.stackledger.testing.RegisteredDeployment;
import org.stackledger.testing.SteppingClock;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * The usage bridge signs in to the cloud as the registration's own service principal with the
 * deployment's bridge key, over HTTPS: after registration and activation it gets a token the cloud
 * ARM accepts for the registration; the token is kept until shortly before it expires; and each
 * reason it cannot sign in has its own code.
 */
@Tag("storage")
class BridgeSignInTest {

  @Test
  void afterRegistrationTheBridgeSignsInAsTheRegistrationsPrincipalAndTheCloudAcceptsTheToken() throws Exception {
    SteppingClock clock = new SteppingClock();
    try (TestServer server = TestServer.start(Engine.H2, o -> o.withClock(clock))) {
      BridgeSignIn bridge = server.app().bridgeSignIn();
      assertThat(code(() -> bridge.accessToken(Stackledger.CLOUD_AUDIENCE))).isEqualTo("NotRegistered");

      String token = RegisteredDeployment.token(server, "PayAsYouUse");
      X509Certificate carried = RegistrationToken.decode(token).bridgeCertificate();
      assertThat(carried.getSubjectX500Principal().getName()).isEqualTo("CN=Azure Bridge " + server.app().stamp().cloudId());
      RegisteredDeployment deployment = RegisteredDeployment.register(server, token);
      assertThat(server.app().directory().keyCredentials(deployment.objectId())).containsExactly(carried);
      Activation activation = server.app().activations().current().orElseThrow();
      assertThat(activation.bridgeAppId()).isEqualTo(server.app().directory().principal(deployment.objectId())
          .orElseThrow().appId().orElseThrow());
      assertThat(activation.bridgeTenantId()).isEqualTo(deployment.csp().tenantId());

      String access = bridge.accessToken(Stackledger.CLOUD_AUDIENCE);
      var claims = SignedJWT.parse(access).getJWTClaimsSet();
      assertThat(claims.getStringClaim("oid")).isEqualTo(deployment.objectId());
      assertThat(claims.getStringClaim("tid")).isEqualTo(deployment.csp().tenantId());
      TestClient asBridge = new TestClient(server.app().url(EndpointRole.CLOUD_ARM), server.app().certificate())
          .withToken(access);
      TestClient.Response read = asBridge.get(deployment.registration() + RegisteredDeployment.API);
      assertThat(read.status()).as(read.body()).isEqualTo(200);

      // Kept: the same token (no sign-in, so the same string) until 5 minutes before its hour ends, then a new one.
      assertThat(bridge.accessToken(Stackledger.CLOUD_AUDIENCE)).isSameAs(access);
      clock.advance(Duration.ofMinutes(54));
      assertThat(bridge.accessToken(Stackledger.CLOUD_AUDIENCE)).isSameAs(access);
      clock.advance(Duration.ofMinutes(2));
      String renewed = bridge.accessToken(Stackledger.CLOUD_AUDIENCE);
      assertThat(renewed).isNotEqualTo(access);
      assertThat(SignedJWT.parse(renewed).getJWTClaimsSet().getStringClaim("oid")).isEqualTo(deployment.objectId());
    }
  }

  @Test
  void aRegistrationFromAnOldTokenCannotSignInUntilItIsRegisteredAgainWithANewOne() throws Exception {
    try (TestServer server = TestServer.start(Engine.H2)) {
      String old = new RegistrationToken(server.app().stamp().cloudId(), BillingModel.PayAsYouUse, true, true, null,
          Instant.now()).encode();
      RegisteredDeployment deployment = RegisteredDeployment.register(server, old);
      assertThat(server.app().directory().keyCredentials(deployment.objectId())).isEmpty();
      BridgeSignIn bridge = server.app().bridgeSignIn();
      BridgeSignIn.NotReady refused = catchThrowableOfType(BridgeSignIn.NotReady.class,
          () -> bridge.accessToken(Stackledger.CLOUD_AUDIENCE));
      assertThat(refused.code()).isEqualTo("SignInFailed");
      assertThat(refused.getMessage()).contains("invalid_client").contains("AADSTS700027").doesNotContain("eyJ");

      // The same registration PUT again with this version's token: the certificate is added, the bridge signs in.
      TestClient.Response again = deployment.csp().client().put(deployment.registration() + RegisteredDeployment.API,
          "{\"location\":\"global\",\"properties\":{\"registrationToken\":\""
              + RegisteredDeployment.token(server, "PayAsYouUse") + "\"}}");
      assertThat(again.status()).as(again.body()).isEqualTo(200);
      assertThat(server.app().directory().keyCredentials(deployment.objectId())).hasSize(1);
      assertThat(SignedJWT.parse(bridge.accessToken(Stackledger.CLOUD_AUDIENCE)).getJWTClaimsSet().getStringClaim("oid"))
          .isEqualTo(deployment.objectId());
    }
  }

  @Test
  void eachReasonTheBridgeCannotSignInHasItsCode() throws Exception {
    SteppingClock clock = new SteppingClock();
    try (TestServer server = TestServer.start(Engine.H2, o -> o.withClock(clock))) {
      ActivationStore activations = server.app().activations();
      BridgeSignIn bridge = server.app().bridgeSignIn();
      String cloudId = server.app().stamp().cloudId();
      Instant later = clock.instant().plus(Duration.ofDays(30));

      activations.activate(new Activation(0, "/subscriptions/x/registrations/r", null, cloudId, "PayAsYouUse", true, true,
          null, UUID.randomUUID().toString(), "kid", later, null, null));
      BridgeSignIn.NotReady noClient = catchThrowableOfType(BridgeSignIn.NotReady.class,
          () -> bridge.accessToken(Stackledger.CLOUD_AUDIENCE));
      assertThat(noClient.code()).isEqualTo("NoBridgeCredential");
      assertThat(noClient.getMessage()).contains("re-register with a registration token made by this version");

      activations.activate(new Activation(0, "/subscriptions/x/registrations/r", null, cloudId, "PayAsYouUse", true, true,
          null, UUID.randomUUID().toString(), "kid", later, null, null, UUID.randomUUID().toString(),
          UUID.randomUUID().toString()));
      assertThat(code(() -> bridge.accessToken(Stackledger.CLOUD_AUDIENCE))).as("an unknown tenant refuses")
          .isEqualTo("SignInFailed");
      BridgeSignIn unreachable = new BridgeSignIn(activations, new BridgeKey(server.app().database().jdbi(), () -> cloudId,
          clock), () -> "https://127.0.0.1:1/", null, clock);
      BridgeSignIn.NotReady down = catchThrowableOfType(BridgeSignIn.NotReady.class,
          () -> unreachable.accessToken(Stackledger.CLOUD_AUDIENCE));
      assertThat(down.code()).isEqualTo("SignInFailed");
      assertThat(down.getMessage()).contains("cannot reach");

      clock.advance(Duration.ofDays(31));
      assertThat(code(() -> bridge.accessToken(Stackledger.CLOUD_AUDIENCE))).isEqualTo("ActivationExpired");
      activations.deactivate();
      assertThat(code(() -> bridge.accessToken(Stackledger.CLOUD_AUDIENCE))).isEqualTo("NotRegistered");
    }
  }

  @Test
  void theBridgeKeyIsMadeOnceAndSurvivesReopeningTheStore() throws Exception {
    Path dir = Files.createTempDirectory("bridge-key");
    try {
      String cloudId = UUID.randomUUID().toString();
      byte[] first;
      try (Database db = Database.embedded(dir)) {
        first = new BridgeKey(db.jdbi(), () -> cloudId, Clock.systemUTC()).certificate().getEncoded();
        assertThat(new BridgeKey(db.jdbi(), () -> cloudId, Clock.systemUTC()).certificate().getEncoded())
            .as("a second instance reads the stored key, it does not make another").isEqualTo(first);
      }
      try (Database db = Database.embedded(dir)) {
        BridgeKey reopened = new BridgeKey(db.jdbi(), () -> "another-cloud-id-is-ignored", Clock.systemUTC());
        assertThat(reopened.certificate().getEncoded()).isEqualTo(first);
      }
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static String code(Runnable call) {
    BridgeSignIn.NotReady e = catchThrowableOfType(BridgeSignIn.NotReady.class, call::run);
    assertThat(e).as("NotReady thrown").isNotNull();
    return e.code();
  }
}
