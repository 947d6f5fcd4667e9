package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.ProcessRole;
import org.stackledger.kafka.ConsumerLag;
import org.stackledger.kafka.KafkaSettings;
import org.stackledger.registration.BillingModel;
import org.stackledger.registration.Seed;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * Two commerce workers on one database and one commerce topic, the uploads of four deployments (each
 * with mapped customers and a tenant billed to the registration) queued through the HTTPS route: the
 * first worker is stopped as a killed process stops (nothing committed since its last poll, the group
 * not told) while uploads flow, one batch is posted twice, and afterwards every invoice holds exactly
 * the quantities of the raw records and their total to the cent, each record once.
 */
@Tag("slow")
class CommerceWorkersTest {
  private static final Instant OCT = CommerceOnKafkaTest.OCT;

  /** A registered deployment with its bridge, and who pays for each of its tenants. */
  private record Deployment(Seed.Registration registration, CommerceWorld.Bridge identity, TestClient bridge,
      Map<String, String> payerOf) {}

  @ParameterizedTest
  @EnumSource(Engine.class)
  void invoicesStayExactWhenAWorkerIsKilledMidwayAndAnotherTakesItsPartitions(Engine engine) throws Exception {
    KafkaSettings kafka = CommerceOnKafkaTest.kafka();
    try (CommerceWorld w = new CommerceWorld(engine, OCT, BillingModel.PayAsYouUse, o -> o.withKafka(kafka)
        .withRoles(EnumSet.of(ProcessRole.INTAKE, ProcessRole.AGGREGATOR)));
        ConsumerLag lag = CommerceQueue.lag(kafka)) {
      List<Deployment> deployments = new ArrayList<>();
      Map<String, String> payerOf = new HashMap<>();
      for (int d = 0; d < 4; d++) {
        Seed.Registration r = d == 0 ? w.registration : w.anotherRegistration(BillingModel.PayAsYouUse);
        Map<String, String> payers = new LinkedHashMap<>();
        for (int c = 0; c < 2; c++) {
          TestServer.TestTenant customer = w.customer(r);
          w.map(r, customer.subscriptionId(), customer.tenantId());
          payers.put(customer.tenantId(), customer.subscriptionId());
        }
        payers.put(UUID.randomUUID().toString(), r.subscriptionId());
        payerOf.putAll(payers);
        deployments.add(new Deployment(r, w.bridgeOf(r), null, payers));
      }
      // Usage hours after the mappings began; uploaded a day later, signed in then.
      w.at(OCT.plus(Duration.ofDays(1)));
      List<Deployment> signedIn = new ArrayList<>();
      for (Deployment d : deployments) {
        signedIn.add(new Deployment(d.registration(), d.identity(), w.bridge(d.registration(), d.identity()),
            d.payerOf()));
      }
      Random random = new Random(20261204L);
      List<CommerceWorld.Rec> all = new ArrayList<>();
      List<Runnable> uploads = new ArrayList<>();
      int hours = 12;
      for (int h = 0; h < hours; h++) {
        for (Deployment d : signedIn) {
          List<CommerceWorld.Rec> batch = CommerceOnKafkaTest.records(random, d.payerOf().keySet(),
              OCT.plus(Duration.ofHours(1 + h)), 1);
          all.addAll(batch);
          String body = CommerceWorld.body(d.registration().cloudId() + ":" + h, d.registration().cloudId(), batch);
          uploads.add(() -> {
            TestClient.Response r = d.bridge().post(d.registration().path() + CommerceWorld.UPLOAD, body);
            assertThat(r.status()).as(r.body()).isEqualTo(202);
          });
        }
      }
      Billing billing = w.server.app().billing();
      List<CommerceWorker> workers = List.of(billing.startWorker(kafka, "worker-1"), billing.startWorker(kafka, "worker-2"));
      await().atMost(Duration.ofSeconds(60)).until(() -> workers.stream().noneMatch(x -> x.partitions().isEmpty()));
      int third = uploads.size() / 3;
      uploads.subList(0, third).forEach(Runnable::run);
      CommerceOnKafkaTest.caughtUp(lag);
      // The worker to kill: one holding a partition the uploads go to, so that another must take it over.
      Set<Integer> used = new TreeSet<>();
      lag.partitions(Duration.ofSeconds(10)).stream().filter(p -> p.end() > 0).forEach(p -> used.add(p.partition()));
      CommerceWorker killed = workers.stream().filter(x -> x.partitions().stream().anyMatch(used::contains))
          .findFirst().orElseThrow();
      uploads.subList(third, 2 * third).forEach(Runnable::run);
      // Mid-way: some of the second third stored, some not.
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
          .until(() -> totalLag(lag) < third);
      killed.halt();
      uploads.subList(2 * third, uploads.size()).forEach(Runnable::run);
      uploads.get(uploads.size() - 1).run();
      CommerceOnKafkaTest.caughtUp(lag);
      assertThat(workers.stream().filter(x -> x != killed).findFirst().orElseThrow().partitions())
          .as("the survivor holds every partition").hasSize(CommerceQueue.PARTITIONS);

      TestClient operator = w.operator();
      Map<String, Map<String, BigDecimal>> expected = CommerceOnKafkaTest.expected(all, payerOf);
      assertThat(expected).hasSize(3 * deployments.size());
      Map<String, JsonNode> invoices = CommerceOnKafkaTest.assertInvoices(operator, expected,
          AttributionAndInvoicesTest.prices(operator, "2026-10-15T00:00:00Z"));
      long stored = 0;
      for (JsonNode invoice : invoices.values()) {
        for (JsonNode line : invoice.path("properties").path("lines")) {
          stored += line.path("records").asLong();
        }
      }
      assertThat(stored).as("each record stored once").isEqualTo(all.size());
      assertThat(new RejectedUploads(w.server.app().database().jdbi()).newest(10)).isEmpty();
    }
  }

  private static long totalLag(ConsumerLag lag) {
    return lag.partitions(Duration.ofSeconds(5)).stream().mapToLong(ConsumerLag.Partition::lag).sum();
  }
}
