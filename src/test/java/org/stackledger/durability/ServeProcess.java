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
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.stackledger.testing.ChildProcessContract;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestDatabases;

/**
 * What the kill -9 tests share: spawning a real {@code stackledger serve} process on a data folder
 * and database, waiting for its {@code endpoints.json}, signing in as the admin it bootstraps, and
 * stopping and cleaning up after it.
 */
final class ServeProcess {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The admin service principal the spawned server bootstraps from its environment on first start. */
  static final String ADMIN_ID = UUID.randomUUID().toString();
  static final String ADMIN_SECRET = "kill9-admin-secret-" + UUID.randomUUID();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private ServeProcess() {}

  /**
   * One kill -9 run: a temporary data folder and a fresh database of the engine, the first server and
   * the restarted one; on close both are stopped, their output printed unless the run {@link #passed},
   * and the folder and logs deleted.
   */
  static final class Run implements AutoCloseable {
    final Path dataDir;
    final String dbUrl;
    private final boolean http;
    private final String logLevel;
    private final Path firstLog;
    private final Path secondLog;
    Process first;
    Process second;
    private boolean passed;

    Run(String name, Engine engine, boolean http) throws IOException {
      this(name, engine, http, "WARN");
    }

    /** A run whose servers log at {@code logLevel} (WARN unless a test reads what they say at INFO). */
    Run(String name, Engine engine, boolean http, String logLevel) throws IOException {
      this.logLevel = logLevel;
      this.dataDir = Files.createTempDirectory("stackledger-" + name + "-" + engine.name().toLowerCase());
      this.dbUrl = TestDatabases.fresh(engine);
      this.http = http;
      this.firstLog = dataDir.resolveSibling(dataDir.getFileName() + "-first.log");
      this.secondLog = dataDir.resolveSibling(dataDir.getFileName() + "-second.log");
    }

    /** Starts the first server and returns its endpoints. */
    JsonNode start() throws Exception {
      first = spawn(dataDir, dbUrl, firstLog, http, logLevel);
      return awaitEndpoints(first, dataDir, firstLog);
    }

    /** Starts the second server on the same folder and database (the first is dead) and returns its endpoints. */
    JsonNode restart() throws Exception {
      Files.delete(dataDir.resolve("endpoints.json"));
      second = spawn(dataDir, dbUrl, secondLog, http, logLevel);
      return awaitEndpoints(second, dataDir, secondLog);
    }

    void passed() {
      passed = true;
    }

    @Override
    public void close() throws Exception {
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

  /** Starts {@code serve} on free ports, plain HTTP when {@code http}, HTTPS with its own certificate otherwise. */
  static Process spawn(Path dataDir, String dbUrl, Path log, boolean http) throws IOException {
    return spawn(dataDir, dbUrl, log, http, "WARN");
  }

  static Process spawn(Path dataDir, String dbUrl, Path log, boolean http, String logLevel) throws IOException {
    return spawn(dataDir, dbUrl, log, http, logLevel, List.of());
  }

  /** As {@link #spawn(Path, String, Path, boolean, String)}, with more {@code serve} flags (e.g. {@code --kafka}). */
  static Process spawn(Path dataDir, String dbUrl, Path log, boolean http, String logLevel, List<String> flags)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-cp", System.getProperty("java.class.path")));
    // Its answers are held to the API description like those of the servers in this JVM.
    command.addAll(ChildProcessContract.jvmOptions());
    command.addAll(List.of("org.stackledger.Main", "serve", "--port", "0", "--host", "127.0.0.1",
        "--data-dir", dataDir.toString()));
    if (http) {
      command.add("--http");
    }
    if (dbUrl != null) {
      command.add("--db");
      command.add(dbUrl);
    }
    command.addAll(flags);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putIfAbsent("STACKLEDGER_LOG_LEVEL", logLevel);
    builder.environment().put("STACKLEDGER_ADMIN_CLIENT_ID", ADMIN_ID);
    builder.environment().put("STACKLEDGER_ADMIN_CLIENT_SECRET", ADMIN_SECRET);
    return builder.start();
  }

