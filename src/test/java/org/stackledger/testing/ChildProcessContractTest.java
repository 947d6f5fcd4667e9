package org.stackledger.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.stackledger.http.ExchangeObserver;
import org.stackledger.http.Json;
import org.stackledger.openapi.ApiDescription;

/** How answers of a server in another process reach the contract check of the test that started it. */
class ChildProcessContractTest {

  @Test
  void theRecorderWritesWhatTheCheckFindsAsLinesTheParentReadsOnce() throws Exception {
    ChildProcessContract.ViolationLog log = ChildProcessContract.ViolationLog.create();
    ChildProcessContract.Recorder recorder = new ChildProcessContract.Recorder(
        new ContractCheck(ApiDescription.bundled(), new ContractCheck.Allowlist(Set.of())), log);

    recorder.observed(healthz(200, "{\"status\":\"Healthy\",\"store\":\"H2\"}"));
    recorder.observed(healthz(201, "{\"status\":\"Healthy\"}"));
    recorder.observed(healthz(200, "{\"status\":\"Fine\"}"));

    List<String> first = log.readNew();
    assertThat(first).hasSize(2);
    assertThat(first.get(0)).contains("Health_Get").contains("201");
    assertThat(first.get(1)).contains("Fine").as("a violation that spans lines comes back whole").contains("\n");
    assertThat(log.readNew()).as("what was read is not read again").isEmpty();
  }

  @Test
  void aServerStartedAsAnotherProcessShowsEachAnswerToTheObserverItsTestNamed() throws Exception {
    Path dir = Files.createTempDirectory("stackledger-child-contract");
    ChildProcessContract.ViolationLog log = ChildProcessContract.ViolationLog.create();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-cp", System.getProperty("java.class.path")));
    command.addAll(log.jvmOptions(EveryAnswer.class));
    command.addAll(List.of("org.stackledger.Main", "serve", "--port", "0", "--host", "127.0.0.1", "--http",
        "--data-dir", dir.resolve("data").toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("output.log").toFile());
    builder.environment().put("STACKLEDGER_LOG_LEVEL", "WARN");
    builder.environment().remove("STACKLEDGER_HOME");
    builder.environment().remove("STACKLEDGER_CONFIG");
    Process server = builder.start();
    try {
      Path endpoints = dir.resolve("data").resolve("endpoints.json");
      await().atMost(Duration.ofSeconds(60)).until(() -> !server.isAlive() || Files.exists(endpoints));
      assertThat(server.isAlive()).as(() -> "the server runs: " + output(dir)).isTrue();
      String cloudArm = Json.parseObject(Files.readString(endpoints)).path("cloudArm").asText();

      // endpoints.json is written just before the server turns ready; until then it answers 503 unrouted.
      TestClient client = new TestClient(cloudArm, null);
      await().atMost(Duration.ofSeconds(10)).until(() -> client.get("/healthz").status() == 200);

      assertThat(log.readNew()).as("seen by the child's observer before the answer was written")
          .containsExactly("cloudArm GET /healthz 200");
    } finally {
      server.destroy();
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** The child's observer in the second test: reports every routed answer, so that one request shows the path. */
  public static final class EveryAnswer implements ExchangeObserver {
    private final ChildProcessContract.ViolationLog log =
        new ChildProcessContract.ViolationLog(Path.of(System.getProperty(ChildProcessContract.LOG_PROPERTY)));

    @Override
    public void observed(Observed exchange) {
      if (exchange.template() != null) {
        log.append(List.of(exchange.site() + " " + exchange.method() + " " + exchange.template() + " " + exchange.status()));
      }
    }
  }

  private static ExchangeObserver.Observed healthz(int status, String json) {
    return new ExchangeObserver.Observed("cloudArm", "GET", "/healthz", "/healthz", "", Map.of(), status, Map.of(),
        "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
  }

  private static String output(Path dir) {
    try {
      return Files.readString(dir.resolve("output.log"));
    } catch (Exception e) {
      return "(no output: " + e + ")";
    }
  }
}
