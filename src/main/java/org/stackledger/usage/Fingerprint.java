package org.stackledger.usage;

/**
 * MurmurHash3 (x64, 128-bit) over bytes, seeded per deployment. The intake keeps an event's
 * identity as the 128-bit fingerprint of its {@code eventId} and its content as a 64-bit one; with
 * a seed the deployment chose at random, nobody outside can aim ids at a collision, and among ten
 * million honest ids the chance of one is about 10^-25.
 */
final class Fingerprint {
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private Fingerprint() {}

  /** Writes the two halves of the hash of {@code data[from, to)} into {@code out[0..1]}. */
  static void hash128(byte[] data, int from, int to, long seed, long[] out) {
    long h1 = seed;
    long h2 = seed;
    int length = to - from;
    int blocks = from + (length & ~15);
    int i = from;
    for (; i < blocks; i += 16) {
      long k1 = longLe(data, i);
      long k2 = longLe(data, i + 8);
      k1 *= C1;
      k1 = Long.rotateLeft(k1, 31);
      k1 *= C2;
      h1 ^= k1;
      h1 = Long.rotateLeft(h1, 27);
      h1 += h2;
      h1 = h1 * 5 + 0x52dce729;
      k2 *= C2;
      k2 = Long.rotateLeft(k2, 33);
      k2 *= C1;
      h2 ^= k2;
      h2 = Long.rotateLeft(h2, 31);
      h2 += h1;
      h2 = h2 * 5 + 0x38495ab5;
    }
    long k1 = 0;
    long k2 = 0;
    int rest = to - i;
    for (int j = rest - 1; j >= 8; j--) {
      k2 = (k2 << 8) | (data[i + j] & 0xffL);
    }
    if (rest > 8) {
      k2 *= C2;
      k2 = Long.rotateLeft(k2, 33);
      k2 *= C1;
      h2 ^= k2;
    }
    for (int j = Math.min(rest, 8) - 1; j >= 0; j--) {
      k1 = (k1 << 8) | (data[i + j] & 0xffL);
    }
    if (rest > 0) {
      k1 *= C1;
      k1 = Long.rotateLeft(k1, 31);
      k1 *= C2;
      h1 ^= k1;
    }
    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = mix(h1);
    h2 = mix(h2);
    h1 += h2;
    h2 += h1;
    out[0] = h1;
    out[1] = h2;
  }

  /**
   * Eight bytes as one little-endian long, read at once: the JIT does not merge eight byte loads and
   * shifts into one, and this read is half of every fingerprint's time.
   */
  private static long longLe(byte[] b, int i) {
    return (long) LONG_LE.get(b, i);
  }

  private static final java.lang.invoke.VarHandle LONG_LE =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

  private static long mix(long k) {
    k ^= k >>> 33;
    k *= 0xff51afd7ed558ccdL;
    k ^= k >>> 33;
    k *= 0xc4ceb9fe1a85ec53L;
    k ^= k >>> 33;
    return k;
  }
}
