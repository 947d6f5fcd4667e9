package org.stackledger.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;
import static org.stackledger.durability.ServeProcess.certificate;
import static org.stackledger.durability.ServeProcess.signIn;
import static org.stackledger.durability.ServeProcess.stop;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.stackledger.app.Stackledger;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;

/**
 * A full disk under the H2 file store: a real {@code serve} process keeps its data folder on a small
 * tmpfs that a ballast file fills. Every usage batch it cannot store answers 503 with the ARM
 * envelope and a {@code Retry-After}, never a 500; once the ballast is gone the same process takes
 * usage again, and every acknowledged event is counted exactly once.
 */
@Tag("slow")
class FullDiskTest {
  private static final int MAX_BATCHES_ON_FULL_DISK = 200;

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aFullDiskRefusesUsageWith503AndLosesNothingAcknowledged() throws Exception {
    ServeProcess.Run run = new ServeProcess.Run("full-disk", Engine.H2, false);
    assumeThat(mount(run.dataDir)).as("mounting a 48 MB tmpfs needs root (mount -t tmpfs)").isTrue();
    try (run) {
      JsonNode endpoints = run.start();
      String operator = endpoints.path("operatorSubscriptionId").asText();
      TestClient client = new TestClient(endpoints.path("stackAdminArm").asText(), certificate(endpoints))
          .withToken(signIn(endpoints, Stackledger.STACK_ADMIN_AUDIENCE));
      String subscription = UsageKillNineTest.subscribe(client, operator, endpoints.path("homeTenantId").asText());

      Path ballast = run.dataDir.resolve("ballast");
      fill(ballast);
      Map<String, UsageKillNineTest.Batch> attempted = new LinkedHashMap<>();
      Map<String, UsageKillNineTest.Batch> acknowledged = new HashMap<>();
      List<String> wrong = new ArrayList<>();
      int refused = 0;
      for (int i = 0; i < MAX_BATCHES_ON_FULL_DISK && refused < 3; i++) {
        String name = "full-" + i;
        UsageKillNineTest.Batch b = UsageKillNineTest.batch(subscription, name, Instant.now());
        attempted.put(name, b);
        TestClient.Response r = client.post(UsageKillNineTest.INTAKE, b.body());
        if (r.status() == 200) {
          acknowledged.put(name, b);
        } else if (r.status() == 503 && r.json().path("error").hasNonNull("code")
            && r.json().path("error").hasNonNull("message") && r.header("Retry-After") != null) {
          refused++;
        } else {
          wrong.add(name + " -> " + r.status() + " " + r.body());
        }
      }
      assertThat(wrong).as("answers on a full disk other than 200 or 503 with the ARM envelope and a Retry-After").isEmpty();
      assertThat(refused).as("batches refused on a full disk (%d acknowledged)", acknowledged.size()).isPositive();

      Files.delete(ballast);
      // The same process, not restarted, takes usage again once space returns.
      UsageKillNineTest.Batch after = UsageKillNineTest.batch(subscription, "after", Instant.now());
      attempted.put("after", after);
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> client.post(UsageKillNineTest.INTAKE, after.body()).status() == 200);
      for (Map.Entry<String, UsageKillNineTest.Batch> b : attempted.entrySet()) {
        TestClient.Response r = client.post(UsageKillNineTest.INTAKE, b.getValue().body());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        if (acknowledged.containsKey(b.getKey())) {
          assertThat(r.json().path("duplicates").asInt()).as("acknowledged %s: %s", b.getKey(), r.body())
              .isEqualTo(UsageKillNineTest.EVENTS);
        }
      }
      stop(run.first);

      Map<String, BigDecimal> expected = new HashMap<>();
      attempted.values().forEach(b -> expected.putAll(b.quantities()));
      assertThat(UsageKillNineTest.usageByResource(run.dataDir, run.dbUrl, operator, subscription)).isEqualTo(expected);
      run.passed();
    } finally {
      // The run deleted the files; the mount point itself goes once unmounted.
      new ProcessBuilder("umount", "-l", run.dataDir.toString()).inheritIO().start().waitFor();
      Files.deleteIfExists(run.dataDir);
    }
  }

  private static boolean mount(Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", dir.toString())
        .redirectErrorStream(true).start();
    return p.waitFor() == 0;
  }

  /** Writes {@code file} until the file system refuses another byte. */
  private static void fill(Path file) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      while (true) {
        out.write(chunk);
      }
    } catch (IOException full) {
      assertThat(full).hasMessageContaining("No space left on device");
    }
  }
}
