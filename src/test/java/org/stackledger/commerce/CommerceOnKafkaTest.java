package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.ProcessRole;
import org.stackledger.kafka.ConsumerLag;
import org.stackledger.kafka.KafkaSettings;
import org.stackledger.registration.BillingModel;
import org.stackledger.testing.Engine;
import org.stackledger.testing.KafkaBroker;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * The cloud's commerce intake on a Kafka topic ({@code serve --kafka}), against a real KRaft broker:
 * an upload is answered 202 once queued and a commerce worker stores it — the invoices then hold
 * exactly the amounts computed here from the uploaded records and the price sheet; the same upload
 * again changes nothing; a conflicting re-upload ends in the rejected uploads, not in an endless retry;
 * and the commerce group's lag counts the uploads queued while no worker runs.
 */
@Tag("slow")
class CommerceOnKafkaTest {
  static final Instant OCT = Instant.parse("2026-10-01T00:00:00Z");
  private static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";
  private static final String BLOCK_BLOB = "09F8879E-87E9-4305-A572-4B7BE209F857";
  static final String QUEUE = "/providers/Stackledger.Billing/commerceQueue?api-version=2026-11-01";

  static KafkaSettings kafka() throws Exception {
    return new KafkaSettings(KafkaBroker.shared().bootstrap(), "commerce-" + UUID.randomUUID() + ".", Map.of());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anUploadIsQueuedThenStoredWithExactAmountsAndTheSameUploadAgainChangesNothing(Engine engine) throws Exception {
    KafkaSettings kafka = kafka();
    try (CommerceWorld w = new CommerceWorld(engine, OCT, BillingModel.PayAsYouUse, o -> o.withKafka(kafka));
        ConsumerLag lag = CommerceQueue.lag(kafka)) {
      TestServer.TestTenant mapped = w.customer();
      w.map(mapped.subscriptionId(), mapped.tenantId());
      String unmappedTenant = UUID.randomUUID().toString();
      w.at(OCT.plus(Duration.ofDays(2)));
      Map<String, String> payerOf = Map.of(mapped.tenantId(), mapped.subscriptionId(), unmappedTenant,
          w.registration.subscriptionId());
      List<CommerceWorld.Rec> records = records(new Random(14), payerOf.keySet(), OCT.plus(Duration.ofHours(1)), 6);

      TestClient.Response queued = w.upload("kafka-1", records);
      assertThat(queued.status()).as(queued.body()).isEqualTo(202);
      assertThat(queued.json().path("status").asText()).isEqualTo("Queued");
      assertThat(queued.json().path("batchId").asText()).isEqualTo("kafka-1");
      assertThat(queued.json().path("records").asInt()).isEqualTo(records.size());
      caughtUp(lag);

      TestClient operator = w.operator();
      Map<String, JsonNode> prices = AttributionAndInvoicesTest.prices(operator, "2026-10-15T00:00:00Z");
      Map<String, JsonNode> invoices = assertInvoices(operator, expected(records, payerOf), prices);
      assertThat(lag.partitions(Duration.ofSeconds(10))).allSatisfy(p -> assertThat(p.lag()).isZero());

      TestClient.Response again = w.upload("kafka-1", records);
      assertThat(again.status()).as(again.body()).isEqualTo(202);
      caughtUp(lag);
      for (Map.Entry<String, JsonNode> e : invoices.entrySet()) {
        assertThat(AttributionAndInvoicesTest.invoice(operator, e.getKey(), "2026-10")).as("the same upload again")
            .isEqualTo(e.getValue());
      }
      assertThat(new RejectedUploads(w.server.app().database().jdbi()).newest(10)).isEmpty();

      // Still refused at once, as without Kafka: what needs no stored record.
      TestClient.Response foreign = w.bridge().post(w.registration.path() + CommerceWorld.UPLOAD,
          CommerceWorld.body("foreign", UUID.randomUUID().toString(), records));
      assertThat(foreign.status()).as(foreign.body()).isEqualTo(400);
      assertThat(foreign.errorCode()).isEqualTo("CloudIdMismatch");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aConflictingReuploadIsRecordedAsRejectedAndLaterUploadsStillFlow(Engine engine) throws Exception {
    KafkaSettings kafka = kafka();
    try (CommerceWorld w = new CommerceWorld(engine, OCT, BillingModel.PayAsYouUse, o -> o.withKafka(kafka));
        ConsumerLag lag = CommerceQueue.lag(kafka)) {
      w.at(OCT.plus(Duration.ofDays(2)));
      String tenant = UUID.randomUUID().toString();
      Map<String, String> payerOf = Map.of(tenant, w.registration.subscriptionId());
      List<CommerceWorld.Rec> first = records(new Random(1), payerOf.keySet(), OCT.plus(Duration.ofHours(1)), 3);
      List<CommerceWorld.Rec> changed = new ArrayList<>(first);
      CommerceWorld.Rec r0 = first.get(0);
      changed.set(0, new CommerceWorld.Rec(r0.subscriptionId(), r0.tenantId(), r0.meterId(), r0.resource(),
          r0.usageHour(), r0.reportedHour(), r0.quantity().add(BigDecimal.ONE)));
      List<CommerceWorld.Rec> later = records(new Random(2), payerOf.keySet(), OCT.plus(Duration.ofHours(10)), 3);

      assertThat(w.upload("first", first).status()).isEqualTo(202);
      TestClient.Response conflicting = w.upload("changed", changed);
      assertThat(conflicting.status()).as("the store's refusal comes later").isEqualTo(202);
      assertThat(w.upload("later", later).status()).isEqualTo(202);
      caughtUp(lag);

      TestClient.Response queue = w.operator().get(QUEUE);
      assertThat(queue.status()).as(queue.body()).isEqualTo(200);
      assertThat(queue.json().path("queued").asBoolean()).isTrue();
      assertThat(queue.json().path("partitions")).hasSize(CommerceQueue.PARTITIONS)
          .allSatisfy(p -> assertThat(p.path("lag").asLong()).isZero());
      assertThat(queue.json().path("rejectedUploads")).singleElement().satisfies(r -> {
        assertThat(r.path("batchId").asText()).isEqualTo("changed");
        assertThat(r.path("code").asText()).isEqualTo("UsageRecordConflict");
        assertThat(r.path("uploadId").asText()).isEqualTo(conflicting.json().path("uploadId").asText());
        assertThat(r.path("registrationId").asText()).isEqualToIgnoringCase(w.registration.path());
        assertThat(r.path("records").asInt()).isEqualTo(changed.size());
      });
      TestClient.Response partner = w.partner().get(QUEUE);
      assertThat(partner.status()).as("the operator's alone").isEqualTo(403);
      List<CommerceWorld.Rec> stored = new ArrayList<>(first);
      stored.addAll(later);
      assertInvoices(w.operator(), expected(stored, payerOf),
          AttributionAndInvoicesTest.prices(w.operator(), "2026-10-15T00:00:00Z"));
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void withoutCommerceWorkersTheLagCountsTheQueuedUploadsUntilAWorkerStoresThem(Engine engine) throws Exception {
    KafkaSettings kafka = kafka();
    try (CommerceWorld w = new CommerceWorld(engine, OCT, BillingModel.PayAsYouUse, o -> o.withKafka(kafka)
        .withRoles(EnumSet.of(ProcessRole.INTAKE, ProcessRole.AGGREGATOR)));
        ConsumerLag lag = CommerceQueue.lag(kafka)) {
      w.at(OCT.plus(Duration.ofDays(2)));
      String tenant = UUID.randomUUID().toString();
      Map<String, String> payerOf = Map.of(tenant, w.registration.subscriptionId());
      List<CommerceWorld.Rec> all = new ArrayList<>();
      int uploads = 5;
      for (int i = 0; i < uploads; i++) {
        List<CommerceWorld.Rec> batch = records(new Random(i), payerOf.keySet(), OCT.plus(Duration.ofHours(1 + 3L * i)),
            3);
        assertThat(w.upload("queued-" + i, batch).status()).isEqualTo(202);
        all.addAll(batch);
      }
      List<ConsumerLag.Partition> waiting = lag.partitions(Duration.ofSeconds(10));
      assertThat(w.operator().get(QUEUE).json().path("partitions").findValues("lag").stream()
          .mapToLong(JsonNode::asLong).sum()).as("the operator's view").isEqualTo(uploads);
      assertThat(waiting).hasSize(CommerceQueue.PARTITIONS);
      assertThat(waiting.stream().mapToLong(ConsumerLag.Partition::lag).sum()).isEqualTo(uploads);
      assertThat(waiting.stream().filter(p -> p.lag() > 0)).as("one registration's uploads, one partition")
          .singleElement().satisfies(p -> assertThat(p.lag()).isEqualTo(uploads));
      assertThat(invoiceOrNull(w.operator(), w.registration.subscriptionId())).as("nothing stored yet").isNull();
      String metrics = w.server.client().anonymous().get("/metrics").body();
      assertThat(metrics).contains("stackledger_kafka_consumer_lag{group=\"" + kafka.topic("commerce") + "\"");

      w.server.app().billing().startWorker(kafka, "late-worker");
      caughtUp(lag);
      assertInvoices(w.operator(), expected(all, payerOf),
          AttributionAndInvoicesTest.prices(w.operator(), "2026-10-15T00:00:00Z"));
    }
  }

  @org.junit.jupiter.api.Test
  void theBridgeTakes202AsShippedAndTheQueuedHoursAreBilledExactlyOnce() throws Exception {
    KafkaSettings kafka = kafka();
    try (BridgeBillingTest.World w = BridgeBillingTest.World.start(o -> o.withKafka(kafka));
        ConsumerLag lag = CommerceQueue.lag(kafka)) {
      List<org.stackledger.usage.UsageEvent> sent = w.run(11);
      // The shipping pass in process: two days of hours, each read from the usage log's topic and
      // queued, can take longer than a test client waits for one answer on a busy machine.
      org.stackledger.bridge.BridgeStatus status = null;
      for (int i = 0; i < 10; i++) {
        status = w.server().app().bridge().ship();
        if (status.pendingHours() == 0) {
          break;
        }
      }
      assertThat(status.state()).as(status.toString()).isEqualTo("Ready");
      assertThat(status.pendingHours()).isZero();
      caughtUp(lag);

      JsonNode invoice = w.invoice();
      Map<String, BigDecimal> expected = BridgeBillingTest.sums(sent);
      assertThat(AttributionAndInvoicesTest.quantities(invoice)).isEqualTo(expected);
      assertThat(invoice.path("properties").path("total").decimalValue()).isEqualByComparingTo(
          AttributionAndInvoicesTest.total(expected, AttributionAndInvoicesTest.prices(w.operator(),
              "2026-10-02T00:00:00Z")));
    }
  }

  @org.junit.jupiter.api.Test
  void withoutKafkaAnUploadIsStoredBeforeTheAnswerAndNothingIsQueued() throws Exception {
    try (CommerceWorld w = new CommerceWorld(Engine.H2, OCT, BillingModel.PayAsYouUse)) {
      w.at(OCT.plus(Duration.ofDays(2)));
      String tenant = UUID.randomUUID().toString();
      List<CommerceWorld.Rec> records = records(new Random(5), List.of(tenant), OCT.plus(Duration.ofHours(1)), 1);
      TestClient.Response stored = w.upload("direct", records);
      assertThat(stored.status()).as(stored.body()).isEqualTo(200);
      assertThat(stored.json().path("accepted").asInt()).isEqualTo(records.size());
      TestClient.Response queue = w.operator().get(QUEUE);
      assertThat(queue.status()).as(queue.body()).isEqualTo(200);
      assertThat(queue.json().path("queued").asBoolean()).isFalse();
      assertThat(queue.json().path("partitions")).isEmpty();
      assertThat(queue.json().path("rejectedUploads")).isEmpty();
    }
  }

  /** Records of whole usage hours, some resources of two meters for each tenant, reported the next hour. */
  static List<CommerceWorld.Rec> records(Random random, Iterable<String> tenants, Instant firstHour, int hours) {
    List<CommerceWorld.Rec> out = new ArrayList<>();
    for (String tenant : tenants) {
      String localSubscription = UUID.nameUUIDFromBytes(tenant.getBytes(java.nio.charset.StandardCharsets.UTF_8))
          .toString();
      for (int h = 0; h < hours; h++) {
        Instant hour = firstHour.plus(Duration.ofHours(h));
        for (int vm = 0; vm < 4; vm++) {
          for (String meter : List.of(BASE_VM, BLOCK_BLOB)) {
            out.add(new CommerceWorld.Rec(localSubscription, tenant, meter, "Microsoft.Compute/virtualMachines/vm" + vm,
                hour, hour.plus(Duration.ofHours(1)), BigDecimal.valueOf(1 + random.nextInt(3_000_000), 4)));
          }
        }
      }
    }
    return out;
  }

  /** Quantities per payer, then per local subscription and meter, from the raw records. */
  static Map<String, Map<String, BigDecimal>> expected(List<CommerceWorld.Rec> records, Map<String, String> payerOf) {
    Map<String, Map<String, BigDecimal>> out = new TreeMap<>();
    for (CommerceWorld.Rec r : records) {
      out.computeIfAbsent(payerOf.get(r.tenantId()), k -> new TreeMap<>()).merge(r.subscriptionId() + "|" + r.meterId(),
          r.quantity(), BigDecimal::add);
    }
    out.values().forEach(m -> m.replaceAll((k, v) -> v.stripTrailingZeros()));
    return out;
  }

  /** Every payer's October invoice holds exactly these quantities and their total to the cent; answers them. */
  static Map<String, JsonNode> assertInvoices(TestClient operator, Map<String, Map<String, BigDecimal>> expected,
      Map<String, JsonNode> prices) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (Map.Entry<String, Map<String, BigDecimal>> e : expected.entrySet()) {
      JsonNode invoice = AttributionAndInvoicesTest.invoice(operator, e.getKey(), "2026-10");
      assertThat(AttributionAndInvoicesTest.quantities(invoice)).as("lines of %s", e.getKey()).isEqualTo(e.getValue());
      assertThat(invoice.path("properties").path("total").decimalValue()).as("total of %s", e.getKey())
          .isEqualByComparingTo(AttributionAndInvoicesTest.total(e.getValue(), prices));
      out.put(e.getKey(), invoice);
    }
    return out;
  }

  static JsonNode invoiceOrNull(TestClient client, String subscription) {
    TestClient.Response r = client.get("/subscriptions/" + subscription
        + "/providers/Stackledger.Billing/invoices/2026-10?api-version=2026-11-01");
    return r.status() == 404 ? null : r.json();
  }

  /** Waits until the commerce group has committed every queued upload: each stored (or rejected). */
  static void caughtUp(ConsumerLag lag) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> lag.partitions(Duration.ofSeconds(5)).stream().allMatch(p -> p.lag() == 0));
  }
}
