package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.kafka.KafkaSettings;
import org.stackledger.kafka.TopicStore;
import org.stackledger.problem.Problem;
import org.stackledger.store.Database;
import org.stackledger.testing.Engine;
import org.stackledger.testing.KafkaBroker;
import org.stackledger.testing.SteppingClock;
import org.stackledger.testing.TestDatabases;

/**
 * Two intake nodes of one deployment — each its own intake, idempotency window and Kafka producer —
 * over one database and one topic of a real cluster: the same batch posted to both at the same moment
 * is counted once (one node accepts each event, the other answers it as a duplicate), other content
 * under an eventId the other node took is still refused with 409, and the totals folded afterwards
 * equal those of the distinct events sent.
 */
@Tag("slow")
class IntakeNodesTest {
  @TempDir
  Path tempDir;

  private final SteppingClock clock = new SteppingClock();
  private final String subscription = UUID.randomUUID().toString();

  private Usage node(Database db, TopicStore events) {
    return node(db, events, clock);
  }

  private Usage node(Database db, TopicStore events, java.time.Clock clock) {
    return Usage.open(db.jdbi(), null, id -> id.equalsIgnoreCase(UsageStoreTest.BLOB) ? UsageStoreTest.BLOB : null,
        ids -> ids.contains(subscription) ? Map.of(subscription, "Enabled") : Map.of(), clock, 42L, false,
        Usage.kafkaLog(db.jdbi(), events), Intake::watermark);
  }

  private UsageEvent event(String id, BigDecimal quantity, int resource) {
    return event(id, quantity, resource, clock);
  }

