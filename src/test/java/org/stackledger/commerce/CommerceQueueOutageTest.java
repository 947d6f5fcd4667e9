package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.kafka.ConsumerLag;
import org.stackledger.kafka.KafkaSettings;
import org.stackledger.registration.BillingModel;
import org.stackledger.testing.Engine;
import org.stackledger.testing.KafkaProcess;
import org.stackledger.testing.TestClient;

/**
 * The commerce topic's cluster away under a cloud on Kafka: the broker — its own process — is
 * SIGKILLed, and an upload answers 503 {@code CommerceQueueUnavailable} with {@code Retry-After};
 * nothing of it is queued or stored: once the broker is back, a later upload of the same registration
 * (the same partition, in order behind anything queued before it) is stored, and the invoice holds it
 * alone.
 */
@Tag("slow")
class CommerceQueueOutageTest {
  @Test
  void anUploadTheClusterDoesNotTakeIs503WithRetryAfterAndNothingIsStored() throws Exception {
    try (KafkaProcess broker = KafkaProcess.start()) {
      // A short append timeout, so the outage answers within seconds (30 s by default).
      KafkaSettings kafka = new KafkaSettings(broker.bootstrap(), "commerce-outage-" + UUID.randomUUID() + ".",
          Map.of("delivery.timeout.ms", "4000"));
      try (CommerceWorld w = new CommerceWorld(Engine.H2, CommerceOnKafkaTest.OCT, BillingModel.PayAsYouUse,
          o -> o.withKafka(kafka)); ConsumerLag lag = CommerceQueue.lag(kafka)) {
        w.at(CommerceOnKafkaTest.OCT.plus(Duration.ofDays(2)));
        String tenant = UUID.randomUUID().toString();
        Map<String, String> payerOf = Map.of(tenant, w.registration.subscriptionId());
        List<CommerceWorld.Rec> refused = CommerceOnKafkaTest.records(new Random(3), payerOf.keySet(),
            CommerceOnKafkaTest.OCT.plus(Duration.ofHours(1)), 2);
        List<CommerceWorld.Rec> later = CommerceOnKafkaTest.records(new Random(4), payerOf.keySet(),
            CommerceOnKafkaTest.OCT.plus(Duration.ofHours(5)), 2);
        TestClient bridge = w.bridge();

        broker.kill();
        TestClient.Response r = bridge.post(w.registration.path() + CommerceWorld.UPLOAD,
            CommerceWorld.body("refused", w.cloudId(), refused));
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.errorCode()).isEqualTo("CommerceQueueUnavailable");
        assertThat(r.header("Retry-After")).isEqualTo("30");

        broker.startAgain();
        TestClient.Response accepted = null;
        // The producer reconnects on its own; the first append after the restart may still find the
        // partition's leader being elected.
        for (int i = 0; i < 20 && (accepted == null || accepted.status() != 202); i++) {
          accepted = bridge.post(w.registration.path() + CommerceWorld.UPLOAD,
              CommerceWorld.body("later", w.cloudId(), later));
        }
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        CommerceOnKafkaTest.caughtUp(lag);
        CommerceOnKafkaTest.assertInvoices(w.operator(), CommerceOnKafkaTest.expected(later, payerOf),
            AttributionAndInvoicesTest.prices(w.operator(), "2026-10-15T00:00:00Z"));
      }
    }
  }
}
