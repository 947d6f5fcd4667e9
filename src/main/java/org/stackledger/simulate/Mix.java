package org.stackledger.simulate;

/**
 * The simulator's only source of chance: SplitMix64's finaliser over the seed and whatever names a
 * decision (a resource, an hour, a salt). No generator state, so any hour can be made on its own and
 * the order of making them never changes a value.
 */
final class Mix {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Mix() {}

  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  static long hash(long a, long b) {
    return mix(a * 0x9e3779b97f4a7c15L + mix(b));
  }

  static long hash(long a, long b, long c) {
    return hash(hash(a, b), c);
  }

  /** A number in {@code [0, bound)} from a hash. */
  static int below(long hash, int bound) {
    return (int) Long.remainderUnsigned(hash, bound);
  }

  /** A number in {@code [0, bound)} for the decision {@code salt} about {@code key}. */
  static int roll(long key, long salt, int bound) {
    return below(hash(key, salt), bound);
  }

  /** A version-4-shaped GUID (lower case, dashed) from two hashes: one string, no formatter. */
  static String guid(long hi, long lo) {
    hi = (hi & 0xffffffffffff0fffL) | 0x0000000000004000L;
    lo = (lo & 0x3fffffffffffffffL) | 0x8000000000000000L;
    char[] c = new char[36];
    int p = 0;
    for (int i = 15; i >= 0; i--) {
      c[p++] = HEX[(int) (hi >>> (i * 4)) & 0xf];
      if (p == 8 || p == 13) {
        c[p++] = '-';
      }
    }
    c[p++] = '-';
    for (int i = 15; i >= 0; i--) {
      c[p++] = HEX[(int) (lo >>> (i * 4)) & 0xf];
      if (p == 23) {
        c[p++] = '-';
      }
    }
    return new String(c);
  }

  /** {@code digits} lower-case hex digits of a hash, for resource names. */
  static String hex(long hash, int digits) {
    char[] c = new char[digits];
    for (int i = 0; i < digits; i++) {
      c[i] = HEX[(int) (hash >>> (60 - i * 4)) & 0xf];
    }
    return new String(c);
  }
}
