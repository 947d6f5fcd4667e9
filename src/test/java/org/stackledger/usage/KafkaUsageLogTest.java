package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stackledger.kafka.KafkaSettings;
import org.stackledger.kafka.TopicStore;
import org.stackledger.store.Database;
import org.stackledger.testing.KafkaBroker;
import org.stackledger.testing.SteppingClock;

/**
 * The usage log with its events in a real Kafka cluster (KRaft, in this JVM): the intake appends to
 * the topic and commits the rows that name the events' positions, the aggregator folds what it reads
 * back from the topic, a restart knows its events from the rows' keys, and events in the topic that no
 * row names — an append whose row never committed — are never counted.
 */
@Tag("slow")
class KafkaUsageLogTest {
  @TempDir
  Path tempDir;

  private final SteppingClock clock = new SteppingClock();
  private final String subscription = UUID.randomUUID().toString();
  private final KafkaSettings kafka;

  KafkaUsageLogTest() throws Exception {
    kafka = new KafkaSettings(KafkaBroker.shared().bootstrap(), "test-" + UUID.randomUUID() + ".", Map.of());
  }

  private Usage usage(Database db, TopicStore events) {
    return Usage.open(db.jdbi(), null, id -> id.equalsIgnoreCase(UsageStoreTest.BLOB) ? UsageStoreTest.BLOB : null,
        ids -> ids.contains(subscription) ? Map.of(subscription, "Enabled") : Map.of(), clock, 42L, false,
        Usage.kafkaLog(db.jdbi(), events), Intake::watermark);
  }

  /** {@code n} events of the hour before the clock's, with quantities from a seeded generator. */
  private List<UsageEvent> batch(int n, Random random) {
    Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
    List<UsageEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new UsageEvent(UUID.randomUUID().toString(), subscription, UsageStoreTest.BLOB,
          BigDecimal.valueOf(1 + random.nextInt(5000), 3), hour.minus(1, ChronoUnit.HOURS), hour,
          "/subscriptions/" + subscription + "/blob" + i % 7, "local", null, null));
    }
    return out;
  }

  /** The hourly quantities the tenant usage API returns, by reported hour (as Azure Stack's API reports them). */
  private Map<Instant, BigDecimal> hourly(Database db) {
    return UsageLogSeamTest.hourly(db, subscription, clock.instant());
  }

  /** The same sums computed from the events sent: each was reported in the hour its usage ended (see {@link #batch}). */
  private static Map<Instant, BigDecimal> expected(List<UsageEvent> sent) {
    Map<Instant, BigDecimal> sums = new TreeMap<>();
    sent.forEach(e -> sums.merge(e.usageEndTime(), e.quantity(), BigDecimal::add));
    sums.replaceAll((k, v) -> v.stripTrailingZeros());
    return sums;
  }

  @Test
  void eventsGoToTheTopicAreFoldedFromItAndARestartKnowsThem() {
    Random random = new Random(14);
    List<UsageEvent> sent = new ArrayList<>();
    List<UsageEvent> last;
    try (Database db = Database.embedded(tempDir.resolve("data"));
        TopicStore events = TopicStore.open(kafka, "usage-log", 3);
        Usage usage = usage(db, events)) {
      for (int hour = 0; hour < 3; hour++) {
        for (int b = 0; b < 4; b++) {
          List<UsageEvent> batch = batch(50 + random.nextInt(200), random);
          assertThat(usage.intake().accept(batch).accepted()).isEqualTo(batch.size());
          sent.addAll(batch);
        }
        clock.advance(Duration.ofHours(1));
      }
      last = sent.subList(sent.size() - 10, sent.size());
      // An append whose row never committed: in the topic, named by no row, never read.
      events.appendAll(List.of(new TopicStore.Value(new byte[8], 0, new byte[] {0x44, 1, 2, 3})));

      Map<String, Long> places = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(events_kafka) AS kafka, "
          + "COUNT(events) + COUNT(events_ref) AS elsewhere FROM usage_batches").map((rs, ctx) -> Map.of(
              "kafka", rs.getLong(1), "elsewhere", rs.getLong(2))).one());
      assertThat(places).as("every batch's events are in the topic, none in the row or a segment")
          .containsEntry("kafka", 12L).containsEntry("elsewhere", 0L);

      clock.advance(Duration.ofHours(2));
      usage.aggregator().foldClosed();
      assertThat(hourly(db)).isEqualTo(expected(sent));
    }
    try (Database db = Database.embedded(tempDir.resolve("data"));
        TopicStore events = TopicStore.open(kafka, "usage-log", 3);
        Usage usage = usage(db, events)) {
      assertThat(usage.intake().accept(List.copyOf(last))).as("a batch sent again after a restart")
          .isEqualTo(new UsageIntake.Receipt(0, 10, null));
      assertThat(usage.distinctEvents()).isEqualTo(sent.size());
      assertThat(hourly(db)).isEqualTo(expected(sent));
    }
  }
}
