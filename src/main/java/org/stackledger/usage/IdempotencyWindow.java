package org.stackledger.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.TreeMap;

/**
 * The intake's memory of the events it holds, bounded by the usage it can still take. An event
 * whose {@code usageStartTime} is older than {@code maxUsageAge} is refused as too old before it is
 * looked up, and a usage window starts at most {@link EventRules#FUTURE_SKEW} after the event was
 * reported; so a retry the intake could still accept is a retry of an event reported after
 * {@code now - maxUsageAge - FUTURE_SKEW}. Only those are kept, and at start only the window's days
 * are read back from the log — memory and restart time grow with the event rate times the window,
 * not with the history.
 *
 * <p>One open-addressing table (as {@link DedupIndex}: content fingerprint and the identity's two
 * halves side by side, 24 bytes a slot), the entry's reported day in the low 16 bits of its content
 * fingerprint ({@link #tag}: 48 bits of content are plenty to tell a retry from other content): a
 * lookup is one probe of one slot, whatever the window's length — a table a day would cost a probe a
 * day for every new event, and the days in an array of their own cost a second cache miss a probe
 * (the committer's find and add were two fifths of its time, JFR 2026-12-05). An entry whose day has
 * left the window is no longer found, its slot is taken by the next entry that probes past it, and the
 * table is rebuilt with the window's entries only when it is 70% full of live and departed entries
 * together, 60% full of live ones: 24 bytes a slot, 40.2 bytes an event of the window measured by
 * {@code stackledger bench idempotency} at 100 M events. A rebuild is one pass over the table under the
 * intake's lock, about every fifth of the window's events; while the window fills, the table grows to
 * 40% full instead (up to 60 bytes an event until it is full).
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
  private static final double MAX_LOAD = 0.7;
  /** How full a rebuilt table starts: room to take events before the next rebuild. */
  private static final double REBUILT_LOAD = 0.6;
  /**
   * How full a table rebuilt while it grows starts: nearly every entry still in the window means the
   * window is filling (a new deployment, a rising event rate), and a table rebuilt to 60 % full would
   * be copied again after a sixth more events — six copies an event, under the lock every batch waits
   * on. From 40 % it takes three quarters more before the next copy.
   */
  private static final double GROWN_LOAD = 0.4;
  /** The share of occupied slots still in the window above which a rebuild grows the table. */
  private static final double GROWING = 0.9;
  private static final int MAX_CAPACITY = (Integer.MAX_VALUE - 8) / 3;

  private final UsageLog log;
  /**
   * Slot {@code i}: {@code slots[3i]} the content's {@link #tag} with the reported day in its low 16
   * bits (the low 16 bits of the epoch day, compared modulo 2^16; 0: empty), then the identity's halves.
   */
  private long[] slots;
  private static final long DAY_BITS = 0xFFFFL;
  private int capacity;
  /** Slots holding an entry, in the window or not. */
  private int occupied;
  /** Entries in the window, by reported epoch day: a cell a day, counted in place. */
  private final TreeMap<Long, long[]> live = new TreeMap<>();
  /**
   * The day counted last and its cell: nearly every entry is of the same day as the one before it, and
   * a map look-up an event was most of a restart's time (10 M events: 80 % of 12 s).
   */
  private long countedDay = Long.MIN_VALUE;
  private long[] countedCell;
  /** The first reported epoch day held: every batch reported on or after it is in the table. */
  private long from;
  /** The widest maxUsageAge the window covers now, and since when a narrower one has been asked. */
  private Duration retained;
  private Instant narrowedAt;

  private IdempotencyWindow(UsageLog log, long from, Duration retained, int expected) {
    this.log = log;
    this.from = from;
    this.retained = retained;
    allocate((long) (expected / MAX_LOAD) + 1);
  }

  /** The window as of {@code now}, read from the log: its days only. */
  static IdempotencyWindow load(UsageLog log, Instant now, Duration maxUsageAge) {
    long start = startDay(now, maxUsageAge);
    IdempotencyWindow window = new IdempotencyWindow(log, start, maxUsageAge, 1 << 12);
    Instant last = log.lastReportedAt().orElse(null);
    if (last != null && epochDay(last) >= start) {
      window.read(start, epochDay(last) + 1);
    }
    return window;
  }

  /** The first reported day the window must hold for a deployment that takes usage back to {@code maxUsageAge}. */
  static long startDay(Instant now, Duration maxUsageAge) {
    return epochDay(now.minus(maxUsageAge).minus(EventRules.FUTURE_SKEW).minus(GRACE));
  }

  private static long epochDay(Instant t) {
    return Math.floorDiv(t.getEpochSecond(), 86_400L);
  }

  /**
   * Moves the window to {@code now}, for the widest {@code maxUsageAge} a batch may have been checked
   * against: reads back days it now covers, lets go of days it no longer needs.
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
    long start = startDay(now, retained);
    if (start < from) {
      long end = from;
      // Entries of these days still in the table count as live again: they are the same events.
      from = start;
      read(start, end);
    } else if (start > from) {
      from = start;
      live.headMap(start).clear();
      // The cell counted last may have just left the map.
      countedCell = null;
    }
  }

  /**
   * The {@link #tag} of the content held for this identity, or {@link DedupIndex#ABSENT}: compare it
   * with the tag of a content fingerprint.
   */
  long find(long hi, long lo) {
    long[] t = slots;
    int i = slot(hi, lo);
    while (true) {
      long c = t[i * 3];
      if (c == DedupIndex.ABSENT) {
        return DedupIndex.ABSENT;
      }
      if (t[i * 3 + 1] == hi && t[i * 3 + 2] == lo) {
        // An identity is in the table once: an entry that has left the window is all there is.
        return inWindow(c) ? c & ~DAY_BITS : DedupIndex.ABSENT;
      }
      i = next(i);
    }
  }

  /**
   * What the window keeps of a content fingerprint: its top 48 bits, never all zero (so that a slot
   * holding it is never empty, whatever its day).
   */
  static long tag(long content) {
    long t = content & ~DAY_BITS;
    return t == 0 ? 1L << 16 : t;
  }

  /** Adds an identity not held yet, accepted in a batch reported at {@code reported}. */
  void add(Instant reported, long hi, long lo, long content) {
    add(epochDay(reported), hi, lo, content);
  }

  private void add(long day, long hi, long lo, long content) {
    roomForOne();
    int i = slot(hi, lo);
    // The first slot free or departed: find said the identity is not in the window, so an entry of it
    // further along, if any, has departed too and is never found again (this one comes first).
    while (slots[i * 3] != DedupIndex.ABSENT && inWindow(slots[i * 3])) {
      i = next(i);
    }
    if (slots[i * 3] == DedupIndex.ABSENT) {
      occupied++;
    }
    put(i, day, hi, lo, content);
    count(day);
  }

  /**
   * Adds an identity unless the window holds it, in one walk of its probe sequence: the keys of a
   * batch another node appended, or of a day read back at start, are mostly new here, and a find and
   * then an add walked the same slots twice (two cache misses a key, the committer's largest cost with
   * two nodes: JFR, 2026-12-05). Answers whether it was added.
   */
  private boolean addIfAbsent(long day, long hi, long lo, long content) {
    roomForOne();
    long[] t = slots;
    int i = slot(hi, lo);
    int departed = -1;
    while (true) {
      long c = t[i * 3];
      if (c == DedupIndex.ABSENT) {
        break;
      }
      boolean live = inWindow(c);
      if (t[i * 3 + 1] == hi && t[i * 3 + 2] == lo) {
        if (live) {
          return false;
        }
        // Its own departed entry: the identity is in the table once, so this is where it goes again.
        departed = i;
        break;
      }
      if (!live && departed < 0) {
        departed = i;
      }
      i = next(i);
    }
    // As add: the first slot departed or free (an entry of this identity further along has departed too).
    if (departed >= 0) {
      i = departed;
    } else {
      occupied++;
    }
    put(i, day, hi, lo, content);
    count(day);
    return true;
  }

  /** Rebuilds the table if one more entry would fill it past {@link #MAX_LOAD}. */
  private void roomForOne() {
    if (occupied + 1 > capacity * MAX_LOAD) {
      long live = size();
      rebuild(live >= occupied * GROWING ? (long) (live * REBUILT_LOAD / GROWN_LOAD) : live);
    }
  }

  /** One more entry of {@code day} in the window. */
  private void count(long day) {
    if (day != countedDay || countedCell == null) {
      countedCell = live.computeIfAbsent(day, d -> new long[1]);
      countedDay = day;
    }
    countedCell[0]++;
  }

  /** Identities held in the window (not the history's). */
  long size() {
    long n = 0;
    for (long[] c : live.tailMap(from).values()) {
      n += c[0];
    }
    return n;
  }

  /** The first reported day held. */
  Instant from() {
    return Instant.EPOCH.plus(from, ChronoUnit.DAYS);
  }

  /** Whether a slot's entry (its first long: tag and day) was reported on a day the window holds. */
  private boolean inWindow(long tagAndDay) {
    return (short) ((short) tagAndDay - (short) from) >= 0;
  }

  /** The table again, with the window's entries only, sized for {@code entries} with room. */
  private void rebuild(long entries) {
    long[] oldSlots = slots;
    allocate((long) (entries / REBUILT_LOAD) + 16);
    occupied = 0;
    for (int i = 0; i < oldSlots.length / 3; i++) {
      if (oldSlots[i * 3] != DedupIndex.ABSENT && inWindow(oldSlots[i * 3])) {
        int j = slot(oldSlots[i * 3 + 1], oldSlots[i * 3 + 2]);
        while (slots[j * 3] != DedupIndex.ABSENT) {
          j = next(j);
        }
        slots[j * 3] = oldSlots[i * 3];
        slots[j * 3 + 1] = oldSlots[i * 3 + 1];
        slots[j * 3 + 2] = oldSlots[i * 3 + 2];
        occupied++;
      }
    }
  }

  private void allocate(long slotCount) {
    capacity = (int) Math.min(MAX_CAPACITY, Math.max(16, slotCount));
    slots = new long[capacity * 3];
  }

  private void put(int i, long day, long hi, long lo, long content) {
    slots[i * 3] = tag(content) | (day & DAY_BITS);
    slots[i * 3 + 1] = hi;
    slots[i * 3 + 2] = lo;
  }

  /** The hash's top 32 bits scaled to the capacity (Lemire's multiply-shift): uniform for any size. */
  private int slot(long hi, long lo) {
    return (int) ((((hi ^ lo) >>> 32) * capacity) >>> 32);
  }

  private int next(int i) {
    return i + 1 == capacity ? 0 : i + 1;
  }

  /**
   * Reads the log's keys of the epoch days in {@code [start, end)}: all of them first, so that the
   * table is sized once for them rather than rebuilt again and again as it fills.
   */
  private void read(long start, long end) {
    java.util.List<byte[]> batches = new java.util.ArrayList<>();
    java.util.List<Long> batchDays = new java.util.ArrayList<>();
    long[] count = {0};
    log.readKeys(Instant.EPOCH.plus(start, ChronoUnit.DAYS), Instant.EPOCH.plus(end, ChronoUnit.DAYS), (hour, keys) -> {
      batches.add(keys);
      batchDays.add(epochDay(hour));
      count[0] += keys.length / KEY_BYTES;
    });
    if (occupied + count[0] > capacity * MAX_LOAD) {
      rebuild(size() + count[0]);
    }
    for (int b = 0; b < batches.size(); b++) {
      byte[] keys = batches.get(b);
      long d = batchDays.get(b);
      batches.set(b, null);
      for (int k = 0; k < keys.length; k += KEY_BYTES) {
        if (!addIfAbsent(d, longAt(keys, k), longAt(keys, k + 8), longAt(keys, k + 16))) {
          // Left the window and came back into it before its slot was taken: counted again.
          count(d);
        }
      }
    }
  }

  /**
   * Adds the keys of a batch another writer of a shared log appended (24 bytes an event, as the log
   * stores them), reported at {@code reported}: what this intake must know before it decides.
   */
  void addKeys(Instant reported, byte[] keys) {
    if (occupied + keys.length / KEY_BYTES > capacity * MAX_LOAD) {
      rebuild(size() + keys.length / KEY_BYTES);
    }
    long day = epochDay(reported);
    for (int k = 0; k + KEY_BYTES <= keys.length; k += KEY_BYTES) {
      addIfAbsent(day, longAt(keys, k), longAt(keys, k + 8), longAt(keys, k + 16));
    }
  }

  static long longAt(byte[] b, int at) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (b[at + i] & 0xffL);
    }
    return v;
  }
}
