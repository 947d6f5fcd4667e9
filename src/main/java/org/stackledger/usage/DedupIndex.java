package org.stackledger.usage;

/**
 * Every accepted event's identity (128-bit fingerprint of its {@code eventId}) with its content's
 * fingerprint, in memory: an open-addressing table of three {@code long}s a slot, 24 bytes a slot, at most 70% full — 34 bytes an event in a table sized for what it holds (any size: a slot is
 * found by scaling the hash to the capacity, not by masking it to a power of two, which would cost
 * up to twice the memory). A database index over random ids would rewrite a page per event on every
 * commit; this table answers "seen before, and with what content?" in one probe. It is rebuilt at
 * start from the keys each stored batch carries (see {@link IdempotencyWindow}). Not thread-safe:
 * the intake holds its lock.
 */
final class DedupIndex {
  /** What {@link #find} answers for an identity never seen. */
  static final long ABSENT = 0;

  /**
   * Slot {@code i} is {@code slots[3i..3i+2]}: content fingerprint, then the identity's two halves —
   * one cache line a probe, where three arrays would cost three.
   */
  private long[] slots;
  private int size;
  private int capacity;

  DedupIndex(int expected) {
    allocate((int) Math.min(MAX_CAPACITY, Math.max(16, (long) (expected / 0.7) + 1)));
  }

  private static final int MAX_CAPACITY = (Integer.MAX_VALUE - 8) / 3;

  int size() {
    return size;
  }

  /**
   * The content fingerprint stored for this identity, or {@link #ABSENT}. Content fingerprints are
   * never zero (see {@link #nonZero}), so zero can mean absent.
   */
  long find(long hi, long lo) {
    int at = slot(hi, lo) * 3;
    long[] t = slots;
    while (true) {
      long c = t[at];
      if (c == ABSENT) {
        return ABSENT;
      }
      if (t[at + 1] == hi && t[at + 2] == lo) {
        return c;
      }
      at = next(at);
    }
  }

  /** Adds an identity not present yet. */
  void add(long hi, long lo, long contentHash) {
    if (size + 1 > capacity * 0.7) {
      grow();
    }
    put(hi, lo, nonZero(contentHash));
    size++;
  }

  static long nonZero(long contentHash) {
    return contentHash == ABSENT ? 1 : contentHash;
  }

  private void put(long hi, long lo, long c) {
    int at = slot(hi, lo) * 3;
    while (slots[at] != ABSENT) {
      at = next(at);
    }
    slots[at] = c;
    slots[at + 1] = hi;
    slots[at + 2] = lo;
  }

  /** The hash's top 32 bits scaled to the capacity (Lemire's multiply-shift): uniform for any size. */
  private int slot(long hi, long lo) {
    return (int) ((((hi ^ lo) >>> 32) * capacity) >>> 32);
  }

  private int next(int at) {
    return at + 3 == slots.length ? 0 : at + 3;
  }

  private void grow() {
    long[] old = slots;
    allocate((int) Math.min(MAX_CAPACITY, (long) capacity << 1));
    for (int at = 0; at < old.length; at += 3) {
      if (old[at] != ABSENT) {
        put(old[at + 1], old[at + 2], old[at]);
      }
    }
  }

  private void allocate(int capacity) {
    slots = new long[capacity * 3];
    this.capacity = capacity;
  }
}