  private UsageEvent event(String id, BigDecimal quantity, int resource, java.time.Clock clock) {
    Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
    return new UsageEvent(id, subscription, UsageStoreTest.BLOB, quantity, hour.minus(1, ChronoUnit.HOURS), hour,
        "/subscriptions/" + subscription + "/blob" + resource, "local", null, null);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theSameEventPostedToTwoNodesAtOnceIsCountedOnceAndOtherContentIsRefused(Engine engine) throws Exception {
    KafkaSettings kafka = new KafkaSettings(KafkaBroker.shared().bootstrap(), "nodes-" + UUID.randomUUID() + ".",
        Map.of());
    String url = TestDatabases.fresh(engine);
    Random random = new Random(1414);
    Map<String, UsageEvent> distinct = new TreeMap<>();
    int rounds = 40;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Database db = engine == Engine.H2 ? Database.embedded(tempDir.resolve("data")) : Database.open(url, null, null);
        TopicStore topicA = TopicStore.open(kafka, "usage-log", 3);
        TopicStore topicB = TopicStore.open(kafka, "usage-log", 3);
        Usage a = node(db, topicA);
        Usage b = node(db, topicB)) {
      AtomicInteger accepted = new AtomicInteger();
      AtomicInteger duplicates = new AtomicInteger();
      for (int round = 0; round < rounds; round++) {
        // A batch of new events and some of the rounds before, posted to both nodes at the same moment.
        List<UsageEvent> batch = new ArrayList<>();
        for (int i = 0; i < 20 + random.nextInt(60); i++) {
          UsageEvent e = event(UUID.randomUUID().toString(), BigDecimal.valueOf(1 + random.nextInt(9000), 3),
              random.nextInt(5));
          batch.add(e);
          distinct.put(e.eventId(), e);
        }
        List<UsageEvent> known = new ArrayList<>(distinct.values());
        for (int i = 0; i < random.nextInt(10) && !known.isEmpty(); i++) {
          batch.add(known.get(random.nextInt(known.size())));
        }
        // One event once a batch (a batch repeating an eventId is another test's matter).
        Map<String, UsageEvent> unique = new java.util.LinkedHashMap<>();
        batch.forEach(e -> unique.put(e.eventId(), e));
        List<UsageEvent> posted = List.copyOf(unique.values());
        CyclicBarrier together = new CyclicBarrier(2);
        List<CompletableFuture<UsageIntake.Receipt>> both = new ArrayList<>();
        for (Usage node : List.of(a, b)) {
          both.add(CompletableFuture.supplyAsync(() -> {
            try {
              together.await();
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            return node.intake().accept(posted);
          }, pool));
        }
        int acceptedNow = 0;
        for (CompletableFuture<UsageIntake.Receipt> r : both) {
          acceptedNow += r.get().accepted();
          duplicates.addAndGet(r.get().duplicates());
        }
        accepted.addAndGet(acceptedNow);
        if (round % 8 == 7) {
          clock.advance(Duration.ofHours(1));
        }
      }
      assertThat(accepted.get()).as("each distinct event accepted by exactly one of the nodes")
          .isEqualTo(distinct.size());
      assertThat(a.distinctEvents()).isEqualTo(distinct.size());

      // Other content under an eventId node A took: node B refuses it, whichever took it.
      UsageEvent taken = distinct.values().iterator().next();
      UsageEvent changed = new UsageEvent(taken.eventId(), taken.subscriptionId(), taken.meterId(),
          taken.quantity().add(BigDecimal.ONE), taken.usageStartTime(), taken.usageEndTime(), taken.resourceUri(),
          taken.location(), taken.tags(), taken.additionalInfo());
      assertThatThrownBy(() -> b.intake().accept(List.of(changed))).isInstanceOf(Problem.class)
          .hasMessageContaining("already reported with other content");
      assertThatThrownBy(() -> a.intake().accept(List.of(changed))).isInstanceOf(Problem.class);

      clock.advance(Duration.ofHours(2));
      a.aggregator().foldClosed();
      Map<Instant, BigDecimal> expected = new TreeMap<>();
      distinct.values().forEach(e -> expected.merge(e.usageEndTime(), e.quantity(), BigDecimal::add));
      expected.replaceAll((k, v) -> v.stripTrailingZeros());
      assertThat(UsageLogSeamTest.hourly(db, subscription, clock.instant())).isEqualTo(expected);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Two machines' clocks are never quite equal. Node A's clock has just passed the hour and it calls
   * the hour before closed (its aggregator or bridge asks the watermark); node B's clock is 20 ms
   * behind, still in that hour. B's next batch must not land in the hour A closed — it would never be
   * folded or shipped — so it is stamped at the start of the open hour, and the closed hour stays as it was.
   */
  @ParameterizedTest
  @EnumSource(Engine.class)
  void aNodeWhoseClockIsBehindNeverStampsABatchIntoAnHourAnotherNodeClosed(Engine engine) throws Exception {
    KafkaSettings kafka = new KafkaSettings(KafkaBroker.shared().bootstrap(), "skew-" + UUID.randomUUID() + ".",
        Map.of());
    Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS).plus(1, ChronoUnit.HOURS);
    java.time.Clock clockA = java.time.Clock.fixed(hour.plusMillis(10), java.time.ZoneOffset.UTC);
    java.time.Clock clockB = java.time.Clock.fixed(hour.minusMillis(10), java.time.ZoneOffset.UTC);
    String url = TestDatabases.fresh(engine);
    try (Database db = engine == Engine.H2 ? Database.embedded(tempDir.resolve("data")) : Database.open(url, null, null);
        TopicStore topicA = TopicStore.open(kafka, "usage-log", 3);
        TopicStore topicB = TopicStore.open(kafka, "usage-log", 3);
        Usage a = node(db, topicA, clockA);
        Usage b = node(db, topicB, clockB)) {
      // Before A closes anything, B stamps by its own clock.
      UsageIntake.Receipt early = b.intake().accept(List.of(event(UUID.randomUUID().toString(), BigDecimal.ONE, 1,
          clockB)));
      assertThat(early.reportedTime()).isEqualTo(hour.minusMillis(10));
      List<Instant> closedBefore = a.reportedHours(hour.minus(1, ChronoUnit.HOURS), hour);

      assertThat(a.closedBefore()).isEqualTo(hour);
      UsageIntake.Receipt late = b.intake().accept(List.of(event(UUID.randomUUID().toString(), BigDecimal.valueOf(2), 2,
          clockB)));
      assertThat(late.accepted()).isEqualTo(1);
      assertThat(late.reportedTime()).as("stamped after the hour A closed").isEqualTo(hour);
      assertThat(a.reportedHours(hour.minus(1, ChronoUnit.HOURS), hour)).isEqualTo(closedBefore);
      List<BigDecimal> inClosedHour = new ArrayList<>();
      a.readHour(hour.minus(1, ChronoUnit.HOURS), e -> inClosedHour.add(e.quantity()));
      assertThat(inClosedHour).containsExactly(BigDecimal.ONE);
      List<BigDecimal> inOpenHour = new ArrayList<>();
      a.readHour(hour, e -> inOpenHour.add(e.quantity()));
      assertThat(inOpenHour).containsExactly(BigDecimal.valueOf(2));
    }
  }
}