  /** Waits for {@code endpoints.json} to appear and parse, failing fast if the process dies. */
  static JsonNode awaitEndpoints(Process server, Path dataDir, Path log) throws Exception {
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

  /** The server's certificate to trust, or null when it serves plain HTTP. */
  static Path certificate(JsonNode endpoints) {
    return endpoints.hasNonNull("certificate") && endpoints.path("cloudArm").asText().startsWith("https:")
        ? Path.of(endpoints.path("certificate").asText()) : null;
  }

  /**
   * Signs in at the server's identity endpoint as the bootstrap admin and returns an access token
   * for the audience.
   */
  static String signIn(JsonNode endpoints, String audience) throws IOException {
    TestClient identity = new TestClient(endpoints.path("identity").asText(), certificate(endpoints));
    TestClient.Response r = identity.form("/" + endpoints.path("homeTenantId").asText() + "/oauth2/v2.0/token",
        Map.of("grant_type", "client_credentials", "client_id", ADMIN_ID, "client_secret", ADMIN_SECRET,
            "scope", audience + (audience.endsWith("/") ? "" : "/") + ".default"));
    assertThat(r.status()).as("sign-in: " + r.body()).isEqualTo(200);
    return r.json().path("access_token").asText();
  }

  /** Stops the process with SIGTERM, then SIGKILL if it does not go. */
  static void stop(Process process) throws InterruptedException {
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

  /** One write of a load: returns null when the server acknowledged it, else what it answered instead. */
  interface Write {
    String attempt(int writer, int index);
  }

  /** What a load run saw: writes acknowledged and attempted, failures after the kill, errors before it. */
  record Load(int acknowledged, int attempted, int failedAfterKill, List<String> errors, long millis) {}

  /**
   * Runs {@code writers} threads that each attempt writes one after another for {@code load}
   * (longer, up to {@code maxLoad}, until {@code enough} are acknowledged), then SIGKILLs the server
   * while they are still writing, and waits for the writers to notice.
   */
  static Load runLoadAndKill(Process server, int writers, Duration load, int enough, Duration maxLoad, Write write)
      throws Exception {
    AtomicInteger acknowledged = new AtomicInteger();
    AtomicInteger attempted = new AtomicInteger();
    AtomicInteger failedAfterKill = new AtomicInteger();
    List<String> errors = Collections.synchronizedList(new ArrayList<>());
    AtomicBoolean killed = new AtomicBoolean();
    CountDownLatch done = new CountDownLatch(writers);
    long hardStop = System.nanoTime() + maxLoad.toNanos() + TimeUnit.SECONDS.toNanos(30);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      int writer = w;
      Thread t = new Thread(() -> {
        try {
          for (int i = 0; !killed.get() && System.nanoTime() < hardStop; i++) {
            attempted.incrementAndGet();
            try {
              String error = write.attempt(writer, i);
              if (error == null) {
                acknowledged.incrementAndGet();
              } else if (!killed.get()) {
                errors.add(error);
              }
            } catch (UncheckedIOException | IllegalStateException e) {
              if (killed.get()) {
                failedAfterKill.incrementAndGet();
              } else {
                errors.add("writer " + writer + " write " + i + " -> " + e);
              }
            }
          }
        } finally {
          done.countDown();
        }
      }, "kill9-writer-" + w);
      t.setDaemon(true);
      threads.add(t);
    }
    long started = System.nanoTime();
    threads.forEach(Thread::start);
    Thread.sleep(load.toMillis());
    long loadEnd = started + maxLoad.toNanos();
    while (acknowledged.get() < enough && System.nanoTime() < loadEnd && server.isAlive()) {
      Thread.sleep(20);
    }
    assertThat(server.isAlive()).as("the server must still run when the load is stopped by SIGKILL").isTrue();
    // Kill first, flag second: an acknowledgement that arrives between the two was still given before the kill.
    server.destroyForcibly();
    boolean exited = server.waitFor(10, TimeUnit.SECONDS);
    killed.set(true);
    long millis = (System.nanoTime() - started) / 1_000_000;
    assertThat(exited).as("the server must die within 10 s of SIGKILL").isTrue();
    assertThat(done.await(40, TimeUnit.SECONDS)).as("writers must stop after the kill").isTrue();
    return new Load(acknowledged.get(), attempted.get(), failedAfterKill.get(), List.copyOf(errors), millis);
  }

  static void dump(String what, Path log) {
    System.err.println("----- output of the " + what + " (" + log + ") -----");
    System.err.println(read(log));
    System.err.println("----- end of " + what + " output -----");
  }

  static String read(Path log) {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "(no output file)";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
