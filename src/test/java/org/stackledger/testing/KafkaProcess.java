package org.stackledger.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Kafka broker as its own process (KRaft, one node combined with its controller), from the Kafka
 * jars on the test classpath — so a test can SIGKILL it and start it again on the same ports and
 * folder, as an outage does. Its log goes to a file beside its data.
 */
public final class KafkaProcess implements AutoCloseable {
  private final Path folder;
  private final int port;
  private final int controllerPort;
  private Process process;

  private KafkaProcess(Path folder, int port, int controllerPort) {
    this.folder = folder;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Formats a new broker's storage and starts it; returns once it takes connections. */
  public static KafkaProcess start() throws Exception {
    Path folder = Files.createTempDirectory("stackledger-kafka-process");
    KafkaProcess k = new KafkaProcess(folder, freePort(), freePort());
    Files.writeString(folder.resolve("server.properties"), String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.bootstrap.servers=127.0.0.1:" + k.controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + k.port + ",CONTROLLER://127.0.0.1:" + k.controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + k.port,
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + folder.resolve("data"),
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "group.initial.rebalance.delay.ms=0") + "\n");
    Files.writeString(folder.resolve("logback.xml"), "<configuration><appender name=\"F\" "
        + "class=\"ch.qos.logback.core.FileAppender\"><file>" + folder.resolve("broker.log") + "</file><encoder>"
        + "<pattern>%d %-5level %logger{30} %msg%n</pattern></encoder></appender><root level=\"WARN\">"
        + "<appender-ref ref=\"F\"/></root></configuration>\n");
    Process format = k.java("kafka.tools.StorageTool", "format", "-t", "q1Sh-9_ISia_zwGINzRvyQ", "-c",
        folder.resolve("server.properties").toString(), "--standalone").start();
    if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
      throw new IllegalStateException("kafka-storage format failed: " + new String(format.getInputStream().readAllBytes()));
    }
    k.startAgain();
    return k;
  }

  private ProcessBuilder java(String main, String... args) {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m",
        "-Dlogback.configurationFile=" + folder.resolve("logback.xml"), "-cp", System.getProperty("java.class.path"),
        main));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(folder.resolve(main.replace('.', '-') + ".out").toFile());
  }

  /** Starts the broker (again) on its ports and folder; returns once it takes connections. */
  public void startAgain() throws Exception {
    process = java("kafka.Kafka", folder.resolve("server.properties").toString()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the broker exited with " + process.exitValue() + "; see " + folder);
      }
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("the broker did not listen on " + port + " within 60 s; see " + folder);
  }

  /** SIGKILL: the broker stops at once, as a machine that fails does. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    if (process != null) {
      kill();
    }
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
