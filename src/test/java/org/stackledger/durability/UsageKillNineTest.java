package org.stackledger.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.durability.ServeProcess.certificate;
import static org.stackledger.durability.ServeProcess.signIn;
import static org.stackledger.durability.ServeProcess.stop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.ServerOptions;
import org.stackledger.app.Stackledger;
import org.stackledger.testing.Engine;
import org.stackledger.testing.SteppingClock;
import org.stackledger.testing.TestClient;

/**
 * Kill -9 durability of the usage intake: a real {@code stackledger serve} process takes concurrent
 * usage batches over HTTPS and is SIGKILLed mid-load. After a restart every acknowledged batch sent
 * again answers all-duplicates, and once the hour has closed the provider usage API shows every
 * event exactly once: each event is its own resource instance, so a row per event with exactly its
 * quantity, and no other rows.
 */
@Tag("storage")
@Tag("slow")
class UsageKillNineTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String INTAKE = "/providers/Stackledger.Usage/usageEvents?api-version=2026-11-01";
  private static final String ADMIN_V = "?api-version=2015-11-01";
  private static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";
  private static final int WRITERS = 4;
  static final int EVENTS = 20;
  private static final Duration LOAD = Duration.ofMillis(1_500);
  private static final int ENOUGH = 40;
  private static final Duration MAX_LOAD = Duration.ofSeconds(15);

  /** One batch as sent: its body, and each event's resource and quantity. */
  record Batch(String body, Map<String, BigDecimal> quantities) {}

  /** A batch of usage of the hour before now, one new resource instance per event. */
  static Batch batch(String subscription, String name, Instant now) {
    Instant hour = now.truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
    var array = JSON.createArrayNode();
    Map<String, BigDecimal> quantities = new HashMap<>();
    for (int e = 0; e < EVENTS; e++) {
      String uri = "/subscriptions/" + subscription + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/"
          + name + "-" + e;
      BigDecimal quantity = BigDecimal.valueOf(e + 1, 2);
      quantities.put(uri, quantity.stripTrailingZeros());
      array.addObject().put("eventId", UUID.randomUUID().toString()).put("subscriptionId", subscription)
          .put("meterId", BASE_VM).put("quantity", quantity).put("usageStartTime", hour.toString())
          .put("usageEndTime", hour.plus(1, ChronoUnit.HOURS).toString()).put("resourceUri", uri).put("location", "local");
    }
    return new Batch(array.toString(), quantities);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void everyAcknowledgedUsageEventSurvivesKillNineExactlyOnce(Engine engine) throws Exception {
    try (ServeProcess.Run run = new ServeProcess.Run("usage-kill9", engine, false)) {
      JsonNode endpoints = run.start();
      Process first = run.first;
      String admin = endpoints.path("stackAdminArm").asText();
      assertThat(admin).startsWith("https://127.0.0.1:");
      String operator = endpoints.path("operatorSubscriptionId").asText();
      TestClient client = new TestClient(admin, certificate(endpoints))
          .withToken(signIn(endpoints, Stackledger.STACK_ADMIN_AUDIENCE));
      String subscription = subscribe(client, operator, endpoints.path("homeTenantId").asText());

      // Every batch attempted, by name; those acknowledged with all events accepted.
      Map<String, Batch> attempted = new ConcurrentHashMap<>();
      Map<String, Batch> acknowledged = new ConcurrentHashMap<>();
      ServeProcess.Load load = ServeProcess.runLoadAndKill(first, WRITERS, LOAD, ENOUGH, MAX_LOAD, (writer, i) -> {
        String name = "w" + writer + "-b" + i;
        Batch b = batch(subscription, name, Instant.now());
        attempted.put(name, b);
        TestClient.Response r = client.post(INTAKE, b.body());
        if (r.status() == 200 && r.json().path("accepted").asInt() == EVENTS) {
          acknowledged.put(name, b);
          return null;
        }
        return name + " -> " + r.status() + " " + r.body();
      });
      assertThat(first.exitValue()).as("exit status of a SIGKILLed process is 128 + 9").isEqualTo(137);
      // Connections the kill cuts before the load notices are not answers; any answer other than 200 is wrong.
      assertThat(load.errors().stream().filter(e -> !e.contains("IOException")).toList()).as("answers before the kill")
          .isEmpty();
      assertThat(acknowledged).as("acknowledged batches before the kill").hasSizeGreaterThan(WRITERS);

      JsonNode restarted = run.restart();
      TestClient again = new TestClient(restarted.path("stackAdminArm").asText(), certificate(restarted))
          .withToken(signIn(restarted, Stackledger.STACK_ADMIN_AUDIENCE));
      // An acknowledged batch sent again is all duplicates: every event of it is there. A batch whose
      // answer the kill swallowed is either all there or not at all; sent again, it is there once.
      List<String> lost = new ArrayList<>();
      int inFlightStored = 0;
      for (Map.Entry<String, Batch> b : attempted.entrySet()) {
        TestClient.Response r = again.post(INTAKE, b.getValue().body());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        int duplicates = r.json().path("duplicates").asInt();
        if (acknowledged.containsKey(b.getKey())) {
          if (duplicates != EVENTS) {
            lost.add(b.getKey() + " -> " + r.body());
          }
        } else {
          assertThat(duplicates).as("a batch is stored whole or not at all: %s", r.body()).isIn(0, EVENTS);
          inFlightStored += duplicates == EVENTS ? 1 : 0;
        }
      }
      String summary = String.format("%s: %d batches of %d events acknowledged in %d ms by %d writers (%d attempted, "
              + "%d failed after the kill, %d unacknowledged but stored), %d lost after restart", engine,
          acknowledged.size(), EVENTS, load.millis(), WRITERS, attempted.size(), load.failedAfterKill(), inFlightStored,
          lost.size());
      System.out.println("[usage-kill-9] " + summary);
      assertThat(lost).as(summary + "; lost (first 20): " + lost.stream().limit(20).toList()).isEmpty();
      stop(run.second);
      assertThat(run.second.exitValue()).as("a graceful stop").isNotEqualTo(137);

      // Now every attempted batch is in. Reopen the same store in this JVM on a clock two hours
      // ahead, so the hours of the load have closed, and read them through the provider usage API.
      Map<String, BigDecimal> expected = new HashMap<>();
      attempted.values().forEach(b -> expected.putAll(b.quantities()));
      assertThat(usageByResource(run.dataDir, run.dbUrl, operator, subscription)).as(summary).isEqualTo(expected);
      run.passed();
    }
  }

  /** A plan, an offer and a user subscription in the home directory, through the admin API; returns its id. */
  static String subscribe(TestClient admin, String operator, String homeTenant) {
    String catalogue = "/subscriptions/" + operator + "/resourceGroups/rg-kill9/providers/Microsoft.Subscriptions.Admin";
    TestClient.Response plan = admin.put(catalogue + "/plans/kill9-plan" + ADMIN_V,
        "{\"properties\":{\"services\":[\"Microsoft.Compute\"],\"quota\":{\"coresLimit\":8}}}");
    assertThat(plan.status()).as(plan.body()).isEqualTo(201);
    TestClient.Response offer = admin.put(catalogue + "/offers/kill9" + ADMIN_V, "{\"properties\":{\"state\":\"Public\","
        + "\"basePlanIds\":[\"" + catalogue + "/plans/kill9-plan\"]}}");
    assertThat(offer.status()).as(offer.body()).isEqualTo(201);
    String id = UUID.randomUUID().toString();
    TestClient.Response sub = admin.put("/subscriptions/" + operator + "/providers/Microsoft.Subscriptions.Admin/subscriptions/"
        + id + ADMIN_V, "{\"displayName\":\"kill -9 usage\",\"owner\":\"usage@" + Stackledger.HOME_DOMAIN
        + "\",\"tenantId\":\"" + homeTenant + "\",\"offerId\":\"" + catalogue + "/offers/kill9\"}");
    assertThat(sub.status()).as(sub.body()).isEqualTo(201);
    return id;
  }

  /**
   * Starts the stored deployment in this JVM on a clock two hours ahead and returns the provider
   * usage API's hourly rows for the subscription, by resourceUri; a resource seen twice fails.
   */
  static Map<String, BigDecimal> usageByResource(Path dataDir, String dbUrl, String operator, String subscription)
      throws Exception {
    return usageByResource(dataDir, dbUrl, operator, subscription, null);
  }

  /** The same for a deployment whose usage log is on Kafka ({@code kafka}; null: the database alone). */
  static Map<String, BigDecimal> usageByResource(Path dataDir, String dbUrl, String operator, String subscription,
      org.stackledger.kafka.KafkaSettings kafka) throws Exception {
    SteppingClock clock = new SteppingClock();
    Instant from = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
    clock.advance(Duration.ofHours(2));
    Instant to = clock.instant().truncatedTo(ChronoUnit.HOURS);
    ServerOptions options = ServerOptions.defaults(dataDir).withPort(0).withJdbcUrl(dbUrl)
        .withAdmin(new ServerOptions.AdminCredentials(ServeProcess.ADMIN_ID, ServeProcess.ADMIN_SECRET)).withClock(clock)
        .withKafka(kafka);
    try (Stackledger app = Stackledger.start(options)) {
      TestClient identity = new TestClient(app.url(EndpointRole.IDENTITY), app.certificate());
      TestClient.Response token = identity.form("/" + app.homeTenantId() + "/oauth2/v2.0/token", Map.of(
          "grant_type", "client_credentials", "client_id", ServeProcess.ADMIN_ID, "client_secret", ServeProcess.ADMIN_SECRET,
          "scope", Stackledger.STACK_ADMIN_AUDIENCE + ".default"));
      assertThat(token.status()).as(token.body()).isEqualTo(200);
      TestClient admin = new TestClient(app.url(EndpointRole.STACK_ADMIN_ARM), app.certificate())
          .withToken(token.json().path("access_token").asText());
      Map<String, BigDecimal> out = new HashMap<>();
      String next = "/subscriptions/" + operator + "/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates"
          + "?api-version=2015-06-01-preview&aggregationGranularity=Hourly&reportedStartTime=" + from
          + "&reportedEndTime=" + to + "&subscriberId=" + subscription;
      while (next != null) {
        TestClient.Response r = admin.get(next);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        for (JsonNode row : r.json().path("value")) {
          String uri = JSON.readTree(row.path("properties").path("instanceData").asText()).path("Microsoft.Resources")
              .path("resourceUri").asText();
          BigDecimal quantity = new BigDecimal(row.path("properties").path("quantity").asText()).stripTrailingZeros();
          assertThat(out.put(uri, quantity)).as("one row for %s", uri).isNull();
        }
        next = r.json().hasNonNull("nextLink") ? r.json().get("nextLink").asText() : null;
      }
      return out;
    }
  }
}
