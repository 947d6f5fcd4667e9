package org.stackledger.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.stackledger.app.ServerOptions;
import org.stackledger.app.Stackledger;
import org.stackledger.http.Json;
import org.stackledger.simulate.SimulatedCloud;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;

/**
 * Kill -9 of the embedded store under commerce load: a real {@code stackledger serve} on H2 takes the
 * bridge's usage uploads from two writers — new batches, and every third one a batch sent again — and
 * is SIGKILLed. Restarted on the same folder, the store opens; the batches in flight at the kill are
 * sent again, as a bridge would; then the invoices hold exactly the quantity of every batch once, and
 * new uploads work. This is the gate of whatever keeps the H2 store bounded: compaction threads
 * ({@code compactFile}, {@code compact}) failed it and were removed; what bounds the store now is its
 * layout, the records and keys written once to segment files beside H2 ({@code store/Blobs}) before
 * their rows, so the kill lands between segment writes and H2 commits, and the restarted server must
 * read every acknowledged record back from both. Its log is at INFO.
 */
@Tag("storage")
@Tag("slow")
class CompactionKillNineTest {
  private static final String UPLOAD_API = "?api-version=2017-06-01";
  private static final String BILLING_API = "?api-version=2026-11-01";
  private static final String METER = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";
  private static final int WRITERS = 2;
  private static final int RECORDS = 500;

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void everyAcknowledgedRecordIsBilledOnceAfterAKillDuringCompaction() throws Exception {
    try (ServeProcess.Run run = new ServeProcess.Run("compaction", Engine.H2, false, "INFO")) {
      JsonNode endpoints = run.start();
      SimulatedCloud world = SimulatedCloud.build(plane(run), plane(run), SimulatedCloud.Options.of(2),
          Clock.systemUTC());
      YearMonth month = YearMonth.now(ZoneOffset.UTC).minusMonths(1);
      Instant firstHour = month.atEndOfMonth().atStartOfDay().toInstant(ZoneOffset.UTC);
      Batches batches = new Batches(world, firstHour);

      TestClient bridge = bridge(endpoints, world);
      Map<String, String> acknowledged = new ConcurrentHashMap<>();
      Map<String, String> attempted = new ConcurrentHashMap<>();
      ServeProcess.Load load = ServeProcess.runLoadAndKill(run.first, WRITERS, Duration.ofSeconds(3), 40,
          Duration.ofSeconds(12), (writer, i) -> {
            // Every third write sends the writer's previous batch again: acknowledged, counted once.
            int n = i % 3 == 2 ? i - 1 : i;
            String id = "w" + writer + "-" + n;
            String body = batches.body(id, writer, n);
            attempted.put(id, body);
            TestClient.Response r = bridge.post(world.registration().id() + "/usage" + UPLOAD_API, body);
            if (r.status() != 200) {
              return id + " -> " + r.status() + " " + r.body();
            }
            acknowledged.put(id, body);
            return null;
          });
      // Connections refused while the kill takes effect are the kill's; an answer other than 200 is not.
      assertThat(load.errors().stream().filter(e -> !e.contains("IOException")).toList())
          .as("uploads refused before the kill").isEmpty();
      assertThat(acknowledged.size()).as("acknowledged batches").isGreaterThan(WRITERS);

      JsonNode restarted = run.restart();
      TestClient again = bridge(restarted, world);
      List<String> inFlight = new ArrayList<>();
      for (Map.Entry<String, String> e : attempted.entrySet()) {
        if (!acknowledged.containsKey(e.getKey())) {
          inFlight.add(e.getKey());
          TestClient.Response r = again.post(world.registration().id() + "/usage" + UPLOAD_API, e.getValue());
          assertThat(r.status()).as("the batch %s in flight at the kill, sent again: %s", e.getKey(), r.body())
              .isEqualTo(200);
        }
      }
      BigDecimal sent = BigDecimal.ZERO;
      for (String body : attempted.values()) {
        sent = sent.add(quantity(body));
      }
      TestClient operator = new TestClient(restarted.path("cloudArm").asText(), ServeProcess.certificate(restarted))
          .withToken(ServeProcess.signIn(restarted, Stackledger.CLOUD_AUDIENCE));
      // Usage of a month past may be billed in the month it arrives in: the two months' invoices together.
      List<String> invoice = List.of(month.toString(), YearMonth.now(ZoneOffset.UTC).toString()).stream()
          .distinct().map(m -> "/subscriptions/" + world.registration().subscriptionId()
              + "/providers/Stackledger.Billing/invoices/" + m + BILLING_API).toList();
      assertThat(billed(operator, invoice)).as("%d batches acknowledged (%d re-sent by the writers), %d in flight "
              + "at the kill", acknowledged.size(), load.attempted() / 3, inFlight.size()).isEqualByComparingTo(sent);

      String later = batches.body("after-restart", WRITERS, 0);
      TestClient.Response r = again.post(world.registration().id() + "/usage" + UPLOAD_API, later);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().path("accepted").asInt()).isEqualTo(RECORDS);
      assertThat(billed(operator, invoice)).isEqualByComparingTo(sent.add(quantity(later)));
      try (var segments = java.nio.file.Files.list(run.dataDir.resolve("db").resolve("segments"))) {
        assertThat(segments.map(f -> f.getFileName().toString()).toList()).as("the records went to segment files")
            .anyMatch(name -> name.contains(".commerce-"));
      }
      System.out.printf("[compaction kill-9] %d batches of %d records acknowledged, %d in flight, killed after %d ms%n",
          acknowledged.size(), RECORDS, inFlight.size(), load.millis());
      run.passed();
    }
  }

  private static SimulatedCloud.Plane plane(ServeProcess.Run run) throws IOException {
    return SimulatedCloud.Plane.read(run.dataDir.resolve("endpoints.json"),
        new ServerOptions.AdminCredentials(ServeProcess.ADMIN_ID, ServeProcess.ADMIN_SECRET));
  }

  /** A client of the cloud ARM endpoint signed in as the registration's bridge principal. */
  private static TestClient bridge(JsonNode endpoints, SimulatedCloud world) throws IOException {
    TestClient identity = new TestClient(endpoints.path("identity").asText(), ServeProcess.certificate(endpoints));
    TestClient.Response r = identity.form("/" + world.partner().tenantId() + "/oauth2/v2.0/token", Map.of(
        "grant_type", "client_credentials", "client_id", world.registration().bridgeAppId(), "client_secret",
        world.registration().bridgeSecret(), "scope", Stackledger.CLOUD_AUDIENCE + ".default"));
    assertThat(r.status()).as("bridge sign-in: " + r.body()).isEqualTo(200);
    return new TestClient(endpoints.path("cloudArm").asText(), ServeProcess.certificate(endpoints))
        .withToken(r.json().path("access_token").asText());
  }

  /** The quantity of the meter on the lines of those of the invoices that exist. */
  private static BigDecimal billed(TestClient operator, List<String> invoices) {
    BigDecimal sum = BigDecimal.ZERO;
    int found = 0;
    for (String invoice : invoices) {
      TestClient.Response r = operator.get(invoice);
      if (r.status() == 404) {
        continue;
      }
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      found++;
      for (JsonNode line : r.json().path("properties").path("lines")) {
        if (METER.equalsIgnoreCase(line.path("meterId").asText())) {
          sum = sum.add(line.path("quantity").decimalValue());
        }
      }
    }
    assertThat(found).as("invoices among %s", invoices).isPositive();
    return sum;
  }

  private static BigDecimal quantity(String body) throws IOException {
    BigDecimal sum = BigDecimal.ZERO;
    for (JsonNode record : Json.MAPPER.readTree(body).path("records")) {
      sum = sum.add(record.path("quantity").decimalValue());
    }
    return sum;
  }

  /** The upload bodies: each batch its own resources, spread over a day of the customers' subscriptions. */
  private record Batches(SimulatedCloud world, Instant firstHour) {
    String body(String batchId, int writer, int n) {
      StringBuilder b = new StringBuilder(RECORDS * 400).append("{\"batchId\":\"").append(batchId)
          .append("\",\"cloudId\":\"").append(world.cloudId()).append("\",\"records\":[");
      for (int j = 0; j < RECORDS; j++) {
        SimulatedCloud.Customer c = world.customers().get(j % world.customers().size());
        Instant hour = firstHour.plus(Duration.ofHours(j % 24));
        b.append(j == 0 ? "" : ",").append("{\"meterId\":\"").append(METER).append("\",\"quantity\":")
            .append(BigDecimal.valueOf(1 + (writer * 7L + n * 3L + j) % 11, 2)).append(",\"location\":\"local\"")
            .append(",\"resourceUri\":\"/subscriptions/").append(c.localSubscriptionId())
            .append("/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-").append(batchId).append('-')
            .append(j).append("\",\"subscriptionId\":\"").append(c.localSubscriptionId()).append("\",\"tenantId\":\"")
            .append(c.tenantId()).append("\",\"reportedHour\":\"").append(hour).append("\",\"usageStartTime\":\"")
            .append(hour).append("\",\"usageEndTime\":\"").append(hour.plus(Duration.ofHours(1))).append("\"}");
      }
      return b.append("]}").toString();
    }
  }
}
