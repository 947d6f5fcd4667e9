package org.stackledger.usage;

/**
 * Every accepted event's identity (128-bit fingerprint of its {@code eventId}) with its content's
 * fingerprint, in memory: an open-addressing table over three {@code long} arrays, 24 bytes a
 * slot, at most 70% full — 34 bytes an event in a table sized for what it holds (any size: a slot is
 * found by scaling the hash to the capacity, not by masking it to a power of two, which would cost
 * up to twice the memory). A database index over random ids would rewrite a page per event on every
 * commit; this table answers "seen before, and with what content?" in one probe. It is rebuilt at
 * start from the keys each stored batch carries (see {@link IdempotencyWindow}). Not thread-safe:
 * the intake holds its lock.
 */
final class DedupIndex {
  /** What {@link #find} answers for an identity never seen. */
  static final long ABSENT = 0;

  private long[] high;
  private long[] low;
  private long[] content;
  private int size;
  private int capacity;

  DedupIndex(int expected) {
    allocate((int) Math.min(Integer.MAX_VALUE - 8, Math.max(16, (long) (expected / 0.7) + 1)));
  }

  int size() {
    return size;
  }

  /**
   * The content fingerprint stored for this identity, or {@link #ABSENT}. Content fingerprints are
   * never zero (see {@link #nonZero}), so zero can mean absent.
   */
  long find(long hi, long lo) {
    int slot = slot(hi, lo);
    while (true) {
      long c = content[slot];
      if (c == ABSENT) {
        return ABSENT;
      }
      if (high[slot] == hi && low[slot] == lo) {
        return c;
      }
      slot = next(slot);
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
    int slot = slot(hi, lo);
    while (content[slot] != ABSENT) {
      slot = next(slot);
    }
    high[slot] = hi;
    low[slot] = lo;
    content[slot] = c;
  }

  /** The hash's top 32 bits scaled to the capacity (Lemire's multiply-shift): uniform for any size. */
  private int slot(long hi, long lo) {
    return (int) ((((hi ^ lo) >>> 32) * capacity) >>> 32);
  }

  private int next(int slot) {
    return slot + 1 == capacity ? 0 : slot + 1;
  }

  private void grow() {
    long[] oldHigh = high;
    long[] oldLow = low;
    long[] oldContent = content;
    allocate((int) Math.min(Integer.MAX_VALUE - 8, (long) oldHigh.length << 1));
    for (int i = 0; i < oldHigh.length; i++) {
      if (oldContent[i] != ABSENT) {
        put(oldHigh[i], oldLow[i], oldContent[i]);
      }
    }
  }

  private void allocate(int capacity) {
    high = new long[capacity];
    low = new long[capacity];
    content = new long[capacity];
    this.capacity = capacity;
  }
}
