package org.stackledger.usage;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The stored form of one subscription's aggregates for one period: entries of meter, instance key
 * and quantity, sorted by meter then instance key (the usage APIs' order), back to back.
 *
 * <p>Written in the compact layout: a 0 byte, then per entry the meter (varint 0: the previous
 * entry's, else its UTF-8 length and bytes — entries are sorted by meter, so a meter is written once
 * a row), the instance (varint 0: a new hex key as its 16 bytes; 1: a new key of another form, as a
 * string; {@code n ≥ 2}: the row's {@code (n-2)}th instance again — a VM's meters name it several
 * times an hour) and the quantity as the event codec writes it. About 20 bytes an entry where the
 * first layout, strings throughout, took 75: the hourly aggregates were a third of the usage side's
 * bytes on disk. Rows of the first layout (their first byte is a meter's length, never 0) are still
 * read.
 */
final class AggregateCodec {
  /** One aggregate: so much of a meter used by one resource instance in the period. */
  record Entry(String meterId, String instanceKey, BigDecimal quantity) implements Comparable<Entry> {
    @Override
    public int compareTo(Entry o) {
      int c = meterId.compareTo(o.meterId);
      return c != 0 ? c : instanceKey.compareTo(o.instanceKey);
    }
  }

  private static final int COMPACT = 0;
  private static final int SAME_METER = 0;
  private static final int NEW_HEX_INSTANCE = 0;
  private static final int NEW_OTHER_INSTANCE = 1;
  private static final int HEX_KEY_CHARS = 32;

  private AggregateCodec() {}

  /** Encodes entries already sorted. */
  static byte[] write(List<Entry> sorted) {
    EventCodec.Buffer out = new EventCodec.Buffer(sorted.size() * 24);
    out.put(COMPACT);
    String meter = null;
    Map<String, Integer> instances = new HashMap<>();
    for (Entry e : sorted) {
      if (e.meterId().equals(meter)) {
        out.varint(SAME_METER);
      } else {
        byte[] utf8 = e.meterId().getBytes(StandardCharsets.UTF_8);
        out.varint(utf8.length);
        out.put(utf8);
        meter = e.meterId();
      }
      Integer seen = instances.putIfAbsent(e.instanceKey(), instances.size());
      if (seen != null) {
        out.varint(seen + 2L);
      } else if (isHexKey(e.instanceKey())) {
        out.varint(NEW_HEX_INSTANCE);
        out.put(HexFormat.of().parseHex(e.instanceKey()));
      } else {
        out.varint(NEW_OTHER_INSTANCE);
        out.string(e.instanceKey());
      }
      out.quantity(e.quantity());
    }
    return out.toArray();
  }

  static List<Entry> read(byte[] bytes) {
    if (bytes.length > 0 && bytes[0] == COMPACT) {
      return readCompact(bytes);
    }
    List<Entry> out = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < bytes.length) {
      String meter = string(bytes, pos);
      String key = string(bytes, pos);
      out.add(new Entry(meter, key, quantity(bytes, pos)));
    }
    return out;
  }

  private static List<Entry> readCompact(byte[] bytes) {
    List<Entry> out = new ArrayList<>();
    List<String> instances = new ArrayList<>();
    String meter = null;
    int[] pos = {1};
    while (pos[0] < bytes.length) {
      int n = (int) varint(bytes, pos);
      if (n != SAME_METER) {
        meter = new String(bytes, pos[0], n, StandardCharsets.UTF_8);
        pos[0] += n;
      }
      int instance = (int) varint(bytes, pos);
      String key;
      if (instance == NEW_HEX_INSTANCE) {
        key = HexFormat.of().formatHex(bytes, pos[0], pos[0] + HEX_KEY_CHARS / 2);
        pos[0] += HEX_KEY_CHARS / 2;
        instances.add(key);
      } else if (instance == NEW_OTHER_INSTANCE) {
        key = string(bytes, pos);
        instances.add(key);
      } else {
        key = instances.get(instance - 2);
      }
      out.add(new Entry(meter, key, quantity(bytes, pos)));
    }
    return out;
  }

  /** An instance key as {@link Aggregator#instanceKey} makes them: 32 lower-case hex digits. */
  private static boolean isHexKey(String key) {
    if (key.length() != HEX_KEY_CHARS) {
      return false;
    }
    for (int i = 0; i < HEX_KEY_CHARS; i++) {
      char c = key.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static BigDecimal quantity(byte[] bytes, int[] pos) {
    long z = varint(bytes, pos);
    int scale = (int) ((z >>> 1) ^ -(z & 1));
    int n = (int) varint(bytes, pos);
    BigInteger unscaled = new BigInteger(Arrays.copyOfRange(bytes, pos[0], pos[0] + n));
    pos[0] += n;
    return new BigDecimal(unscaled, scale);
  }

  private static long varint(byte[] b, int[] pos) {
    long result = 0;
    int shift = 0;
    while (true) {
      byte x = b[pos[0]++];
      result |= (long) (x & 0x7f) << shift;
      if (x >= 0) {
        return result;
      }
      shift += 7;
    }
  }

  private static String string(byte[] b, int[] pos) {
    int n = (int) varint(b, pos);
    String s = new String(b, pos[0], n, StandardCharsets.UTF_8);
    pos[0] += n;
    return s;
  }
}
