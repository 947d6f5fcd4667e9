package org.stackledger.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * Passwords are checked on a bounded pool: an unknown user costs the same hashing as a wrong
 * password (asserted by counting hashes, not by timing), and a full pool answers 503 at once.
 */
@Tag("storage")
class PasswordCheckTest {
  private static final String AZURE_CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
  private static TestServer server;
  private static TestClient identity;
  private static String path;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2);
    identity = server.client(EndpointRole.IDENTITY);
    path = "/" + server.app().homeTenantId() + "/oauth2/v2.0/token";
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  private static Map<String, String> password(String upn, String password) {
    return new HashMap<>(Map.of("grant_type", "password", "client_id", AZURE_CLI, "username", upn,
        "password", password, "scope", Stackledger.CLOUD_AUDIENCE + ".default"));
  }

  private static String newUser(String password) {
    String upn = "kai" + System.nanoTime() + "@" + Stackledger.HOME_DOMAIN;
    server.app().directory().createUser(server.app().homeTenantId(), upn, "Kai", password);
    return upn;
  }

  @Test
  void anUnknownUserCostsOnePasswordHashExactlyLikeAWrongPasswordForARealOne() {
    PasswordChecks checks = server.app().directory().passwordChecks();
    String upn = newUser("correct horse battery");

    long before = checks.hashesComputed();
    var wrong = identity.form(path, password(upn, "not the password"));
    long afterWrong = checks.hashesComputed();
    var unknown = identity.form(path, password("nobody" + System.nanoTime() + "@" + Stackledger.HOME_DOMAIN,
        "not the password"));
    long afterUnknown = checks.hashesComputed();

    assertThat(afterWrong - before).isEqualTo(1);
    assertThat(afterUnknown - afterWrong).isEqualTo(1);
    assertThat(unknown.status()).isEqualTo(wrong.status()).isEqualTo(400);
    assertThat(unknown.json().path("error_description").asText())
        .isEqualTo(wrong.json().path("error_description").asText());
  }

  @Test
  void aUserOfAnotherTenantIsCheckedAgainstTheDummyHashToo() {
    PasswordChecks checks = server.app().directory().passwordChecks();
    var other = server.app().directory().createTenant(null, "elsewhere" + System.nanoTime() + ".onmicrosoft.local", null);
    String upn = "ada" + System.nanoTime() + "@" + other.domain();
    server.app().directory().createUser(other.tenantId(), upn, "Ada", "correct horse battery");

    long before = checks.hashesComputed();
    var r = identity.form(path, password(upn, "correct horse battery"));

    assertThat(checks.hashesComputed() - before).isEqualTo(1);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().path("error_codes").get(0).asInt()).isEqualTo(50126);
  }

  @Test
  void aSignInThatFindsEveryHashingThreadAndQueueSlotTakenIsAnswered503AtOnceAndServedOnceTheyFree() throws Exception {
    PasswordChecks checks = server.app().directory().passwordChecks();
    String upn = newUser("correct horse battery");
    int threads = checks.threads();
    int queue = checks.queueLimit();
    CountDownLatch running = new CountDownLatch(threads);
    CountDownLatch gate = new CountDownLatch(1);
    ExecutorService holders = Executors.newFixedThreadPool(threads + queue);
    List<Future<Object>> held = new ArrayList<>();
    try {
      // First every thread, then (once they run, so none is still taking work off the queue) every queue slot.
      for (int i = 0; i < threads; i++) {
        held.add(holders.submit(() -> checks.run(() -> {
          running.countDown();
          return gate.await(30, TimeUnit.SECONDS);
        })));
      }
      assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
      for (int i = 0; i < queue; i++) {
        held.add(holders.submit(() -> checks.run(() -> gate.await(30, TimeUnit.SECONDS))));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> checks.queued() == queue);

      var busy = identity.form(path, password(upn, "correct horse battery"));
      assertThat(busy.status()).isEqualTo(503);
      assertThat(busy.header("Retry-After")).isEqualTo("1");
      assertThat(busy.json().path("error").asText()).isEqualTo("temporarily_unavailable");
      assertThat(busy.json().path("error_codes").get(0).asInt()).isEqualTo(90024);
      assertThat(busy.json().path("trace_id").asText()).isNotBlank();
      // Client secrets are digests, not slow hashes: applications still sign in while the pool is full.
      var app = identity.form(path, Map.of("grant_type", "client_credentials", "client_id", server.admin().clientId(),
          "client_secret", server.admin().clientSecret(), "scope", Stackledger.CLOUD_AUDIENCE + ".default"));
      assertThat(app.status()).isEqualTo(200);
    } finally {
      gate.countDown();
      for (Future<Object> f : held) {
        f.get(30, TimeUnit.SECONDS);
      }
      holders.shutdown();
    }
    var served = identity.form(path, password(upn, "correct horse battery"));
    assertThat(served.status()).isEqualTo(200);
  }
}
