package org.stackledger.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.kafka.KafkaSettings;
import org.stackledger.simulate.SettableClock;
import org.stackledger.testing.Engine;
import org.stackledger.testing.KafkaProcess;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;
import org.stackledger.testing.UsageTotals;
import org.stackledger.usage.UsageEvent;
import org.stackledger.usersubscriptions.Stack;

/**
 * A Kafka outage under a deployment whose usage log is on Kafka: the broker — its own process — is
 * SIGKILLed; the intake answers 503 {@code UsageLogUnavailable} with {@code Retry-After} and
 * acknowledges nothing, {@code /healthz} says the cluster is unreachable; the broker is started again
 * on the same folder and the server recovers by itself: the refused batch, sent again, is accepted
 * whole, and the usage API answers exactly the events acknowledged.
 */
@Tag("slow")
class KafkaOutageTest {
  private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
  private static final String INTAKE = "/providers/Stackledger.Usage/usageEvents?api-version=2026-11-01";

  @Test
  void anOutageIs503WithRetryAfterAndNothingAcknowledgedThenTheServerRecoversByItself() throws Exception {
    SettableClock clock = new SettableClock(START.plus(Duration.ofMinutes(30)));
    try (KafkaProcess broker = KafkaProcess.start()) {
      // A short append timeout, so the outage answers within seconds (30 s by default).
      KafkaSettings kafka = new KafkaSettings(broker.bootstrap(), "outage-" + UUID.randomUUID() + ".",
          Map.of("delivery.timeout.ms", "4000"));
      try (TestServer server = TestServer.start(Engine.H2, o -> o.withClock(clock).withKafka(kafka))) {
        Stack stack = Stack.of(server);
        String subscription = stack.subscribe(stack.guest(), stack.publicOffer("outage", "Public"), null);
        TestClient intake = server.client(EndpointRole.STACK_ADMIN_ARM);
        List<UsageEvent> acknowledged = new ArrayList<>();
        List<UsageEvent> before = batch(subscription, 200);
        assertThat(post(intake, before).status()).isEqualTo(200);
        acknowledged.addAll(before);

        broker.kill();
        List<UsageEvent> during = batch(subscription, 150);
        TestClient.Response refused = post(intake, during);
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.errorCode()).isEqualTo("UsageLogUnavailable");
        assertThat(refused.header("Retry-After")).isEqualTo("30");
        TestClient.Response sick = intake.get("/healthz");
        assertThat(sick.status()).as(sick.body()).isEqualTo(503);
        assertThat(sick.json().path("kafka").asText()).isEqualTo("Unreachable");

        broker.startAgain();
        TestClient.Response again = null;
        // The producer reconnects on its own; the first append after the restart may still find the
        // partition's leader being elected.
        for (int i = 0; i < 20 && (again == null || again.status() != 200); i++) {
          again = post(intake, during);
        }
        assertThat(again.status()).as(again.body()).isEqualTo(200);
        assertThat(again.json().path("accepted").asInt()).as("nothing of the refused batch had been recorded")
            .isEqualTo(during.size());
        acknowledged.addAll(during);

        clock.set(START.plus(Duration.ofHours(3)));
        server.app().usage().aggregator().foldClosed();
        TestClient admin = server.client(EndpointRole.STACK_ADMIN_ARM);
        assertThat(UsageTotals.reported(admin, stack.operator(), START, START.plus(Duration.ofHours(2)), "Hourly"))
            .isEqualTo(UsageTotals.of(acknowledged));
        // The health answer is asked again at most every 5 s.
        TestClient.Response healthy = null;
        for (int i = 0; i < 40 && (healthy == null || healthy.status() != 200); i++) {
          Thread.sleep(250);
          healthy = admin.get("/healthz");
        }
        assertThat(healthy.status()).as(healthy.body()).isEqualTo(200);
        assertThat(healthy.json().path("kafka").asText()).isEqualTo("Reachable");
      }
    }
  }

  private List<UsageEvent> batch(String subscription, int n) {
    List<UsageEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new UsageEvent(UUID.randomUUID().toString(), subscription, "09F8879E-87E9-4305-A572-4B7BE209F857",
          BigDecimal.valueOf(1 + i % 7, 1), START, START.plus(Duration.ofHours(1)),
          "/subscriptions/" + subscription + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm" + i % 5,
          "local", null, null));
    }
    return out;
  }

  private static TestClient.Response post(TestClient intake, List<UsageEvent> events) {
    return intake.post(INTAKE, new String(UsageEvent.toJson(events), StandardCharsets.UTF_8));
  }
}
