package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.app.Stackledger;
import org.stackledger.testing.ChildProcessContract;
import org.stackledger.testing.TestClient;

/**
 * {@code stackledger serve} as a real process, as an operator meets it: what its terminal says,
 * where its request lines go, and the one line it answers with when the folder or a port is taken.
 */
@Tag("slow")
class ServeCommandProcessTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ADMIN_ID = UUID.randomUUID().toString();
  private static final String ADMIN_SECRET = "process-admin-secret-" + UUID.randomUUID();
  private final List<Process> started = new ArrayList<>();
  private final List<Path> made = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Process p : started) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    for (Path p : made) {
      if (Files.exists(p)) {
        try (Stream<Path> files = Files.walk(p)) {
          files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }
  }

  private Process serve(Path output, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-cp", System.getProperty("java.class.path")));
    command.addAll(ChildProcessContract.jvmOptions());
    command.addAll(List.of("org.stackledger.Main", "serve"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(output.toFile()));
    builder.environment().put("STACKLEDGER_LOG_LEVEL", "INFO");
    builder.environment().put("STACKLEDGER_ADMIN_CLIENT_ID", ADMIN_ID);
    builder.environment().put("STACKLEDGER_ADMIN_CLIENT_SECRET", ADMIN_SECRET);
    builder.environment().remove("STACKLEDGER_HOME");
    builder.environment().remove("STACKLEDGER_CONFIG");
    Process p = builder.start();
    started.add(p);
    return p;
  }

  private Path temp(String name) throws Exception {
    Path dir = Files.createTempDirectory("stackledger-serve-" + name);
    made.add(dir);
    return dir;
  }

  private static String read(Path file) throws Exception {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }

  @Test
  void aServerLogsItsRequestsToItsDataFolderAndASecondServerOnThatFolderIsToldWhoHasIt() throws Exception {
    Path work = temp("folder");
    Path dir = work.resolve("data");
    Path terminal = work.resolve("first.out");
    Process first = serve(terminal, "--port", "0", "--data-dir", dir.toString());
    Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
        .until(() -> read(terminal).contains("started in") || !first.isAlive());
    String out = read(terminal);
    assertThat(first.isAlive()).as(out).isTrue();
    // The CLI finds a server by its folder: the hint carries it.
    assertThat(out).contains("export STACKLEDGER_HOME=" + dir.toAbsolutePath())
        .contains("stackledger login --service-principal -u " + ADMIN_ID)
        .contains(dir.resolve("logs").resolve("stackledger.log").toAbsolutePath().toString());

    JsonNode endpoints = JSON.readTree(dir.resolve("endpoints.json").toFile());
    Path pem = Path.of(endpoints.path("certificate").asText());
    TestClient.Response token = new TestClient(endpoints.path("identity").asText(), pem).anonymous()
        .form("/" + endpoints.path("homeTenantId").asText() + "/oauth2/v2.0/token", Map.of("grant_type",
            "client_credentials", "client_id", ADMIN_ID, "client_secret", ADMIN_SECRET, "scope",
            Stackledger.CLOUD_AUDIENCE + ".default"));
    assertThat(token.status()).as(token.body()).isEqualTo(200);
    String bearer = token.json().path("access_token").asText();
    assertThat(new TestClient(endpoints.path("cloudArm").asText(), pem).withToken(bearer)
        .get("/subscriptions?api-version=2016-06-01").status()).isEqualTo(200);

    Path secondTerminal = work.resolve("second.out");
    Process second = serve(secondTerminal, "--port", "0", "--data-dir", dir.toString());
    assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(second.exitValue()).isEqualTo(1);
    assertThat(read(secondTerminal).strip()).isEqualTo("error: the data folder " + dir.toAbsolutePath()
        + " is in use by another stackledger (pid " + first.pid() + "); stop it or choose another folder with --data-dir");

    Path log = dir.resolve("logs").resolve("stackledger.log");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> read(log).contains("\"route\":\"/subscriptions\""));
    first.destroy();
    assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String logged = read(log);
    assertThat(logged).contains("\"route\":\"/{tenant}/oauth2/v2.0/token\"").contains("\"appId\":\"" + ADMIN_ID + "\"")
        .doesNotContain(ADMIN_SECRET).doesNotContain(bearer);
    // The terminal had the start-up block and nothing of the requests.
    assertThat(read(terminal)).doesNotContain("stackledger.request").doesNotContain("/subscriptions");
  }

  @Test
  void aPortThatIsTakenIsOneLineNamingItAndNoDataFolderIsLeftBehind() throws Exception {
    Path work = temp("port");
    Path dir = work.resolve("never-made");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      // The taken port is the third of the endpoints' (partnerCenter).
      int base = taken.getLocalPort() - 2;
      Path terminal = work.resolve("serve.out");
      Process serve = serve(terminal, "--port", Integer.toString(base), "--data-dir", dir.toString());
      assertThat(serve.waitFor(120, TimeUnit.SECONDS)).isTrue();
      String out = read(terminal).strip();
      assertThat(serve.exitValue()).as(out).isEqualTo(1);
      assertThat(out).doesNotContain("\n").startsWith("error: port ").contains(" is in use by another program")
          .contains("--port");
      assertThat(out).containsPattern("error: port \\d+ \\((cloudArm|identity|partnerCenter)\\) on 127.0.0.1");
    }
    assertThat(dir).doesNotExist();
  }
}
