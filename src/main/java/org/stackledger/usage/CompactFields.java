package org.stackledger.usage;

import java.nio.charset.StandardCharsets;

/**
 * How the compact batch form ({@link EventCodec#compact}) writes the fields it does not write plainly:
 * an eventId that is a GUID as its 16 bytes, a resource path after its own subscription, and a
 * string that repeats within the batch as the number of its first occurrence. {@link EventCodec.Reader}
 * reads them back.
 */
final class CompactFields {
  private CompactFields() {}

  /** A GUID in its canonical spelling as 16 bytes, anything else as text (see {@link EventCodec#compact}). */
  static void eventId(EventCodec.Buffer out, String id) {
    if (id.length() == 36) {
      // One pass reads and checks: 36 characters, dashes at 8, 13, 18 and 23, lower-case hex digits
      // elsewhere — the spellings that read back exactly.
      long hi = 0;
      long lo = 0;
      int digits = 0;
      for (int i = 0; i < 36; i++) {
        char c = id.charAt(i);
        if (i == 8 || i == 13 || i == 18 || i == 23) {
          if (c != '-') {
            digits = -1;
            break;
          }
          continue;
        }
        int v = c < HEX.length ? HEX[c] : -1;
        if (v < 0) {
          digits = -1;
          break;
        }
        if (digits++ < 16) {
          hi = hi << 4 | v;
        } else {
          lo = lo << 4 | v;
        }
      }
      if (digits == 32) {
        out.varint(0);
        out.ensure(16);
        for (int shift = 56; shift >= 0; shift -= 8) {
          out.bytes[out.length++] = (byte) (hi >>> shift);
        }
        for (int shift = 56; shift >= 0; shift -= 8) {
          out.bytes[out.length++] = (byte) (lo >>> shift);
        }
        return;
      }
    }
    byte[] utf8 = id.getBytes(StandardCharsets.UTF_8);
    out.varint(utf8.length + 1L);
    out.put(utf8);
  }

  /** A character's value as a lower-case hex digit, or -1. */
  private static final byte[] HEX = new byte[128];

  static {
    java.util.Arrays.fill(HEX, (byte) -1);
    for (int c = '0'; c <= '9'; c++) {
      HEX[c] = (byte) (c - '0');
    }
    for (int c = 'a'; c <= 'f'; c++) {
      HEX[c] = (byte) (c - 'a' + 10);
    }
  }

  /** How an ARM resource URI starts; what follows it up to the next slash is the subscription. */
  static final String SUBSCRIPTIONS = "/subscriptions/";

  /**
   * A resource URI's path, its characters before {@code cut}. An ARM path names the event's own
   * subscription — {@code /subscriptions/{subscriptionId}/resourceGroups/…} — so the rest of it is what
   * repeats across the batch's subscriptions: 1 and a reference to the rest, or 0 and a reference to
   * the whole path.
   */
  static void path(EventCodec.Buffer out, Strings seen, String uri, int cut, String subscriptionId) {
    int rest = SUBSCRIPTIONS.length() + subscriptionId.length();
    if (cut > rest && uri.charAt(rest) == '/' && uri.startsWith(SUBSCRIPTIONS)
        && uri.startsWith(subscriptionId, SUBSCRIPTIONS.length())) {
      out.varint(1);
      reference(out, seen, uri, rest, cut, 0);
    } else {
      out.varint(0);
      reference(out, seen, uri, 0, cut, 0);
    }
  }

  static void reference(EventCodec.Buffer out, Strings seen, String s) {
    reference(out, seen, s, 0, s.length(), 0);
  }

  /** As {@link #reference}, with 0 for null and every other number one up. */
  static void nullableReference(EventCodec.Buffer out, Strings seen, String s) {
    if (s == null) {
      out.varint(0);
    } else {
      reference(out, seen, s, 0, s.length(), 1);
    }
  }

  /**
   * {@code first} and the characters {@code [from, to)} of {@code s} the first time they occur, {@code
   * first + 1 +} their number after.
   */
  private static void reference(EventCodec.Buffer out, Strings seen, String s, int from, int to, long first) {
    int n = seen.numberOf(s, from, to);
    if (n >= 0) {
      out.varint(first + 1 + n);
    } else {
      out.varint(first);
      out.string(s, from, to);
    }
  }

  /**
   * The strings of a batch by their number of first occurrence, found by their characters: where a
   * path's part is the string, it is looked up in place, not cut out of its URI first (a copy for every
   * event's path was a tenth of the intake's garbage), and the batch's usual strings — the same
   * subscription, meter or tags object event after event — are found by identity before their
   * characters are compared. Equal characters are one string, whatever field they came from, as the
   * reader numbers them.
   */
  static final class Strings {
    private String[] text = new String[64];
    private int[] from = new int[64];
    private int[] to = new int[64];
    private int[] hash = new int[64];
    private int[] number = new int[64];
    private int size;

    /** Clears the table for the next batch, keeping its arrays (a thread reuses one). */
    void clear() {
      if (size > 0) {
        java.util.Arrays.fill(text, null);
        size = 0;
      }
    }

    /**
     * The number of the string {@code s[from, to)} if it occurred before; otherwise numbers it (the next
     * number) and answers -1.
     */
    int numberOf(String s, int from, int to) {
      // The hash String.hashCode would give the characters (cached by the string itself when whole).
      int h;
      if (from == 0 && to == s.length()) {
        h = s.hashCode();
      } else {
        h = 0;
        for (int i = from; i < to; i++) {
          h = 31 * h + s.charAt(i);
        }
      }
      int mask = text.length - 1;
      int length = to - from;
      for (int at = mix(h) & mask; ; at = (at + 1) & mask) {
        String t = text[at];
        if (t == null) {
          text[at] = s;
          this.from[at] = from;
          this.to[at] = to;
          hash[at] = h;
          number[at] = size++;
          if (size * 2 > text.length) {
            grow();
          }
          return -1;
        }
        if (hash[at] == h && this.to[at] - this.from[at] == length
            && ((t == s && this.from[at] == from) || t.regionMatches(this.from[at], s, from, length))) {
          return number[at];
        }
      }
    }

    private static int mix(int h) {
      return h ^ (h >>> 16);
    }

    private void grow() {
      String[] oldText = text;
      int[] oldFrom = from;
      int[] oldTo = to;
      int[] oldHash = hash;
      int[] oldNumber = number;
      int capacity = oldText.length * 2;
      text = new String[capacity];
      from = new int[capacity];
      to = new int[capacity];
      hash = new int[capacity];
      number = new int[capacity];
      for (int i = 0; i < oldText.length; i++) {
        if (oldText[i] != null) {
          int at = mix(oldHash[i]) & (capacity - 1);
          while (text[at] != null) {
            at = (at + 1) & (capacity - 1);
          }
          text[at] = oldText[i];
          from[at] = oldFrom[i];
          to[at] = oldTo[i];
          hash[at] = oldHash[i];
          number[at] = oldNumber[i];
        }
      }
    }
  }
}
