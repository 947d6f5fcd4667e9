package org.stackledger.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;

/**
 * Kill -9 durability: a real {@code stackledger serve} process takes concurrent resource-group
 * writes, is killed with SIGKILL while the writes are still in flight, and is restarted on the same
 * data folder and database. Every write that was acknowledged with 201 before the kill must be there.
 */
@Tag("storage")
@Tag("slow")
class KillNineDurabilityTest {
  private static final String API = "?api-version=2025-04-01";
  private static final int WRITERS = 4;
  /** The load runs at least this long, and on until {@link #ENOUGH} writes are acknowledged ... */
  private static final Duration LOAD = Duration.ofMillis(2_500);
  private static final int ENOUGH = 100;
  /** ... but never longer than this (a slow, busy machine). */
  private static final Duration MAX_LOAD = Duration.ofSeconds(15);

  @ParameterizedTest
  @EnumSource(Engine.class)
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void everyAcknowledgedWriteSurvivesKillNine(Engine engine) throws Exception {
    try (ServeProcess.Run run = new ServeProcess.Run("kill9", engine, true)) {
      JsonNode endpoints = run.start();
      Process first = run.first;
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
          .as("the load must have produced acknowledged writes before the kill (errors before kill: %s)", load.counts.errors())
          .hasSizeGreaterThan(WRITERS);

      JsonNode restarted = run.restart();
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
          engine, load.acknowledged.size(), load.counts.millis(), WRITERS, load.counts.attempted(),
          load.counts.failedAfterKill(), lost.size(), listed);
      System.out.println("[kill-9] " + summary);
      assertThat(lost).as(summary + "; lost writes (first 20): " + lost.stream().limit(20).toList()).isEmpty();
      assertThat(listed).as(summary).isGreaterThanOrEqualTo(load.acknowledged.size());
      run.passed();
    }
  }

  /** A token for cloudArm; the server accepts its own URL as the audience. */
  private static String signIn(JsonNode endpoints) throws IOException {
    return ServeProcess.signIn(endpoints, endpoints.path("cloudArm").asText());
  }

  /** What a load run saw: names acknowledged with 201, and counts for the report. */
  private record Load(Map<String, Integer> acknowledged, ServeProcess.Load counts) {}

  /**
   * Runs {@link #WRITERS} threads that PUT new resource groups for {@link #LOAD} (longer, up to
   * {@link #MAX_LOAD}, until {@link #ENOUGH} are acknowledged), then SIGKILLs the server while they
   * are still writing (see {@link ServeProcess#runLoadAndKill}).
   */
  private static Load runLoadAndKill(Process server, String base, String token, String subscription, Engine engine)
      throws Exception {
    Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
    TestClient client = new TestClient(base, null).withToken(token);
    ServeProcess.Load counts = ServeProcess.runLoadAndKill(server, WRITERS, LOAD, ENOUGH, MAX_LOAD, (writer, i) -> {
      String name = "kill9-" + engine.name().toLowerCase() + "-w" + writer + "-" + i;
      int status = client.put("/subscriptions/" + subscription + "/resourcegroups/" + name + API,
          "{\"location\":\"westus\"}").status();
      if (status == 201) {
        acknowledged.put(name, status);
        return null;
      }
      return name + " -> " + status;
    });
    return new Load(Map.copyOf(acknowledged), counts);
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
}
