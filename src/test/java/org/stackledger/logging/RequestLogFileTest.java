package org.stackledger.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.testing.Engine;
import org.stackledger.testing.RegisteredDeployment;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * The log file a server writes in its data folder, read back after real HTTPS traffic: one parseable
 * line per request with the caller, and not one secret or token among all its lines.
 */
class RequestLogFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static TestClient.Response signIn(String tenant, Map<String, String> form) throws Exception {
    return new TestClient(server.app().url(EndpointRole.IDENTITY), server.app().certificate()).anonymous()
        .form("/" + tenant + "/oauth2/v2.0/token", form);
  }

  @Test
  void everyRequestIsOneJsonLineWithItsCallerAndNoSecretOrTokenIsEverWritten() throws Exception {
    Path folder = Files.createTempDirectory("stackledger-logs");
    List<String> secrets = new ArrayList<>();
    String home = server.app().homeTenantId();
    try (AutoCloseable log = LogSetup.toDataFolder(folder, LogFormat.JSON, "INFO", false)) {
      // A client secret, and the bearer token it buys, used on a route.
      String secret = server.admin().clientSecret();
      TestClient.Response bySecret = signIn(home, Map.of("grant_type", "client_credentials", "client_id",
          server.admin().clientId(), "client_secret", secret, "scope", Stackledger.CLOUD_AUDIENCE + ".default"));
      assertThat(bySecret.status()).as(bySecret.body()).isEqualTo(200);
      String bearer = bySecret.json().path("access_token").asText();
      secrets.add(secret);
      secrets.add(bearer);
      TestClient operator = new TestClient(server.app().url(EndpointRole.CLOUD_ARM), server.app().certificate())
          .withToken(bearer);
      assertThat(operator.get("/subscriptions?api-version=2016-06-01").status()).isEqualTo(200);

      // A password (ROPC), right and wrong, and its token used on the tenant endpoint.
      TestServer.TestTenant tenant = server.newTenant("logs-" + UUID.randomUUID().toString().substring(0, 8)
          + ".onmicrosoft.local");
      secrets.add(tenant.clientSecret());
      String password = "Pw-" + UUID.randomUUID();
      String upn = "uma@" + tenant.domain();
      server.app().directory().createUser(tenant.tenantId(), upn, "Uma", password);
      secrets.add(password);
      TestClient.Response byPassword = signIn(tenant.tenantId(), Map.of("grant_type", "password", "client_id",
          "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "username", upn, "password", password, "scope",
          Stackledger.CLOUD_AUDIENCE + ".default"));
      assertThat(byPassword.status()).as(byPassword.body()).isEqualTo(200);
      secrets.add(byPassword.json().path("access_token").asText());
      String wrong = "Wrong-" + UUID.randomUUID();
      secrets.add(wrong);
      assertThat(signIn(tenant.tenantId(), Map.of("grant_type", "password", "client_id",
          "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "username", upn, "password", wrong, "scope",
          Stackledger.CLOUD_AUDIENCE + ".default")).status()).isNotEqualTo(200);
      assertThat(new TestClient(server.app().url(EndpointRole.CLOUD_ARM), server.app().certificate())
          .withToken(byPassword.json().path("access_token").asText()).get("/subscriptions?api-version=2016-06-01")
          .status()).isEqualTo(200);

      // A registration token posted to the cloud, and the activation key it returns.
      String registrationToken = RegisteredDeployment.token(server, "PayAsYouUse");
      secrets.add(registrationToken);
      RegisteredDeployment deployment = RegisteredDeployment.register(server, registrationToken);
      secrets.add(deployment.csp().clientSecret());
      String key = deployment.csp().client().post(deployment.registration() + "/getactivationkey"
          + RegisteredDeployment.API, null).json().path("activationKey").asText();
      assertThat(key).isNotBlank();
      secrets.add(key);
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> Files.readString(
          folder.resolve("logs").resolve("stackledger.log"), StandardCharsets.UTF_8).contains("getactivationkey"));
    }

    String text = Files.readString(folder.resolve("logs").resolve("stackledger.log"), StandardCharsets.UTF_8);
    for (String s : secrets) {
      assertThat(s).hasSizeGreaterThan(16);
      assertThat(text).as("a secret or token reached the log").doesNotContain(s);
    }
    List<JsonNode> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      lines.add(JSON.readTree(line));
    }
    JsonNode read = lines.stream().filter(l -> "GET".equals(l.path("method").asText())
        && "/subscriptions".equals(l.path("route").asText()) && home.equals(l.path("tenantId").asText()))
        .findFirst().orElseThrow(() -> new AssertionError("no line of the operator's GET /subscriptions in\n" + text));
    assertThat(read.path("logger").asText()).isEqualTo("stackledger.request");
    assertThat(read.path("status").asInt()).isEqualTo(200);
    assertThat(read.path("site").asText()).isEqualTo("cloudArm");
    assertThat(read.path("appId").asText()).isEqualTo(server.admin().clientId());
    assertThat(read.path("principalId").asText()).matches("[0-9a-f-]{36}");
    assertThat(read.path("requestId").asText()).matches("[0-9a-f-]{36}");
    assertThat(read.path("latencyMicros").isNumber()).isTrue();
    assertThat(lines).anySatisfy(l -> {
      assertThat(l.path("route").asText()).isEqualTo("/{tenant}/oauth2/v2.0/token");
      assertThat(l.path("status").asInt()).isEqualTo(400);
    });
    assertThat(lines).anySatisfy(l -> assertThat(l.path("route").asText())
        .endsWith("/registrations/{registrationName}"));
  }

  @Test
  void theLogfmtFormatWritesOneKeyValueLinePerRequest() throws Exception {
    Path folder = Files.createTempDirectory("stackledger-logfmt");
    try (AutoCloseable log = LogSetup.toDataFolder(folder, LogFormat.LOGFMT, "INFO", false)) {
      TestClient.Response read = server.client().get("/subscriptions?api-version=2016-06-01");
      assertThat(read.status()).isEqualTo(200);
      awaitLogged(folder, read.header("x-ms-request-id"));
    }
    String text = Files.readString(folder.resolve("logs").resolve("stackledger.log"), StandardCharsets.UTF_8);
    assertThat(text.lines().filter(l -> l.contains("logger=stackledger.request")))
        .anySatisfy(l -> assertThat(l).startsWith("time=").contains(" level=INFO ")
            .contains(" msg=\"GET /subscriptions 200\" ").contains(" route=/subscriptions ").contains(" status=200 ")
            .containsPattern(" latencyMicros=\\d+ ").contains(" tenantId=" + server.app().homeTenantId()));
  }

  @Test
  void verboseCopiesRequestLinesWithTheirFieldsToTheTerminalAndQuietDoesNot() throws Exception {
    java.io.ByteArrayOutputStream terminal = new java.io.ByteArrayOutputStream();
    java.io.PrintStream before = System.err;
    System.setErr(new java.io.PrintStream(terminal, true, StandardCharsets.UTF_8));
    try {
      Path quietFolder = Files.createTempDirectory("stackledger-quiet");
      try (AutoCloseable quiet = LogSetup.toDataFolder(quietFolder, LogFormat.JSON, "INFO", false)) {
        String id = server.client().get("/subscriptions?api-version=2016-06-01").header("x-ms-request-id");
        // The line is written just after the answer: wait until the file has it, so it was emitted.
        awaitLogged(quietFolder, id);
        assertThat(terminal.toString(StandardCharsets.UTF_8)).doesNotContain(id);
      }
      Path verboseFolder = Files.createTempDirectory("stackledger-verbose");
      try (AutoCloseable verbose = LogSetup.toDataFolder(verboseFolder, LogFormat.JSON, "INFO", true)) {
        String id = server.client().get("/subscriptions?api-version=2016-06-01").header("x-ms-request-id");
        awaitLogged(verboseFolder, id);
        assertThat(terminal.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(id)))
            .singleElement().asString().contains("INFO  stackledger.request GET /subscriptions 200")
            .contains("route=\"/subscriptions\"").contains("requestId=\"" + id + "\"");
      }
    } finally {
      System.setErr(before);
    }
  }

  private static void awaitLogged(Path folder, String requestId) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() ->
        Files.readString(folder.resolve("logs").resolve("stackledger.log"), StandardCharsets.UTF_8).contains(requestId));
  }
}
