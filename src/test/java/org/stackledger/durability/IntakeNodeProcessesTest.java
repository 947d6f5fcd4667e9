package org.stackledger.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.stackledger.app.Stackledger;
import org.stackledger.kafka.KafkaSettings;
import org.stackledger.testing.Engine;
import org.stackledger.testing.KafkaProcess;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestDatabases;

/**
 * Two intake nodes of one deployment as real processes: two {@code stackledger serve --kafka} on one
 * PostgreSQL store and one topic of a broker that is its own process. Four writers post every batch
 * to both nodes at the same moment; one node is SIGKILLed mid-load. Each batch both nodes answered is
 * accepted by one and all duplicates at the other; after the kill the other node takes everything sent
 * again (acknowledged batches all duplicates, a batch cut off by the kill whole or not at all); the
 * killed node, restarted, knows every event; and the usage API shows every event sent exactly once.
 */
@Tag("slow")
class IntakeNodeProcessesTest {
  private static final int WRITERS = 4;

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void twoServeProcessesOnOneStoreCountEveryEventOnceThroughAKill() throws Exception {
    Path dirA = Files.createTempDirectory("stackledger-node-a");
    Path dirB = Files.createTempDirectory("stackledger-node-b");
    Path logA = dirA.resolveSibling(dirA.getFileName() + ".log");
    Path logB = dirB.resolveSibling(dirB.getFileName() + ".log");
    Process a = null;
    Process b = null;
    boolean passed = false;
    try (KafkaProcess broker = KafkaProcess.start()) {
      String db = TestDatabases.fresh(Engine.POSTGRESQL);
      String prefix = "nodes-" + UUID.randomUUID() + ".";
      List<String> kafka = List.of("--kafka", broker.bootstrap(), "--kafka-topic-prefix", prefix);
      a = ServeProcess.spawn(dirA, db, logA, false, "WARN", kafka);
      JsonNode endpointsA = ServeProcess.awaitEndpoints(a, dirA, logA);
      b = ServeProcess.spawn(dirB, db, logB, false, "WARN", kafka);
      JsonNode endpointsB = ServeProcess.awaitEndpoints(b, dirB, logB);
      String operator = endpointsA.path("operatorSubscriptionId").asText();
      assertThat(endpointsB.path("operatorSubscriptionId").asText()).as("one deployment, one store").isEqualTo(operator);
      TestClient nodeA = client(endpointsA);
      TestClient nodeB = client(endpointsB);
      String subscription = UsageKillNineTest.subscribe(nodeA, operator, endpointsA.path("homeTenantId").asText());

      Map<String, UsageKillNineTest.Batch> attempted = new ConcurrentHashMap<>();
      Map<String, UsageKillNineTest.Batch> acknowledged = new ConcurrentHashMap<>();
      List<String> countedTwice = Collections.synchronizedList(new ArrayList<>());
      Process killed = a;
      ServeProcess.Load load = ServeProcess.runLoadAndKill(killed, WRITERS, Duration.ofMillis(1_500), 40,
          Duration.ofSeconds(15), (writer, i) -> {
            String name = "w" + writer + "-b" + i;
            UsageKillNineTest.Batch batch = UsageKillNineTest.batch(subscription, name, Instant.now());
            attempted.put(name, batch);
            CompletableFuture<TestClient.Response> toA = CompletableFuture.supplyAsync(
                () -> nodeA.post(UsageKillNineTest.INTAKE, batch.body()));
            TestClient.Response fromB = nodeB.post(UsageKillNineTest.INTAKE, batch.body());
            TestClient.Response fromA;
            try {
              fromA = toA.join();
            } catch (RuntimeException cutByTheKill) {
              fromA = null;
            }
            if (fromB.status() != 200) {
              return name + " -> node B " + fromB.status() + " " + fromB.body();
            }
            if (fromA != null && fromA.status() == 200) {
              int accepted = fromA.json().path("accepted").asInt() + fromB.json().path("accepted").asInt();
              if (accepted != UsageKillNineTest.EVENTS) {
                countedTwice.add(name + ": A " + fromA.body() + ", B " + fromB.body());
              }
            }
            acknowledged.put(name, batch);
            return null;
          });
      assertThat(load.errors().stream().filter(e -> !e.contains("IOException")).toList()).as("answers before the kill")
          .isEmpty();
      assertThat(countedTwice).as("a batch posted to both nodes at once is accepted once").isEmpty();
      assertThat(acknowledged).hasSizeGreaterThan(WRITERS);

      // Node B goes on alone: everything sent again is there once.
      for (Map.Entry<String, UsageKillNineTest.Batch> e : attempted.entrySet()) {
        TestClient.Response r = nodeB.post(UsageKillNineTest.INTAKE, e.getValue().body());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        int duplicates = r.json().path("duplicates").asInt();
        if (acknowledged.containsKey(e.getKey())) {
          assertThat(duplicates).as("acknowledged %s: %s", e.getKey(), r.body()).isEqualTo(UsageKillNineTest.EVENTS);
        } else {
          assertThat(duplicates).as("a batch is stored whole or not at all: %s", r.body()).isIn(0, UsageKillNineTest.EVENTS);
        }
      }
      // Node A, restarted on its folder, knows what node B took while it was dead.
      Files.delete(dirA.resolve("endpoints.json"));
      a = ServeProcess.spawn(dirA, db, logA, false, "WARN", kafka);
      TestClient restarted = client(ServeProcess.awaitEndpoints(a, dirA, logA));
      for (UsageKillNineTest.Batch batch : attempted.values()) {
        TestClient.Response r = restarted.post(UsageKillNineTest.INTAKE, batch.body());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("duplicates").asInt()).as(r.body()).isEqualTo(UsageKillNineTest.EVENTS);
      }
      ServeProcess.stop(a);
      ServeProcess.stop(b);

      Map<String, BigDecimal> expected = new HashMap<>();
      attempted.values().forEach(batch -> expected.putAll(batch.quantities()));
      System.out.printf("[intake nodes] %d batches of %d events acknowledged by 2 nodes in %d ms, node A killed; "
          + "%d attempted%n", acknowledged.size(), UsageKillNineTest.EVENTS, load.millis(), attempted.size());
      assertThat(UsageKillNineTest.usageByResource(dirA, db, operator, subscription,
          new KafkaSettings(broker.bootstrap(), prefix, Map.of()))).isEqualTo(expected);
      passed = true;
    } finally {
      ServeProcess.stop(a);
      ServeProcess.stop(b);
      if (!passed) {
        ServeProcess.dump("node A", logA);
        ServeProcess.dump("node B", logB);
      }
      ServeProcess.deleteTree(dirA);
      ServeProcess.deleteTree(dirB);
      Files.deleteIfExists(logA);
      Files.deleteIfExists(logB);
    }
  }

  private static TestClient client(JsonNode endpoints) throws java.io.IOException {
    return new TestClient(endpoints.path("stackAdminArm").asText(), ServeProcess.certificate(endpoints))
        .withToken(ServeProcess.signIn(endpoints, Stackledger.STACK_ADMIN_AUDIENCE));
  }
}
