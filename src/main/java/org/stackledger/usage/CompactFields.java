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
  static void path(EventCodec.Buffer out, java.util.Map<String, Integer> seen, String uri, int cut,
      String subscriptionId) {
    int rest = SUBSCRIPTIONS.length() + subscriptionId.length();
    if (cut > rest && uri.charAt(rest) == '/' && uri.startsWith(SUBSCRIPTIONS)
        && uri.startsWith(subscriptionId, SUBSCRIPTIONS.length())) {
      out.varint(1);
      reference(out, seen, uri.substring(rest, cut));
    } else {
      out.varint(0);
      reference(out, seen, uri.substring(0, cut));
    }
  }

  static void reference(EventCodec.Buffer out, java.util.Map<String, Integer> seen, String s) {
    reference(out, seen, s, 0);
  }

  /** As {@link #reference}, with 0 for null and every other number one up. */
  static void nullableReference(EventCodec.Buffer out, java.util.Map<String, Integer> seen, String s) {
    if (s == null) {
      out.varint(0);
    } else {
      reference(out, seen, s, 1);
    }
  }

  /** {@code first} and the string the first time it occurs, {@code first + 1 +} its number after. */
  private static void reference(EventCodec.Buffer out, java.util.Map<String, Integer> seen, String s, long first) {
    Integer n = seen.get(s);
    if (n != null) {
      out.varint(first + 1 + n);
    } else {
      seen.put(s, seen.size());
      out.varint(first);
      out.string(s);
    }
  }
}
