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
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stackledger.store.Database;
import org.stackledger.testing.SteppingClock;

/**
 * The usage path over a log that is not the database's table, and a watermark made of partitions:
 * the intake appends to it, the aggregator folds from it, a partition that lags holds its hours
 * open, and a restart over the same log still knows its events — the seams a Kafka log plugs into.
 */
class UsageLogSeamTest {
  @TempDir
  Path tempDir;

  private final SteppingClock clock = new SteppingClock();
  private final String subscription = UUID.randomUUID().toString();
  private final MemoryUsageLog log = new MemoryUsageLog();
  /** Another partition's watermark, as its reader reports it: behind this intake's. */
  private final AtomicReference<Instant> otherPartition = new AtomicReference<>(Instant.EPOCH);

  private Usage usage(Database db) {
    return Usage.open(db.jdbi(), null, id -> id.equalsIgnoreCase(UsageStoreTest.BLOB) ? UsageStoreTest.BLOB : null,
        ids -> ids.contains(subscription) ? Map.of(subscription, "Enabled") : Map.of(), clock, 42L, false, log,
        intake -> Watermark.minimum(List.of(intake.watermark(), otherPartition::get)));
  }

  private List<UsageEvent> batch(int n, String quantity) {
    Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
    List<UsageEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new UsageEvent(UUID.randomUUID().toString(), subscription, UsageStoreTest.BLOB, new BigDecimal(quantity),
          hour.minus(1, ChronoUnit.HOURS), hour, "/subscriptions/" + subscription + "/blob" + i % 3, "local", null, null));
    }
    return out;
  }

  /** The hourly quantities the tenant usage API returns, summed by reported hour. */
  private Map<Instant, BigDecimal> hourly(Database db) {
    return hourly(db, subscription, clock.instant());
  }

  /** A subscription's hourly quantities up to a day after {@code now}, as the tenant usage API returns them, by reported hour. */
  static Map<Instant, BigDecimal> hourly(Database db, String subscription, Instant now) {
    Map<Instant, BigDecimal> sums = new TreeMap<>();
    UsageQueries.Page page = new UsageQueries(db.jdbi()).subscription(subscription, Instant.EPOCH,
        now.plus(1, ChronoUnit.DAYS), UsageQueries.Granularity.HOURLY, false, null, 1000);
    page.rows().forEach(r -> sums.merge(r.periodStart(), r.quantity(), BigDecimal::add));
    sums.replaceAll((k, v) -> v.stripTrailingZeros());
    return sums;
  }

  @Test
  void theAggregatorFoldsFromAnyLogAndWaitsForTheSlowestPartition() {
    try (Database db = Database.embedded(tempDir.resolve("data")); Usage usage = usage(db)) {
      Instant first = clock.instant().truncatedTo(ChronoUnit.HOURS);
      assertThat(usage.intake().accept(batch(10, "1.5")).accepted()).isEqualTo(10);
      clock.advance(Duration.ofHours(1));
      Instant second = first.plus(1, ChronoUnit.HOURS);
      assertThat(usage.intake().accept(batch(4, "2")).accepted()).isEqualTo(4);
      clock.advance(Duration.ofHours(2));

      // The other partition has read up to the second hour only: the first is closed, the second not.
      otherPartition.set(second);
      assertThat(usage.closedBefore()).isEqualTo(second);
      usage.aggregator().foldClosed();
      assertThat(hourly(db)).containsExactly(Map.entry(first, new BigDecimal("15")));

      otherPartition.set(clock.instant().truncatedTo(ChronoUnit.HOURS));
      usage.aggregator().foldClosed();
      assertThat(hourly(db)).containsExactly(Map.entry(first, new BigDecimal("15")), Map.entry(second,
          new BigDecimal("8")));
      // The raw usage never went to the database's log table: the aggregator read it from the given log.
      long rows = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_batches").mapTo(Long.class).one());
      assertThat(rows).isZero();
      assertThat(usage.distinctEvents()).isEqualTo(14);
    }
  }

  @Test
  void aRestartOverTheSameLogKnowsItsEvents() {
    List<UsageEvent> sent = batch(20, "1");
    try (Database db = Database.embedded(tempDir.resolve("data")); Usage usage = usage(db)) {
      assertThat(usage.intake().accept(sent).accepted()).isEqualTo(20);
    }
    clock.advance(Duration.ofMinutes(30));
    try (Database db = Database.embedded(tempDir.resolve("data")); Usage usage = usage(db)) {
      assertThat(usage.intake().accept(sent)).isEqualTo(new UsageIntake.Receipt(0, 20, null));
      assertThat(usage.held(sent)).isEqualTo(20);
      assertThat(log.keysRead()).isEqualTo(20);
    }
  }
}
