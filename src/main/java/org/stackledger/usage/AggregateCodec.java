package org.stackledger.usage;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The stored form of one subscription's aggregates for one period: entries of meter, instance key
 * and quantity, sorted by meter then instance key (the usage APIs' order), back to back.
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

  private AggregateCodec() {}

  /** Encodes entries already sorted. */
  static byte[] write(List<Entry> sorted) {
    EventCodec.Buffer out = new EventCodec.Buffer(sorted.size() * 64);
    for (Entry e : sorted) {
      out.string(e.meterId());
      out.string(e.instanceKey());
      out.quantity(e.quantity());
    }
    return out.toArray();
  }

  static List<Entry> read(byte[] bytes) {
    List<Entry> out = new ArrayList<>();
    int[] pos = {0};
    while (pos[0] < bytes.length) {
      String meter = string(bytes, pos);
      String key = string(bytes, pos);
      long z = varint(bytes, pos);
      int scale = (int) ((z >>> 1) ^ -(z & 1));
      int n = (int) varint(bytes, pos);
      BigInteger unscaled = new BigInteger(Arrays.copyOfRange(bytes, pos[0], pos[0] + n));
      pos[0] += n;
      out.add(new Entry(meter, key, new BigDecimal(unscaled, scale)));
    }
    return out;
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
