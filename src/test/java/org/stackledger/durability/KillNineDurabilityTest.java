package org.stackledger.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestDatabases;

/**
 * Kill -9 durability: a real {@code stackledger serve} process takes concurrent resource-group
 * writes, is killed with SIGKILL while the writes are still in flight, and is restarted on the same
 * data folder and database. Every write that was acknowledged with 201 before the kill must be there.
 */
@Tag("storage")
class KillNineDurabilityTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The admin service principal the spawned server bootstraps from its environment on first start. */
  private static final String ADMIN_ID = java.util.UUID.randomUUID().toString();
  private static final String ADMIN_SECRET = "kill9-admin-secret-" + java.util.UUID.randomUUID();
  private static final String API = "?api-version=2025-04-01";
  private static final int WRITERS = 4;
  /** The load runs at least this long, and on until {@link #ENOUGH} writes are acknowledged ... */
  private static final Duration LOAD = Duration.ofMillis(2_500);
  private static final int ENOUGH = 100;
  /** ... but never longer than this (a slow, busy machine). */
  private static final Duration MAX_LOAD = Duration.ofSeconds(15);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  @ParameterizedTest
  @EnumSource(Engine.class)
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void everyAcknowledgedWriteSurvivesKillNine(Engine engine) throws Exception {
    Path dataDir = Files.createTempDirectory("stackledger-kill9-" + engine.name().toLowerCase());
    String dbUrl = TestDatabases.fresh(engine);
    Path firstLog = dataDir.resolveSibling(dataDir.getFileName() + "-first.log");
    Path secondLog = dataDir.resolveSibling(dataDir.getFileName() + "-second.log");
    Process first = null;
    Process second = null;
    boolean passed = false;
    try {
      first = spawn(dataDir, dbUrl, firstLog);
      JsonNode endpoints = awaitEndpoints(first, dataDir, firstLog);
      String operatorSubscription = endpoints.path("operatorSubscriptionId").asText();
      String base = endpoints.path("cloudArm").asText();
      assertThat(base).startsWith("http://127.0.0.1:");

      Load load = runLoadAndKill(first, base, signIn(endpoints), operatorSubscription, engine);
      long firstPid = first.pid();
      assertThat(first.isAlive()).as("the first server (pid %d) must be dead after SIGKILL", firstPid).isFalse();
      assertThat(first.exitValue()).as("exit status of a SIGKILLed process is 128 + 9").isEqualTo(137);
      assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false))
          .as("pid %d must no longer run", firstPid).isFalse();
      assertThat(load.acknowledged)
          .as("the load must have produced acknowledged writes before the kill (errors before kill: %s)", load.errors)
          .hasSizeGreaterThan(WRITERS);

      Files.delete(dataDir.resolve("endpoints.json"));
      second = spawn(dataDir, dbUrl, secondLog);
      JsonNode restarted = awaitEndpoints(second, dataDir, secondLog);
      assertThat(restarted.path("operatorSubscriptionId").asText())
          .as("the operator subscription is a stored setting and must survive the kill")
          .isEqualTo(operatorSubscription);
      TestClient client = new TestClient(restarted.path("cloudArm").asText(), null).withToken(signIn(restarted));

      List<String> lost = new ArrayList<>();
      for (String name : load.acknowledged.keySet()) {
        int status = client.get("/subscriptions/" + operatorSubscription + "/resourcegroups/" + name + API).status();
        if (status != 200) {
          lost.add(name + " -> " + status);
        }
      }
      int listed = countResourceGroups(client, operatorSubscription);
      String summary = String.format("%s: %d writes acknowledged in %d ms by %d writers (%d attempted, %d failed "
              + "after the kill), %d lost after restart, %d listed after restart",
          engine, load.acknowledged.size(), load.millis, WRITERS, load.attempted.get(), load.failedAfterKill.get(),
          lost.size(), listed);
      System.out.println("[kill-9] " + summary);
      assertThat(lost).as(summary + "; lost writes (first 20): " + lost.stream().limit(20).toList()).isEmpty();
      assertThat(listed).as(summary).isGreaterThanOrEqualTo(load.acknowledged.size());
      passed = true;
    } finally {
      stop(first);
      stop(second);
      if (!passed) {
        dump("first server", firstLog);
        dump("restarted server", secondLog);
      }
      deleteTree(dataDir);
      Files.deleteIfExists(firstLog);
      Files.deleteIfExists(secondLog);
    }
  }

  /** Signs in at the server's identity endpoint as the bootstrap admin and returns an access token for cloudArm. */
  private static String signIn(JsonNode endpoints) throws IOException {
    TestClient identity = new TestClient(endpoints.path("identity").asText(), null);
    TestClient.Response r = identity.form("/" + endpoints.path("homeTenantId").asText() + "/oauth2/v2.0/token",
        Map.of("grant_type", "client_credentials", "client_id", ADMIN_ID, "client_secret", ADMIN_SECRET,
            "scope", endpoints.path("cloudArm").asText() + ".default"));
    assertThat(r.status()).as("sign-in: " + r.body()).isEqualTo(200);
    return r.json().path("access_token").asText();
  }

  /** What a load run saw: names acknowledged with 201, and counts for the report. */
  private record Load(Map<String, Integer> acknowledged, AtomicInteger attempted, AtomicInteger failedAfterKill,
      List<String> errors, long millis) {}

  /**
   * Runs {@link #WRITERS} threads that PUT new resource groups for {@link #LOAD} (longer, up to
   * {@link #MAX_LOAD}, until {@link #ENOUGH} are acknowledged), then SIGKILLs the server while they
   * are still writing, and waits for the writers to notice.
   */
  private static Load runLoadAndKill(Process server, String base, String token, String subscription, Engine engine)
      throws Exception {
    Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
    AtomicInteger attempted = new AtomicInteger();
    AtomicInteger failedAfterKill = new AtomicInteger();
    List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean killed = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(WRITERS);
    long hardStop = System.nanoTime() + MAX_LOAD.toNanos() + TimeUnit.SECONDS.toNanos(30);
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      int writer = w;
      TestClient client = new TestClient(base, null).withToken(token);
      Thread t = new Thread(() -> {
        try {
          for (int i = 0; !killed.get() && System.nanoTime() < hardStop; i++) {
            String name = "kill9-" + engine.name().toLowerCase() + "-w" + writer + "-" + i;
            attempted.incrementAndGet();
            try {
              int status = client.put("/subscriptions/" + subscription + "/resourcegroups/" + name + API,
                  "{\"location\":\"westus\"}").status();
              if (status == 201) {
                acknowledged.put(name, status);
              } else if (!killed.get()) {
                errors.add(name + " -> " + status);
              }
            } catch (UncheckedIOException | IllegalStateException e) {
              if (killed.get()) {
                failedAfterKill.incrementAndGet();
              } else {
                errors.add(name + " -> " + e);
              }
            }
          }
        } finally {
          done.countDown();
        }
      }, "kill9-writer-" + w);
      t.setDaemon(true);
      writers.add(t);
    }
    long started = System.nanoTime();
    writers.forEach(Thread::start);
    Thread.sleep(LOAD.toMillis());
    long loadEnd = started + MAX_LOAD.toNanos();
    while (acknowledged.size() < ENOUGH && System.nanoTime() < loadEnd && server.isAlive()) {
      Thread.sleep(20);
    }
    assertThat(server.isAlive()).as("the server must still run when the load is stopped by SIGKILL").isTrue();
    // Kill first, flag second: a 201 that arrives between the two was still acknowledged before the kill.
    server.destroyForcibly();
    boolean exited = server.waitFor(10, TimeUnit.SECONDS);
    killed.set(true);
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertThat(exited).as("the server must die within 10 s of SIGKILL").isTrue();
    assertThat(done.await(40, TimeUnit.SECONDS)).as("writers must stop after the kill").isTrue();
    return new Load(Map.copyOf(acknowledged), attempted, failedAfterKill, List.copyOf(errors), millis);
  }

  private static int countResourceGroups(TestClient client, String subscription) {
    String next = "/subscriptions/" + subscription + "/resourcegroups" + API;
    int count = 0;
    for (int page = 0; next != null && page < 10_000; page++) {
      TestClient.Response response = client.get(next);
      assertThat(response.status()).as("list page %d: %s", page, response.body()).isEqualTo(200);
      count += response.json().path("value").size();
      JsonNode link = response.json().path("nextLink");
      next = link.isTextual() && !link.asText().isEmpty() ? link.asText() : null;
    }
    assertThat(next).as("paging must end").isNull();
    return count;
  }

  private static Process spawn(Path dataDir, String dbUrl, Path log) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-cp", System.getProperty("java.class.path"),
        "org.stackledger.Main", "serve", "--port", "0", "--http", "--host", "127.0.0.1",
        "--data-dir", dataDir.toString()));
    if (dbUrl != null) {
      command.add("--db");
      command.add(dbUrl);
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putIfAbsent("STACKLEDGER_LOG_LEVEL", "WARN");
    builder.environment().put("STACKLEDGER_ADMIN_CLIENT_ID", ADMIN_ID);
    builder.environment().put("STACKLEDGER_ADMIN_CLIENT_SECRET", ADMIN_SECRET);
    return builder.start();
  }

  /** Waits for {@code endpoints.json} to appear and parse, failing fast if the process dies. */
  private static JsonNode awaitEndpoints(Process server, Path dataDir, Path log) throws Exception {
    Path file = dataDir.resolve("endpoints.json");
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new AssertionError("server exited with " + server.exitValue() + " before writing endpoints.json:\n"
            + read(log));
      }
      if (Files.exists(file)) {
        try {
          JsonNode node = JSON.readTree(file.toFile());
          if (node.hasNonNull("cloudArm") && node.hasNonNull("operatorSubscriptionId")) {
            return node;
          }
        } catch (IOException partial) {
          // Written by atomic move, so this is unexpected; try again.
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no endpoints.json within " + START_TIMEOUT + ":\n" + read(log));
  }

  private static void stop(Process process) throws InterruptedException {
    if (process == null) {
      return;
    }
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void dump(String what, Path log) {
    System.err.println("----- output of the " + what + " (" + log + ") -----");
    System.err.println(read(log));
    System.err.println("----- end of " + what + " output -----");
  }

  private static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output file)";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
