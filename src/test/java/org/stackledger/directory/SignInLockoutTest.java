package org.stackledger.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.identity.MovableClock;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * Failed sign-ins at the token endpoint lock the principal and, in bulk, the client address, and
 * the answers are Entra's. Each test plays its attacker from its own loopback address so the tests'
 * failures do not add up; the server's clock is moved to end lockouts instead of waiting for them.
 */
@Tag("storage")
class SignInLockoutTest {
  private static final MovableClock clock = new MovableClock();
  private static final String AZURE_CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
  private static TestServer server;
  private static TestClient owner;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2, o -> o.withClock(clock));
    owner = server.client(EndpointRole.IDENTITY);
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static LoopbackClient from(String address) throws Exception {
    return new LoopbackClient(server.app().url(EndpointRole.IDENTITY), server.app().certificate(), address);
  }

  private static Map<String, String> clientCredentials(String clientId, String secret) {
    return Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret,
        "scope", Stackledger.CLOUD_AUDIENCE + ".default");
  }

  private static Map<String, String> password(String upn, String password) {
    return new HashMap<>(Map.of("grant_type", "password", "client_id", AZURE_CLI, "username", upn,
        "password", password, "scope", Stackledger.CLOUD_AUDIENCE + ".default"));
  }

  private static String tokenPath(String tenant) {
    return "/" + tenant + "/oauth2/v2.0/token";
  }

  private static void assertEntraShape(TestClient.Response r, String error, int code) {
    assertThat(r.json().path("error").asText()).isEqualTo(error);
    assertThat(r.json().path("error_codes").get(0).asInt()).isEqualTo(code);
    assertThat(r.json().path("error_description").asText()).startsWith("AADSTS" + code + ": ");
    assertThat(r.json().path("timestamp").asText()).isNotBlank();
    assertThat(r.json().path("trace_id").asText()).isNotBlank();
    assertThat(r.json().path("correlation_id").asText()).isNotBlank();
  }

  @Test
  void tenWrongSecretsLockTheApplicationAndEvenTheRightSecretWaitsForTheLockoutToEnd() throws Exception {
    var app = server.newTenant("locked-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local");
    var attacker = from("127.0.0.2");
    String path = tokenPath(app.tenantId());
    for (int i = 0; i < 10; i++) {
      var wrong = attacker.form(path, clientCredentials(app.clientId(), "wrong-secret-number-" + i));
      assertThat(wrong.status()).as("failure %d", i + 1).isEqualTo(401);
      assertEntraShape(wrong, "invalid_client", 7000215);
    }
    var locked = attacker.form(path, clientCredentials(app.clientId(), app.clientSecret()));
    assertThat(locked.status()).isEqualTo(429);
    assertEntraShape(locked, "temporarily_unavailable", 50053);
    assertThat(locked.header("Retry-After")).isEqualTo("60");
    assertThat(locked.body()).doesNotContain(app.clientSecret());

    clock.advance(Duration.ofSeconds(59));
    var stillLocked = attacker.form(path, clientCredentials(app.clientId(), app.clientSecret()));
    assertThat(stillLocked.status()).isEqualTo(429);
    assertThat(stillLocked.header("Retry-After")).isEqualTo("1");

    clock.advance(Duration.ofSeconds(1));
    assertThat(attacker.form(path, clientCredentials(app.clientId(), app.clientSecret())).status()).isEqualTo(200);
  }

  @Test
  void anAttackerElsewhereDoesNotLockTheOwnerOutOfAnAddressItSignedInFrom() throws Exception {
    // newTenant signs the application in once from 127.0.0.1, which makes that address familiar.
    var app = server.newTenant("owner-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local");
    var attacker = from("127.0.0.3");
    String path = tokenPath(app.tenantId());
    for (int i = 0; i < 10; i++) {
      assertThat(attacker.form(path, clientCredentials(app.clientId(), "guess-" + i + "-xxxxxxxxxxxx")).status()).isEqualTo(401);
    }
    assertThat(attacker.form(path, clientCredentials(app.clientId(), app.clientSecret())).status()).isEqualTo(429);

    var fromHome = owner.form(path, clientCredentials(app.clientId(), app.clientSecret()));
    assertThat(fromHome.status()).isEqualTo(200);
    assertThat(fromHome.json().path("access_token").asText()).isNotBlank();
  }

  @Test
  void aUserIsLockedAsEntraAnswersAndEachFailureAfterALockoutLocksTwiceAsLong() throws Exception {
    String home = server.app().homeTenantId();
    String upn = "lena" + System.nanoTime() + "@" + Stackledger.HOME_DOMAIN;
    server.app().directory().createUser(home, upn, "Lena", "correct horse battery");
    var attacker = from("127.0.0.4");
    String path = tokenPath(home);
    for (int i = 0; i < 10; i++) {
      var wrong = attacker.form(path, password(upn, "not the password " + i));
      assertThat(wrong.status()).isEqualTo(400);
      assertEntraShape(wrong, "invalid_grant", 50126);
    }
    var locked = attacker.form(path, password(upn, "correct horse battery"));
    assertThat(locked.status()).isEqualTo(400);
    assertEntraShape(locked, "invalid_grant", 50053);
    assertThat(locked.json().path("error_description").asText()).contains("account is locked");
    assertThat(locked.header("Retry-After")).isEqualTo("60");

    clock.advance(Duration.ofSeconds(61));
    assertThat(attacker.form(path, password(upn, "one more guess")).json().path("error_codes").get(0).asInt())
        .isEqualTo(50126);
    var lockedLonger = attacker.form(path, password(upn, "correct horse battery"));
    assertEntraShape(lockedLonger, "invalid_grant", 50053);
    assertThat(lockedLonger.header("Retry-After")).isEqualTo("120");

    clock.advance(Duration.ofSeconds(121));
    assertThat(attacker.form(path, password(upn, "correct horse battery")).status()).isEqualTo(200);
  }

  @Test
  void aNameThatDoesNotExistLocksLikeARealOneSoLockoutsDoNotRevealNames() throws Exception {
    var attacker = from("127.0.0.6");
    String path = tokenPath(server.app().homeTenantId());
    String nobody = "nobody" + System.nanoTime() + "@" + Stackledger.HOME_DOMAIN;
    for (int i = 0; i < 10; i++) {
      assertThat(attacker.form(path, password(nobody, "guess " + i)).json().path("error_codes").get(0).asInt())
          .isEqualTo(50126);
    }
    var locked = attacker.form(path, password(nobody, "guess 11"));
    assertThat(locked.status()).isEqualTo(400);
    assertEntraShape(locked, "invalid_grant", 50053);
  }

  @Test
  void failuresSpreadOverTheTenantsAGuestBelongsToAddUpToOneLockout() throws Exception {
    String home = server.app().homeTenantId();
    var directory = server.app().directory();
    String upn = "guest" + System.nanoTime() + "@" + Stackledger.HOME_DOMAIN;
    var guest = directory.createUser(home, upn, "Guest", "correct horse battery");
    var other = directory.createTenant(null, "host-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local", null);
    directory.addGuest(other.tenantId(), guest.objectId());
    var attacker = from("127.0.0.7");
    for (int i = 0; i < 5; i++) {
      assertThat(attacker.form(tokenPath(home), password(upn, "home guess " + i)).status()).isEqualTo(400);
      assertThat(attacker.form(tokenPath(other.tenantId()), password(upn, "away guess " + i)).status()).isEqualTo(400);
    }
    var locked = attacker.form(tokenPath(other.tenantId()), password(upn, "correct horse battery"));
    assertEntraShape(locked, "invalid_grant", 50053);
  }

  @Test
  void fiftyFailuresFromOneAddressBlockEverySignInFromItWhileOtherAddressesSignIn() throws Exception {
    var sprayer = from("127.0.0.5");
    String home = server.app().homeTenantId();
    String path = tokenPath(home);
    for (int i = 0; i < 50; i++) {
      var r = sprayer.form(path, clientCredentials(UUID.randomUUID().toString(), "sprayed-secret-value"));
      assertThat(r.status()).as("failure %d", i + 1).isEqualTo(400);
      assertThat(r.json().path("error").asText()).isEqualTo("unauthorized_client");
    }
    var app = sprayer.form(path, clientCredentials(server.admin().clientId(), server.admin().clientSecret()));
    assertThat(app.status()).isEqualTo(429);
    assertEntraShape(app, "temporarily_unavailable", 50053);
    assertThat(app.json().path("error_description").asText()).contains("IP address");
    assertThat(app.header("Retry-After")).isEqualTo("60");
    var user = sprayer.form(path, password("anyone@" + Stackledger.HOME_DOMAIN, "whatever password"));
    assertThat(user.status()).isEqualTo(400);
    assertEntraShape(user, "invalid_grant", 50053);

    assertThat(owner.form(path, clientCredentials(server.admin().clientId(), server.admin().clientSecret())).status())
        .isEqualTo(200);

    clock.advance(Duration.ofSeconds(60));
    assertThat(sprayer.form(path, clientCredentials(server.admin().clientId(), server.admin().clientSecret())).status())
        .isEqualTo(200);
  }
}
