package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.http.ApiException;
import org.stackledger.testing.HttpEdge;
import org.stackledger.store.Database;
import org.stackledger.testing.Engine;
import org.stackledger.testing.SteppingClock;
import org.stackledger.testing.TestDatabases;

/**
 * The intake, the log and the aggregator over a real store: what goes in comes out of the hourly
 * and daily aggregates exactly once, summed as an independent fold of the raw events says.
 */
@Tag("storage")
class UsageStoreTest {
  static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";
  static final String WINDOWS_VM = "9CD92D4C-BAFD-4492-B278-BEDC2DE8232A";
  static final String BLOB = "09F8879E-87E9-4305-A572-4B7BE209F857";
  static final Set<String> METERS = Set.of(BASE_VM, WINDOWS_VM, BLOB);

  @TempDir
  Path tempDir;

  private final SteppingClock clock = new SteppingClock();
  private final List<String> subscriptions = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
  private final Map<String, String> states = new HashMap<>();

  private Database open(Engine engine, String url) {
    return engine == Engine.H2 ? Database.embedded(tempDir.resolve("data")) : Database.open(url, null, null);
  }

  private Usage usage(Database db) {
    subscriptions.forEach(s -> states.putIfAbsent(s, "Enabled"));
    return Usage.open(db.jdbi(), null, id -> METERS.stream().filter(m -> m.equalsIgnoreCase(id)).findFirst().orElse(null),
        ids -> ids.stream().filter(states::containsKey).collect(Collectors.toMap(i -> i, states::get)), clock, 42L,
        false);
  }

  /** Events of the hour before now, for the two subscriptions, with quantities of up to four decimals. */
  private List<UsageEvent> events(Random random, int n) {
    Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
    List<UsageEvent> out = new ArrayList<>();
    List<String> meters = List.copyOf(new java.util.TreeSet<>(METERS));
    for (int i = 0; i < n; i++) {
      String sub = subscriptions.get(random.nextInt(subscriptions.size()));
      out.add(new UsageEvent(UUID.randomUUID().toString(), sub, meters.get(random.nextInt(meters.size())).toLowerCase(),
          BigDecimal.valueOf(random.nextInt(100_000), 4), hour, hour.plus(1, ChronoUnit.HOURS),
          "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm" + random.nextInt(5),
          "local", random.nextBoolean() ? "{\"env\":\"prod\"}" : null, null));
    }
    return out;
  }

  /** The independent fold: sum per (reported period, subscription, canonical meter, instanceData). */
  private static Map<String, BigDecimal> expected(Map<Instant, List<UsageEvent>> byReportedPeriod) {
    Map<String, BigDecimal> sums = new HashMap<>();
    byReportedPeriod.forEach((period, events) -> events.forEach(e -> sums.merge(period + "|" + e.subscriptionId() + "|"
        + e.meterId().toUpperCase() + "|" + e.resourceUri() + "|" + e.tags(), e.quantity(), BigDecimal::add)));
    sums.replaceAll((k, v) -> v.stripTrailingZeros());
    return sums;
  }

  /** What the usage queries return for the test's subscriptions, every page, keyed like {@link #expected}. */
  private Map<String, BigDecimal> actual(Database db, UsageQueries.Granularity g) {
    UsageQueries queries = new UsageQueries(db.jdbi());
    Map<String, BigDecimal> sums = new HashMap<>();
    for (String sub : subscriptions) {
      UsageQueries.Position after = null;
      do {
        UsageQueries.Page page = queries.subscription(sub, Instant.EPOCH, clock.instant().plus(1, ChronoUnit.DAYS), g, false,
            after, 100);
        for (UsageQueries.Row r : page.rows()) {
          var data = org.stackledger.http.Json.parseObject(r.instanceData()).get("Microsoft.Resources");
          String tags = data.get("tags").isNull() ? null : org.stackledger.http.Json.text(data.get("tags"));
          String key = r.periodStart() + "|" + r.subscriptionId() + "|" + r.meterId() + "|"
              + data.get("resourceUri").asText() + "|" + tags;
          assertThat(sums.put(key, r.quantity().stripTrailingZeros())).as("one row per key").isNull();
        }
        after = page.next();
      } while (after != null);
    }
    return sums;
  }

