package org.stackledger.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The intake's memory of the events it holds, bounded by the usage it can still take. An event
 * whose {@code usageStartTime} is older than {@code maxUsageAge} is refused as too old before it is
 * looked up, and a usage window starts at most {@link EventRules#FUTURE_SKEW} after the event was
 * reported; so a retry the intake could still accept is a retry of an event reported after
 * {@code now - maxUsageAge - FUTURE_SKEW}. Only those are kept: fingerprints (see {@link DedupIndex})
 * in one table a reported day (UTC), the oldest day dropped whole once it has left the window, and
 * at start only the window's days are read back from the log — memory and restart time grow with
 * the event rate times the window, not with the history.
 *
 * <p>The window follows the operator's {@code maxUsageAge}: widened, the days it now covers are
 * read back from the log before the next batch is decided; narrowed, days are dropped only after
 * {@link #GRACE}, so that a batch checked against the wider window just before the change still
 * finds what it may repeat. Not thread-safe: the intake holds its lock.
 */
final class IdempotencyWindow {
  /** Between a batch's check and its commit; far more than any commit takes. */
  static final Duration GRACE = Duration.ofHours(1);
  private static final int KEY_BYTES = 24;

  private final UsageLog log;
  /** The tables by reported day; every batch reported on or after {@link #from} is in one of them. */
  private final TreeMap<Instant, DedupIndex> days = new TreeMap<>();
  private Instant from;
  /** The widest maxUsageAge the window covers now, and since when a narrower one has been asked. */
  private Duration retained;
  private Instant narrowedAt;

  private IdempotencyWindow(UsageLog log, Instant from, Duration retained) {
    this.log = log;
    this.from = from;
    this.retained = retained;
  }

  /** The window as of {@code now}, read from the log: its days only. */
  static IdempotencyWindow load(UsageLog log, Instant now, Duration maxUsageAge) {
    Instant start = start(now, maxUsageAge);
    IdempotencyWindow window = new IdempotencyWindow(log, start, maxUsageAge);
    Instant last = log.lastReportedAt().orElse(null);
    if (last != null && !last.isBefore(start)) {
      window.read(start, last.truncatedTo(ChronoUnit.DAYS).plus(1, ChronoUnit.DAYS));
    }
    return window;
  }

  /** The first reported day the window must hold for a deployment that takes usage back to {@code maxUsageAge}. */
  static Instant start(Instant now, Duration maxUsageAge) {
    return now.minus(maxUsageAge).minus(EventRules.FUTURE_SKEW).minus(GRACE).truncatedTo(ChronoUnit.DAYS);
  }

  /**
   * Moves the window to {@code now}, for the widest {@code maxUsageAge} a batch may have been checked
   * against: reads back days it now covers, drops days it no longer needs.
   */
  void cover(Instant now, Duration maxUsageAge) {
    if (maxUsageAge.compareTo(retained) >= 0) {
      retained = maxUsageAge;
      narrowedAt = null;
    } else if (narrowedAt == null) {
      narrowedAt = now;
    } else if (!now.isBefore(narrowedAt.plus(GRACE))) {
      retained = maxUsageAge;
      narrowedAt = null;
    }
    Instant start = start(now, retained);
    if (start.isBefore(from)) {
      read(start, from);
      from = start;
    } else if (start.isAfter(from)) {
      days.headMap(start).clear();
      from = start;
    }
  }

  /** The content fingerprint held for this identity, or {@link DedupIndex#ABSENT}; newest day first. */
  long find(long hi, long lo) {
    for (DedupIndex day : days.descendingMap().values()) {
      long c = day.find(hi, lo);
      if (c != DedupIndex.ABSENT) {
        return c;
      }
    }
    return DedupIndex.ABSENT;
  }

  /** Adds an identity not held yet, accepted in a batch reported at {@code reported}. */
  void add(Instant reported, long hi, long lo, long content) {
    days.computeIfAbsent(reported.truncatedTo(ChronoUnit.DAYS), d -> new DedupIndex(1 << 12)).add(hi, lo, content);
  }

  /** Identities held in memory (the window's, not the history's). */
  long size() {
    long n = 0;
    for (DedupIndex day : days.values()) {
      n += day.size();
    }
    return n;
  }

  /** Reported days held in memory. */
  int dayCount() {
    return days.size();
  }

  /** The first reported day held. */
  Instant from() {
    return from;
  }

  /** Reads the log's keys of the days in {@code [start, end)}, a day at a time, each table sized once. */
  private void read(Instant start, Instant end) {
    for (Instant day = start; day.isBefore(end); day = day.plus(1, ChronoUnit.DAYS)) {
      List<byte[]> batches = new ArrayList<>();
      long[] count = {0};
      log.readKeys(day, day.plus(1, ChronoUnit.DAYS), keys -> {
        batches.add(keys);
        count[0] += keys.length / KEY_BYTES;
      });
      if (count[0] == 0) {
        continue;
      }
      DedupIndex index = days.get(day);
      if (index == null) {
        index = new DedupIndex((int) Math.min(Integer.MAX_VALUE / 4, count[0]));
        days.put(day, index);
      }
      for (byte[] keys : batches) {
        for (int at = 0; at < keys.length; at += KEY_BYTES) {
          long hi = longAt(keys, at);
          long lo = longAt(keys, at + 8);
          if (index.find(hi, lo) == DedupIndex.ABSENT) {
            index.add(hi, lo, longAt(keys, at + 16));
          }
        }
      }
    }
  }

  static long longAt(byte[] b, int at) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[at + i] & 0xffL);
    }
    return v;
  }

  /** For tests and the bench: the tables held, by reported day. */
  Map<Instant, Integer> sizes() {
    Map<Instant, Integer> out = new TreeMap<>();
    days.forEach((d, i) -> out.put(d, i.size()));
    return out;
  }
}
