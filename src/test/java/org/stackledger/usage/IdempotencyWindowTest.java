package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.stackledger.testing.SteppingClock;

/**
 * The intake's idempotency memory is the window of usage it can still take: retries inside it are
 * duplicates, memory holds the window's days and not the history's, a restart reads the window back
 * and nothing older, and a window the operator widens is read back before the next batch.
 */
class IdempotencyWindowTest {
  private final SteppingClock clock = new SteppingClock();
  private final String subscription = UUID.randomUUID().toString();
  private final MemoryUsageLog log = new MemoryUsageLog();
  private final AtomicReference<Duration> maxUsageAge = new AtomicReference<>(Duration.ofDays(7));

  private Intake intake() {
    return Intake.open(log, id -> id.equalsIgnoreCase(UsageStoreTest.BLOB) ? UsageStoreTest.BLOB : null,
        ids -> ids.contains(subscription) ? Map.of(subscription, "Enabled") : Map.of(), clock, 42L, maxUsageAge::get);
  }

  /** A day's usage: {@code n} events of the hour before now. */
  private List<UsageEvent> day(int n) {
    Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
    List<UsageEvent> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new UsageEvent(UUID.randomUUID().toString(), subscription, UsageStoreTest.BLOB, BigDecimal.ONE,
          hour.minus(1, ChronoUnit.HOURS), hour, "/subscriptions/" + subscription + "/blob", "local", null, null));
    }
    return out;
  }

  private static UsageEvent other(UsageEvent e) {
    return new UsageEvent(e.eventId(), e.subscriptionId(), e.meterId(), e.quantity().add(BigDecimal.ONE),
        e.usageStartTime(), e.usageEndTime(), e.resourceUri(), e.location(), e.tags(), e.additionalInfo());
  }

  @Test
  void memoryHoldsTheWindowsDaysWhileTheLogHoldsTheHistory() {
    Intake intake = intake();
    List<List<UsageEvent>> days = new ArrayList<>();
    for (int d = 0; d < 30; d++) {
      List<UsageEvent> batch = day(100);
      assertThat(intake.accept(batch).accepted()).isEqualTo(100);
      days.add(batch);
      clock.advance(Duration.ofDays(1));
    }
    assertThat(intake.distinctEvents()).isEqualTo(3000);
    // Seven days of usage, the grace and the day being filled: at most nine days' tables.
    assertThat(intake.eventsInMemory()).isBetween(700L, 900L);

    // A retry from inside the window is a duplicate, other content under its id a conflict; one from
    // outside is too old, as it always was.
    List<UsageEvent> recent = days.get(25);
    assertThat(intake.accept(recent)).isEqualTo(new UsageIntake.Receipt(0, 100, null));
    assertThatThrownBy(() -> intake.accept(List.of(other(recent.get(0)))))
        .isInstanceOfSatisfying(org.stackledger.problem.Problem.class, e -> assertThat(e.code()).isEqualTo("EventIdConflict"));
    assertThatThrownBy(() -> intake.accept(days.get(5)))
        .isInstanceOfSatisfying(org.stackledger.problem.Problem.class, e -> assertThat(e.code()).isEqualTo("UsageTooOld"));
  }

  @Test
  void aRestartReadsBackTheWindowOnly() {
    Intake intake = intake();
    List<List<UsageEvent>> days = new ArrayList<>();
    for (int d = 0; d < 30; d++) {
      days.add(day(100));
      intake.accept(days.get(d));
      clock.advance(Duration.ofDays(1));
    }
    long before = log.keysRead();

    Intake restarted = intake();
    assertThat(restarted.accept(days.get(29))).isEqualTo(new UsageIntake.Receipt(0, 100, null));
    assertThat(restarted.accept(days.get(24))).isEqualTo(new UsageIntake.Receipt(0, 100, null));
    assertThat(log.keysRead() - before).as("keys read back at start").isBetween(700L, 900L);
    assertThat(restarted.distinctEvents()).isEqualTo(3000);
  }

  @Test
  void aWidenedWindowIsReadBackBeforeTheNextBatch() {
    Intake intake = intake();
    List<List<UsageEvent>> days = new ArrayList<>();
    for (int d = 0; d < 30; d++) {
      days.add(day(10));
      intake.accept(days.get(d));
      clock.advance(Duration.ofDays(1));
    }
    long inMemory = intake.eventsInMemory();
    // Twenty days ago is outside the seven-day window: forgotten, and refused as too old.
    assertThatThrownBy(() -> intake.accept(days.get(10)))
        .isInstanceOfSatisfying(org.stackledger.problem.Problem.class, e -> assertThat(e.code()).isEqualTo("UsageTooOld"));

    maxUsageAge.set(Duration.ofDays(30));
    assertThat(intake.held(days.get(10))).isEqualTo(10);
    assertThat(intake.accept(days.get(10))).isEqualTo(new UsageIntake.Receipt(0, 10, null));
    assertThat(intake.eventsInMemory()).isGreaterThan(inMemory);
    assertThat(intake.distinctEvents()).isEqualTo(300);

    // Narrowed again, the wider window is kept for the grace (a batch checked against it may be in
    // flight), then dropped.
    maxUsageAge.set(Duration.ofDays(7));
    intake.accept(day(1));
    long wide = intake.eventsInMemory();
    clock.advance(IdempotencyWindow.GRACE.minusMinutes(1));
    intake.accept(day(1));
    assertThat(intake.eventsInMemory()).isGreaterThanOrEqualTo(wide);
    clock.advance(Duration.ofMinutes(2));
    intake.accept(day(1));
    assertThat(intake.eventsInMemory()).isLessThan(wide);
  }

  /**
   * The table itself against a plain map, through two months of churn with a seeded generator: every
   * identity of the window is found with its content, every departed one is not, across slot reuse
   * and rebuilds.
   */
  @Test
  void aTagKeepsTheContentsTop48BitsAndIsNeverEmpty() {
    assertThat(IdempotencyWindow.tag(0x1234_5678_9abc_def0L)).isEqualTo(0x1234_5678_9abc_0000L);
    assertThat(IdempotencyWindow.tag(0xffffL)).isNotEqualTo(DedupIndex.ABSENT);
    assertThat(IdempotencyWindow.tag(-1L)).isEqualTo(0xffff_ffff_ffff_0000L);
    // Content that differs in its top bits is told apart; a difference below them is not (2^-48 a retry).
    assertThat(IdempotencyWindow.tag(1L << 16)).isNotEqualTo(IdempotencyWindow.tag(2L << 16));
  }

  @Test
  void theTableAgreesWithAPlainMapThroughMonthsOfChurn() {
    long seed = new java.util.SplittableRandom().nextLong();
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    Duration window = Duration.ofDays(3);
    Instant now = clock.instant();
    IdempotencyWindow table = IdempotencyWindow.load(log, now, window);
    /** identity (hi, lo) → {content, epoch day reported} */
    Map<List<Long>, long[]> model = new java.util.HashMap<>();
    List<List<Long>> ids = new ArrayList<>();
    for (int hour = 0; hour < 60 * 24; hour++) {
      now = now.plus(1, ChronoUnit.HOURS);
      table.cover(now, window);
      long firstDay = table.from().getEpochSecond() / 86_400;
      for (int i = 0; i < 50; i++) {
        // Mostly new identities, some retries of any seen before (departed or not).
        List<Long> id = !ids.isEmpty() && random.nextInt(4) == 0 ? ids.get(random.nextInt(ids.size()))
            : List.of(random.nextLong(), random.nextLong());
        long[] held = model.get(id);
        boolean inWindow = held != null && held[1] >= firstDay;
        long found = table.find(id.get(0), id.get(1));
        assertThat(found).as("seed %d, hour %d", seed, hour)
            .isEqualTo(inWindow ? IdempotencyWindow.tag(held[0]) : DedupIndex.ABSENT);
        if (inWindow && random.nextInt(3) == 0) {
          // Another node's keys naming an identity held already: nothing changes.
          table.addKeys(now, keyBytes(id.get(0), id.get(1), random.nextLong()));
        }
        if (!inWindow) {
          long content = DedupIndex.nonZero(random.nextLong());
          if (random.nextBoolean()) {
            table.add(now, id.get(0), id.get(1), content);
          } else {
            table.addKeys(now, keyBytes(id.get(0), id.get(1), content));
          }
          model.put(id, new long[] {content, now.getEpochSecond() / 86_400});
          if (held == null) {
            ids.add(id);
          }
        }
      }
      long expected = model.values().stream().filter(v -> v[1] >= firstDay).count();
      assertThat(table.size()).as("seed %d, hour %d", seed, hour).isEqualTo(expected);
    }
  }

  /** One event's key as a log stores it: identity's halves and content, little-endian. */
  private static byte[] keyBytes(long hi, long lo, long content) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
    return b.putLong(hi).putLong(lo).putLong(content).array();
  }
}