  /** Equal maps, or a short account of where they differ (a full dump of both is unreadable). */
  static void assertSameSums(Map<String, BigDecimal> actual, Map<String, BigDecimal> expected) {
    List<String> differences = new ArrayList<>();
    expected.forEach((k, v) -> {
      if (!v.equals(actual.get(k))) {
        differences.add(k + ": expected " + v + ", stored " + actual.get(k));
      }
    });
    actual.keySet().stream().filter(k -> !expected.containsKey(k)).forEach(k -> differences.add(k + ": unexpected"));
    assertThat(differences).as("%d expected rows, %d stored", expected.size(), actual.size())
        .hasSizeLessThan(1_000_000).satisfies(d -> assertThat(d.subList(0, Math.min(5, d.size()))).isEmpty());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void everyAcceptedEventIsCountedOnceInTheHourItWasReportedIn(Engine engine) {
    String url = TestDatabases.fresh(engine);
    Random random = new Random(7);
    Map<Instant, List<UsageEvent>> reportedHours = new HashMap<>();
    Map<Instant, List<UsageEvent>> reportedDays = new HashMap<>();
    List<List<UsageEvent>> sent = new ArrayList<>();
    try (Database db = open(engine, url); Usage usage = usage(db)) {
      for (int hour = 0; hour < 30; hour++) {
        for (int b = 0; b < 3; b++) {
          List<UsageEvent> batch = events(random, 1 + random.nextInt(200));
          UsageIntake.Receipt receipt = usage.intake().accept(batch);
          assertThat(receipt.accepted()).isEqualTo(batch.size());
          Instant reported = clock.instant();
          reportedHours.computeIfAbsent(reported.truncatedTo(ChronoUnit.HOURS), k -> new ArrayList<>()).addAll(batch);
          reportedDays.computeIfAbsent(reported.truncatedTo(ChronoUnit.DAYS), k -> new ArrayList<>()).addAll(batch);
          sent.add(batch);
          clock.advance(Duration.ofMinutes(7));
        }
        clock.advance(Duration.ofMinutes(39));
      }
      // Sent again, every batch is acknowledged as duplicates and changes nothing.
      for (List<UsageEvent> batch : sent.subList(0, 5)) {
        assertThat(usage.intake().accept(batch)).isEqualTo(new UsageIntake.Receipt(0, batch.size(), null));
      }
      clock.advance(Duration.ofDays(1));
      usage.aggregator().foldClosed();
      assertSameSums(actual(db, UsageQueries.Granularity.HOURLY), expected(reportedHours));
      assertSameSums(actual(db, UsageQueries.Granularity.DAILY), expected(reportedDays));
      // Folding again changes nothing.
      usage.aggregator().foldBefore(clock.instant());
      assertSameSums(actual(db, UsageQueries.Granularity.HOURLY), expected(reportedHours));
    }
    // After a restart the index is rebuilt from the log: the same ids are still duplicates.
    try (Database db = open(engine, url); Usage usage = usage(db)) {
      List<UsageEvent> again = sent.get(sent.size() - 1);
      assertThat(usage.intake().accept(again).duplicates()).isEqualTo(again.size());
      UsageEvent changed = again.get(0);
      assertThatThrownBy(HttpEdge.answer(() -> usage.intake().accept(List.of(new UsageEvent(changed.eventId(), changed.subscriptionId(),
          changed.meterId(), changed.quantity().add(BigDecimal.ONE), changed.usageStartTime(), changed.usageEndTime(),
          changed.resourceUri(), changed.location(), changed.tags(), changed.additionalInfo())))))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(409);
            assertThat(e.code()).isEqualTo("EventIdConflict");
            assertThat(e.target()).isEqualTo("events[0].eventId");
          });
      long batches = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_batches").mapTo(Long.class).one());
      assertThat(batches).isEqualTo(sent.size());
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aBatchWithABadEventIsRefusedWholeAndNamesEveryProblem(Engine engine) {
    String url = TestDatabases.fresh(engine);
    try (Database db = open(engine, url); Usage usage = usage(db)) {
      List<UsageEvent> batch = new ArrayList<>(events(new Random(3), 10));
      UsageEvent good = batch.get(4);
      batch.set(4, new UsageEvent(good.eventId(), good.subscriptionId(), "no-such-meter", good.quantity().negate().subtract(BigDecimal.ONE),
          good.usageStartTime(), good.usageStartTime().plus(2, ChronoUnit.HOURS), good.resourceUri(), good.location(), null, null));
      // A minute of an hour that is at least an hour ahead: from the clock's own minute, the last one of
      // an hour would carry the minute into the next hour, a problem of its own.
      Instant ahead = clock.instant().truncatedTo(ChronoUnit.HOURS).plus(2, ChronoUnit.HOURS);
      batch.set(7, new UsageEvent(UUID.randomUUID().toString(), UUID.randomUUID().toString(), BLOB, BigDecimal.ONE,
          ahead, ahead.plus(1, ChronoUnit.MINUTES), "/x", "local", null, null));
      assertThatThrownBy(HttpEdge.answer(() -> usage.intake().accept(batch))).isInstanceOfSatisfying(ApiException.class, e -> {
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.target()).isEqualTo("events[4].meterId");
        assertThat(e.details()).extracting(ApiException::target).containsExactly("events[4].meterId",
            "events[4].quantity", "events[4].usageEndTime", "events[7].usageStartTime");
      });
      // With the other problems gone, the unknown subscription of event 7 is named.
      batch.set(4, good);
      UsageEvent unknown = batch.get(7);
      batch.set(7, new UsageEvent(unknown.eventId(), unknown.subscriptionId(), BLOB, BigDecimal.ONE,
          good.usageStartTime(), good.usageEndTime(), "/x", "local", null, null));
      assertThatThrownBy(HttpEdge.answer(() -> usage.intake().accept(batch))).isInstanceOfSatisfying(ApiException.class, e ->
          assertThat(e.code() + " " + e.target()).isEqualTo("UnknownSubscription events[7].subscriptionId"));
      // A control character is found by the encoder, after the other checks passed: still listed with
      // the unknown subscription, in batch order.
      UsageEvent third = batch.get(3);
      batch.set(3, new UsageEvent(third.eventId(), third.subscriptionId(), third.meterId(), third.quantity(),
          third.usageStartTime(), third.usageEndTime(), third.resourceUri(), "lo\u0007cal", null, null));
      assertThatThrownBy(HttpEdge.answer(() -> usage.intake().accept(batch))).isInstanceOfSatisfying(ApiException.class, e ->
          assertThat(e.details()).extracting(d -> d.code() + " " + d.target()).containsExactly(
              "InvalidLocation events[3].location", "UnknownSubscription events[7].subscriptionId"));
      batch.set(3, third);
      states.put(subscriptions.get(0), "Deleted");
      batch.set(7, good);
      assertThatThrownBy(HttpEdge.answer(() -> usage.intake().accept(batch))).isInstanceOfSatisfying(ApiException.class, e ->
          assertThat(e.code()).isEqualTo("SubscriptionDeleted"));
      long batches = db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_batches").mapTo(Long.class).one());
      assertThat(batches).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void concurrentOverlappingBatchesCountEveryEventOnce(Engine engine) throws Exception {
    String url = TestDatabases.fresh(engine);
    List<UsageEvent> pool = events(new Random(99), 3000);
    try (Database db = open(engine, url); Usage usage = usage(db)) {
      java.util.concurrent.atomic.AtomicLong accepted = new java.util.concurrent.atomic.AtomicLong();
      java.util.concurrent.atomic.AtomicInteger conflicts = new java.util.concurrent.atomic.AtomicInteger();
      java.util.Set<String> sentIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
      List<Thread> threads = new ArrayList<>();
      List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
      for (int t = 0; t < 8; t++) {
        Random random = new Random(t);
        threads.add(new Thread(() -> {
          try {
            List<UsageEvent> mine = new ArrayList<>();
            for (int b = 0; b < 20; b++) {
              List<UsageEvent> batch = new ArrayList<>();
              for (int i = 0; i < 100; i++) {
                batch.add(pool.get(random.nextInt(pool.size())));
              }
              if (b == 7) {
                // Another version of an event this thread already had accepted: this batch alone is refused.
                UsageEvent e = mine.get(random.nextInt(mine.size()));
                batch.add(new UsageEvent(e.eventId(), e.subscriptionId(), e.meterId(), e.quantity().add(BigDecimal.TEN),
                    e.usageStartTime(), e.usageEndTime(), e.resourceUri(), e.location(), e.tags(), e.additionalInfo()));
              }
              try {
                UsageIntake.Receipt r = usage.intake().accept(batch);
                assertThat(r.accepted() + r.duplicates()).isEqualTo(batch.size());
                accepted.addAndGet(r.accepted());
                batch.forEach(e -> sentIds.add(e.eventId()));
                mine.addAll(batch);
              } catch (org.stackledger.problem.Problem e) {
                assertThat(e.code()).isEqualTo("EventIdConflict");
                conflicts.incrementAndGet();
              }
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }));
      }
      threads.forEach(Thread::start);
      for (Thread t : threads) {
        t.join();
      }
      assertThat(failures).isEmpty();
      assertThat(conflicts.get()).isEqualTo(8);
      // Each distinct event of the accepted batches was counted exactly once.
      assertThat(accepted.get()).isEqualTo(sentIds.size());
      assertThat(usage.distinctEvents()).isEqualTo(sentIds.size());
      Instant reported = clock.instant().truncatedTo(ChronoUnit.HOURS);
      List<UsageEvent> distinct = pool.stream().filter(e -> sentIds.contains(e.eventId()))
          .collect(Collectors.toMap(UsageEvent::eventId, e -> e, (x, y) -> x)).values().stream().toList();
      clock.advance(Duration.ofHours(2));
      usage.aggregator().foldClosed();
      assertSameSums(actual(db, UsageQueries.Granularity.HOURLY), expected(Map.of(reported, distinct)));
    }
  }

  @org.junit.jupiter.api.Test
  void onPostgresqlTheLogAsksForLz4OnTheEventsColumnAndStillReadsWhatItWrote() {
    String url = TestDatabases.fresh(Engine.POSTGRESQL);
    try (Database db = open(Engine.POSTGRESQL, url); Usage usage = usage(db)) {
      List<UsageEvent> batch = events(new Random(11), 200);
      assertThat(usage.intake().accept(batch).accepted()).isEqualTo(200);
      String method = db.jdbi().withHandle(h -> h.createQuery("SELECT attcompression FROM pg_attribute "
          + "WHERE attrelid = 'usage_batches'::regclass AND attname = 'events'").mapTo(String.class).one());
      // The server offers lz4 only if built with it; one without keeps pglz (the column's empty marker).
      boolean lz4 = db.jdbi().withHandle(h -> h.createQuery("SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
          + "WHERE name = 'default_toast_compression'").mapTo(Boolean.class).one());
      assertThat(method).as("events column compression (server has lz4: %s)", lz4).isEqualTo(lz4 ? "l" : "");
      List<UsageEvent> read = new ArrayList<>();
      usage.readHour(usage.reportedHours(Instant.EPOCH, clock.instant().plus(1, ChronoUnit.HOURS)).get(0), read::add);
      assertThat(read).extracting(UsageEvent::eventId).containsExactlyElementsOf(batch.stream().map(UsageEvent::eventId).toList());
    }
  }
}
