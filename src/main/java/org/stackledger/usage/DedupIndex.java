package org.stackledger.usage;

/**
 * Every accepted event's identity (128-bit fingerprint of its {@code eventId}) with its content's
 * fingerprint, in memory: an open-addressing table over three {@code long} arrays, 24 bytes an
 * event at most 70% full. A database index over random ids would rewrite a page per event on every
 * commit; this table answers "seen before, and with what content?" in one probe. It is rebuilt at
 * start from the keys each stored batch carries. Not thread-safe: the intake holds its lock.
 */
final class DedupIndex {
  /** What {@link #find} answers for an identity never seen. */
  static final long ABSENT = 0;

  private long[] high;
  private long[] low;
  private long[] content;
  private int size;
  private int mask;

  DedupIndex(int expected) {
    int capacity = Integer.highestOneBit(Math.max(16, (int) (expected / 0.7) + 1) - 1) << 1;
    allocate(capacity);
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
      slot = (slot + 1) & mask;
    }
  }

  /** Adds an identity not present yet. */
  void add(long hi, long lo, long contentHash) {
    if (size + 1 > (mask + 1) * 0.7) {
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
      slot = (slot + 1) & mask;
    }
    high[slot] = hi;
    low[slot] = lo;
    content[slot] = c;
  }

  private int slot(long hi, long lo) {
    return (int) (hi ^ (lo >>> 32)) & mask;
  }

  private void grow() {
    long[] oldHigh = high;
    long[] oldLow = low;
    long[] oldContent = content;
    allocate(oldHigh.length << 1);
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
    mask = capacity - 1;
  }
}
