package org.stackledger.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.stackledger.store.Database;
import org.stackledger.usage.Intake;
import org.stackledger.usage.UsageLog;

/**
 * {@code stackledger bench idempotency}: what the intake's idempotency memory costs after a history
 * of {@code events} events reported evenly over {@code days} days — the resident memory of the index
 * once read back, and the restart time (opening the intake until its index is loaded) — with the
 * bounded window, and optionally with the whole history in memory (as the intake had it before the
 * window) for comparison.
 *
 * <p>The log is the real one (the embedded store's {@code usage_batches}, batches of keys as the
 * intake writes them: 24 bytes an event, random fingerprints as MurmurHash3 gives), but each batch's
 * events payload is left empty: the index never reads it, and a hundred million encoded events would
 * be 15 GB of disk that says nothing about the index.
 */
public final class IdempotencyRun {
  /** What to run. */
  public record Settings(long events, int days, Duration window, int batchSize, boolean unbounded, long seed) {}

  private static final int KEY_BYTES = 24;

  private IdempotencyRun() {}

  public static void run(Settings s, PrintWriter out, Consumer<String> progress) throws Exception {
    Path dir = Files.createTempDirectory("stackledger-bench-idempotency");
    try {
      Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
      Instant start = end.minus(s.days(), ChronoUnit.DAYS);
      long batches = (s.events() + s.batchSize() - 1) / s.batchSize();
      out.printf("%,d events reported over %d days (%,.0f an hour) in batches of %,d, embedded store, %s%n",
          s.events(), s.days(), s.events() / (s.days() * 24.0), s.batchSize(), Runtime.version());
      out.flush();
      long t0 = System.nanoTime();
      try (Database db = Database.embedded(dir)) {
        fill(org.stackledger.usage.Usage.jdbcLog(db.jdbi()), start, end, s.events(), s.batchSize(), new byte[0],
            s.seed(), progress);
      }
      double fillSeconds = (System.nanoTime() - t0) / 1e9;
      out.printf("fill: %,d keys in %,d batches in %.1f s; data folder %,d MB%n", s.events(), batches, fillSeconds,
          size(dir) >> 20);
      out.flush();
      restart(dir, end, s.window(), "bounded, window " + s.window(), out, progress);
      if (s.unbounded()) {
        restart(dir, end, Duration.ofDays(s.days() + 1L), "whole history (the index before the window)", out, progress);
      }
    } finally {
      delete(dir);
    }
  }

  /**
   * Appends a history of {@code events} events after the log's last sequence: batches of random keys
   * and the given events payload, reported evenly over {@code [start, end)}, ten a transaction.
   * Answers the reported hours it filled.
   */
  static java.util.NavigableSet<Instant> fill(UsageLog log, Instant start, Instant end, long events, int batchSize,
      byte[] payload, long seed, Consumer<String> progress) {
    SplittableRandom random = new SplittableRandom(seed);
    long batches = (events + batchSize - 1) / batchSize;
    long span = Duration.between(start, end).toMillis();
    long sequence = log.lastSequence();
    long left = events;
    java.util.NavigableSet<Instant> hours = new java.util.TreeSet<>();
    List<UsageLog.Batch> group = new ArrayList<>();
    for (long b = 0; b < batches; b++) {
      int n = (int) Math.min(batchSize, left);
      left -= n;
      byte[] keys = new byte[n * KEY_BYTES];
      for (int at = 0; at < keys.length; at += 8) {
        putLong(keys, at, random.nextLong());
      }
      Instant reported = start.plusMillis(span * b / batches);
      hours.add(reported.truncatedTo(ChronoUnit.HOURS));
      group.add(new UsageLog.Batch(++sequence, reported, n, payload, keys));
      if (group.size() == 10 || b == batches - 1) {
        log.append(group);
        group.clear();
        progress.accept(String.format("filling the log: %,d of %,d events", events - left, events));
      }
    }
    return hours;
  }

  /**
   * Opens the store and an intake over it at {@code now}, as a server's start does, and waits for the
   * index: the time that takes, and the heap it holds after a full collection.
   */
  private static void restart(Path dir, Instant now, Duration window, String what, PrintWriter out,
      Consumer<String> progress) {
    progress.accept("restart, " + what);
    // The heap is measured before the store is opened and after it is closed, the intake still held:
    // the difference is the index, not the database's page cache.
    long heapBefore = heapAfterGc();
    long t0 = System.nanoTime();
    Intake intake;
    long held;
    long opened;
    long t1;
    try (Database db = Database.embedded(dir)) {
      opened = System.nanoTime();
      intake = Intake.open(org.stackledger.usage.Usage.jdbcLog(db.jdbi()), id -> id, ids -> Map.of(),
          Clock.fixed(now, ZoneOffset.UTC), 1L, () -> window);
      held = intake.eventsInMemory();
      t1 = System.nanoTime();
    }
    long heap = heapAfterGc() - heapBefore;
    out.printf("restart (%s): %,d events in memory, index read back in %.2f s (store opened in %.2f s); heap "
            + "after GC +%,d MB (%.1f bytes an event held); RSS %,d MB%n", what, held, (t1 - opened) / 1e9,
        (opened - t0) / 1e9, heap >> 20, held == 0 ? 0.0 : (double) heap / held, rssKb() >> 10);
    out.flush();
    java.lang.ref.Reference.reachabilityFence(intake);
  }

  private static long heapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    memory.gc();
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** The process's resident set (Linux), or 0 where /proc is not there. */
  private static long rssKb() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      return lines.filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("[^0-9]", "")).mapToLong(Long::parseLong)
          .findFirst().orElse(0);
    } catch (IOException | UncheckedIOException e) {
      return 0;
    }
  }

  static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static void putLong(byte[] b, int at, long v) {
    for (int i = 0; i < 8; i++) {
      b[at + i] = (byte) (v >>> (8 * i));
    }
  }
}
