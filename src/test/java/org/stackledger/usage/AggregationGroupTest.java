package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.kafka.KafkaSettings;
import org.stackledger.kafka.TopicStore;
import org.stackledger.store.Database;
import org.stackledger.testing.Engine;
import org.stackledger.testing.KafkaBroker;
import org.stackledger.testing.SteppingClock;
import org.stackledger.testing.TestDatabases;

/**
 * The aggregation of a usage log on Kafka as a consumer group: two nodes of one deployment, each a
 * member, split the topic's partitions between them; batches of many subscriptions posted to either are
 * split by partition; every closed hour of every partition is folded once, by its member, without a query
 * asking; the folded totals equal those of the distinct events sent; a member that leaves has its
 * partitions folded by the other; and the group's committed offsets reach the last value folded.
 */
@Tag("slow")
class AggregationGroupTest {
  private static final int PARTITIONS = 6;
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir
  Path tempDir;

  private final SteppingClock clock = new SteppingClock();
  private final List<String> subscriptions = new ArrayList<>();

  private Usage node(Database db, TopicStore events) {
    return Usage.open(db.jdbi(), null, id -> id.equalsIgnoreCase(UsageStoreTest.BLOB) ? UsageStoreTest.BLOB : null,
        ids -> {
          Map<String, String> states = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
          ids.stream().filter(subscriptions::contains).forEach(id -> states.put(id, "Enabled"));
          return states;
        }, clock, 42L, false, Usage.kafkaLog(db.jdbi(), events), Intake::watermark);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void eachPartitionIsFoldedOnceByItsMemberAndALeavingMembersPartitionsMoveToTheOther(Engine engine)
      throws Exception {
    KafkaSettings kafka = new KafkaSettings(KafkaBroker.shared().bootstrap(), "group-" + UUID.randomUUID() + ".",
        Map.of());
    for (int i = 0; i < 16; i++) {
      subscriptions.add(UUID.randomUUID().toString());
    }
    Random random = new Random(2718);
    Map<String, UsageEvent> distinct = new TreeMap<>();
    // Each distinct event's reported hour, by the answer of the node that accepted it.
    Map<String, Instant> reportedIn = new TreeMap<>();
    String url = TestDatabases.fresh(engine);
    try (Database db = engine == Engine.H2 ? Database.embedded(tempDir.resolve("data")) : Database.open(url, null, null);
        TopicStore topicA = TopicStore.open(kafka, "usage-log", PARTITIONS);
        TopicStore topicB = TopicStore.open(kafka, "usage-log", PARTITIONS);
        Usage a = node(db, topicA);
        Usage b = node(db, topicB);
        Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()))) {
      AggregationGroup memberA = AggregationGroup.join(a, kafka, "usage-log", clock);
      AggregationGroup memberB = AggregationGroup.join(b, kafka, "usage-log", clock);
      try {
        waitFor("the group splits the partitions between both members", () -> {
          Set<Integer> both = new HashSet<>(memberA.assigned());
          both.addAll(memberB.assigned());
          return !memberA.assigned().isEmpty() && !memberB.assigned().isEmpty() && both.size() == PARTITIONS
              && memberA.assigned().size() + memberB.assigned().size() == PARTITIONS;
        });
        for (int hour = 0; hour < 3; hour++) {
          post(List.of(a, b), random, distinct, reportedIn, 12);
          clock.advance(Duration.ofHours(1));
        }
        Instant through = clock.instant().truncatedTo(ChronoUnit.HOURS);
        waitFor("every (hour, partition) of the events folded", () -> folded(db).containsAll(pairs(reportedIn, distinct,
            through)));
        assertTotals(db, distinct);
        assertThat(folded(db)).as("nothing but the hours that held usage").isEqualTo(pairs(reportedIn, distinct, through));

        // A leaves the group: B is given its partitions and folds the next hours of all of them.
        memberA.close();
        waitFor("B holds every partition", () -> memberB.assigned().size() == PARTITIONS);
        post(List.of(a, b), random, distinct, reportedIn, 10);
        clock.advance(Duration.ofHours(1));
        Instant later = clock.instant().truncatedTo(ChronoUnit.HOURS);
        waitFor("the last hour folded by B", () -> folded(db).containsAll(pairs(reportedIn, distinct, later)));
        assertTotals(db, distinct);

        // The group's committed offsets: after the last value each partition's folded hours name.
        Map<TopicPartition, OffsetAndMetadata> committed = new TreeMap<>(java.util.Comparator.comparing(
            TopicPartition::partition));
        waitFor("the offsets committed", () -> {
          committed.clear();
          try {
            committed.putAll(admin.listConsumerGroupOffsets(kafka.topicPrefix() + AggregationGroup.GROUP)
                .partitionsToOffsetAndMetadata().get());
          } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
          }
          for (int p = 0; p < PARTITIONS; p++) {
            long named = a.log().offsetAfter(p, Instant.EPOCH, later);
            OffsetAndMetadata at = committed.get(new TopicPartition(kafka.topic("usage-log"), p));
            if (named >= 0 && (at == null || at.offset() != named)) {
              return false;
            }
          }
          return true;
        });
      } finally {
        memberA.close();
        memberB.close();
      }
    }
  }

  /** Batches of events of random subscriptions, posted to the nodes in turn, some posted to both. */
  private void post(List<Usage> nodes, Random random, Map<String, UsageEvent> distinct, Map<String, Instant> reportedIn,
      int batches) {
    Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
    for (int i = 0; i < batches; i++) {
      List<UsageEvent> batch = new ArrayList<>();
      for (int j = 0; j < 30 + random.nextInt(40); j++) {
        String subscription = subscriptions.get(random.nextInt(subscriptions.size()));
        batch.add(new UsageEvent(UUID.randomUUID().toString(), subscription, UsageStoreTest.BLOB,
            BigDecimal.valueOf(1 + random.nextInt(9000), 3), hour.minus(1, ChronoUnit.HOURS), hour,
            "/subscriptions/" + subscription + "/blob" + random.nextInt(3), "local", null, null));
      }
      List<Usage> to = random.nextInt(4) == 0 ? nodes : List.of(nodes.get(i % nodes.size()));
      for (Usage node : to) {
        UsageIntake.Receipt receipt = node.intake().accept(batch);
        if (receipt.accepted() > 0) {
          batch.forEach(e -> reportedIn.put(e.eventId(), receipt.reportedTime().truncatedTo(ChronoUnit.HOURS)));
        }
      }
      batch.forEach(e -> distinct.put(e.eventId(), e));
    }
  }

  /** The (hour, partition) pairs the events were reported in, before {@code before}, as "hour/partition". */
  private Set<String> pairs(Map<String, Instant> reportedIn, Map<String, UsageEvent> distinct, Instant before) {
    Set<String> out = new HashSet<>();
    reportedIn.forEach((id, hour) -> {
      if (hour.isBefore(before)) {
        out.add(hour + "/" + UsageLog.partitionOf(distinct.get(id).subscriptionId(), PARTITIONS));
      }
    });
    return out;
  }

  private static Set<String> folded(Database db) {
    // The (hour, partition) folds that held events: a batch of several partitions is one row, so a partition
    // may fold an hour in which only other partitions' events were (a marker of no events).
    return new HashSet<>(db.jdbi().withHandle(h -> h.createQuery("SELECT period_start, log_partition FROM usage_folds "
            + "WHERE granularity = 'H' AND event_count > 0")
        .map((rs, ctx) -> rs.getObject(1, java.time.OffsetDateTime.class).toInstant() + "/" + rs.getInt(2)).list()));
  }

  /** Each subscription's hourly totals as folded equal the sums of its distinct events, hour by hour. */
  private void assertTotals(Database db, Map<String, UsageEvent> distinct) {
    for (String subscription : subscriptions) {
      Map<Instant, BigDecimal> expected = new TreeMap<>();
      distinct.values().stream().filter(e -> e.subscriptionId().equals(subscription))
          .forEach(e -> expected.merge(e.usageEndTime(), e.quantity(), BigDecimal::add));
      expected.replaceAll((k, v) -> v.stripTrailingZeros());
      assertThat(UsageLogSeamTest.hourly(db, subscription, clock.instant())).as(subscription).isEqualTo(expected);
    }
  }

  private static void waitFor(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(100);
    }
  }
}
