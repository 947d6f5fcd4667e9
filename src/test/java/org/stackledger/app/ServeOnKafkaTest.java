package org.stackledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.kafka.KafkaSettings;
import org.stackledger.simulate.SettableClock;
import org.stackledger.simulate.Simulation;
import org.stackledger.testing.Engine;
import org.stackledger.testing.KafkaBroker;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;
import org.stackledger.testing.UsageTotals;
import org.stackledger.usage.UsageEvent;
import org.stackledger.usersubscriptions.Stack;

/**
 * A server whose usage log is on Kafka ({@code serve --kafka}), against a real KRaft broker: usage
 * posted to the HTTPS intake lands in the topic (the rows name its positions), the provider usage API
 * answers exactly the totals of the events sent, a batch sent again is all duplicates, and
 * {@code /healthz} reports the cluster.
 */
@Tag("slow")
class ServeOnKafkaTest {
  private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");
  private static final String INTAKE = "/providers/Stackledger.Usage/usageEvents?api-version=2026-11-01";

  @ParameterizedTest
  @EnumSource(Engine.class)
  void usageGoesThroughTheTopicAndTheApisAnswerItsExactTotals(Engine engine) throws Exception {
    SettableClock clock = new SettableClock(START);
    KafkaSettings kafka = new KafkaSettings(KafkaBroker.shared().bootstrap(), "serve-" + UUID.randomUUID() + ".",
        Map.of());
    try (TestServer server = TestServer.start(engine, o -> o.withClock(clock).withKafka(kafka))) {
      Stack stack = Stack.of(server);
      String offer = stack.publicOffer("kafka", "Public");
      List<String> subscriptions = List.of(stack.subscribe(stack.guest(), offer, null),
          stack.subscribe(stack.guest(), offer, null));
      List<Simulation.Tenant> tenants = subscriptions.stream().map(s -> new Simulation.Tenant(s, "local")).toList();
      Iterator<List<UsageEvent>> hours = Simulation.of(3, tenants, START, START.plus(Duration.ofHours(3)),
          Simulation.Sizing.standard()).hours();
      List<UsageEvent> sent = new ArrayList<>();
      List<UsageEvent> lastBatch = List.of();
      Instant hour = START;
      TestClient intake = null;
      while (hours.hasNext()) {
        List<UsageEvent> events = hours.next();
        hour = hour.plus(Duration.ofHours(1));
        clock.set(hour.plus(Duration.ofMinutes(7)));
        // Signed in again each hour: the clock moves past a token's lifetime.
        intake = server.client(EndpointRole.STACK_ADMIN_ARM);
        for (int from = 0; from < events.size(); from += 1000) {
          lastBatch = events.subList(from, Math.min(events.size(), from + 1000));
          TestClient.Response r = intake.post(INTAKE, new String(UsageEvent.toJson(lastBatch), StandardCharsets.UTF_8));
          assertThat(r.status()).as(r.body()).isEqualTo(200);
        }
        sent.addAll(events);
      }
      TestClient.Response again = intake.post(INTAKE, new String(UsageEvent.toJson(lastBatch), StandardCharsets.UTF_8));
      assertThat(again.status()).as(again.body()).isEqualTo(200);
      assertThat(again.json().path("accepted").asInt()).isZero();
      assertThat(again.json().path("duplicates").asInt()).isEqualTo(lastBatch.size());

      long inKafka = server.app().database().jdbi().withHandle(h -> h.createQuery(
          "SELECT COUNT(*) FROM usage_batches WHERE (events_kafka IS NOT NULL OR log_parts IS NOT NULL) "
              + "AND events IS NULL AND events_ref IS NULL")
          .mapTo(Long.class).one());
      long batches = server.app().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_batches")
          .mapTo(Long.class).one());
      assertThat(inKafka).as("every batch's events are in the topic").isEqualTo(batches).isPositive();

      clock.set(hour.plus(Duration.ofHours(3)));
      server.app().usage().aggregator().foldClosed();
      intake = server.client(EndpointRole.STACK_ADMIN_ARM);
      assertThat(UsageTotals.reported(intake, stack.operator(), START, hour.plus(Duration.ofHours(1)), "Hourly"))
          .isEqualTo(UsageTotals.of(sent));

      TestClient.Response health = server.client(EndpointRole.STACK_ADMIN_ARM).get("/healthz");
      assertThat(health.status()).as(health.body()).isEqualTo(200);
      assertThat(health.json().path("kafka").asText()).isEqualTo("Reachable");
    }
  }

  @org.junit.jupiter.api.Test
  void aProcessWithoutTheIntakeRoleSendsBatchesToAnIntakeNodeAndFoldsNothingInTheBackground() throws Exception {
    SettableClock clock = new SettableClock(START.plus(Duration.ofMinutes(10)));
    KafkaSettings kafka = new KafkaSettings(KafkaBroker.shared().bootstrap(), "roles-" + UUID.randomUUID() + ".",
        Map.of());
    try (TestServer server = TestServer.start(Engine.H2, o -> o.withClock(clock).withKafka(kafka)
        .withRoles(java.util.EnumSet.of(ProcessRole.COMMERCE)))) {
      Stack stack = Stack.of(server);
      String subscription = stack.subscribe(stack.guest(), stack.publicOffer("roles", "Public"), null);
      List<UsageEvent> batch = Simulation.of(5, List.of(new Simulation.Tenant(subscription, "local")), START,
          START.plus(Duration.ofHours(1)), Simulation.Sizing.standard()).hours().next();
      TestClient.Response refused = server.client(EndpointRole.STACK_ADMIN_ARM).post(INTAKE,
          new String(UsageEvent.toJson(batch), StandardCharsets.UTF_8));
      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      assertThat(refused.errorCode()).isEqualTo("NotAnIntakeNode");
      assertThat(refused.header("Retry-After")).as("this node will not take it later either").isNull();
      long rows = server.app().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_batches")
          .mapTo(Long.class).one());
      assertThat(rows).as("nothing of the batch recorded").isZero();
      TestClient.Response status = server.client(EndpointRole.STACK_ADMIN_ARM).get(
          "/providers/Stackledger.Bridge/status?api-version=2026-11-01");
      assertThat(status.status()).as(status.body()).isEqualTo(200);
      assertThat(status.json().path("aggregationLag")).as("the group's lag, asked of the cluster").hasSize(12);
    }
  }
}
