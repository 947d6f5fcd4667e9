package org.stackledger.commerce;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of a block of stored records (one batch's records for one invoice): a dictionary of
 * the block's distinct strings first — each written once, and front-coded against the one before, so
 * resource URIs of one subscription cost their differing tail — then each record as dictionary
 * indexes, instants as epoch seconds, decimals exact (scale and unscaled bytes). What the block's row
 * holds in columns (CloudId, billing subscription, invoice month) is not repeated inside.
 *
 * <p>Version 1. A reader meeting another version fails loudly rather than guess.
 */
final class RecordCodec {
  private static final int VERSION = 1;

  private RecordCodec() {}

  static byte[] encode(List<StoredRecord> records) {
    Dictionary strings = new Dictionary(records.size());
    Out body = new Out(records.size() * 48);
    for (StoredRecord s : records) {
      UsageRecord u = s.usage();
      body.instant(u.reportedHour());
      body.instant(u.usageStart());
      body.instant(u.usageEnd());
      body.varInt(strings.indexOf(0, u.subscriptionId()));
      body.varInt(strings.indexOf(1, u.tenantId()));
      body.varInt(strings.indexOf(2, u.meterId()));
      body.varInt(strings.indexOf(3, u.resourceUri()));
      body.varInt(strings.indexOf(4, u.location()));
      body.varInt(strings.indexOf(5, s.registrationId()));
      body.varInt(strings.indexOf(6, s.billingModel()));
      body.varInt(strings.indexOf(7, s.commerceMeterId()));
      body.varInt(strings.indexOf(8, s.currency()));
      body.varInt(strings.indexOf(9, s.usageMonth()));
      body.decimal(u.quantity());
      body.decimal(s.unitPrice());
      body.varInt(s.unitDivisor());
      body.varInt(s.rule().ordinal() | (s.adjustment() ? 4 : 0) | (s.mappedFrom() != null ? 8 : 0));
      if (s.mappedFrom() != null) {
        body.instant(s.mappedFrom());
      }
    }
    Out out = new Out(body.length + strings.list.size() * 24 + 16);
    out.varInt(VERSION);
    out.varInt(strings.list.size());
    byte[] previous = new byte[0];
    for (String s : strings.list) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      int shared = 0;
      while (shared < b.length && shared < previous.length && b[shared] == previous[shared]) {
        shared++;
      }
      out.varInt(shared);
      out.varInt(b.length - shared);
      out.bytes(b, shared, b.length - shared);
      previous = b;
    }
    out.varInt(records.size());
    out.bytes(body.buf, 0, body.length);
    return out.toArray();
  }

  /**
   * A block's distinct strings in the order first met. Records of a block mostly repeat the record
   * before them field by field (one subscription's resources, one meter, one location), so each field
   * remembers its last string and index: a comparison instead of a hash look-up, which was most of the
   * encoding's time in a profile of the upload.
   */
  private static final class Dictionary {
    private static final int FIELDS = 10;
    final List<String> list = new ArrayList<>();
    private final Map<String, Integer> index;
    private final String[] last = new String[FIELDS];
    private final int[] lastIndex = new int[FIELDS];

    /** @param records how many records the block holds: each may bring a resource URI of its own */
    Dictionary(int records) {
      index = new HashMap<>(Math.max(16, records * 2));
    }

    int indexOf(int field, String text) {
      if (text.equals(last[field])) {
        return lastIndex[field];
      }
      Integer known = index.get(text);
      int i;
      if (known == null) {
        i = list.size();
        list.add(text);
        index.put(text, i);
      } else {
        i = known;
      }
      last[field] = text;
      lastIndex[field] = i;
      return i;
    }
  }

  static List<StoredRecord> decode(byte[] block, String cloudId, String billingSubscriptionId, String invoiceMonth) {
    In in = new In(block);
    int version = in.varInt();
    if (version != VERSION) {
      throw new IllegalStateException("a commerce record block of version " + version + " (this release reads "
          + VERSION + ")");
    }
    String[] strings = new String[in.varInt()];
    byte[] previous = new byte[0];
    for (int i = 0; i < strings.length; i++) {
      int shared = in.varInt();
      byte[] b = Arrays.copyOf(previous, shared + in.varInt());
      in.read(b, shared, b.length - shared);
      strings[i] = new String(b, StandardCharsets.UTF_8);
      previous = b;
    }
    int n = in.varInt();
    Attribution.Rule[] rules = Attribution.Rule.values();
    List<StoredRecord> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Instant reported = in.instant();
      Instant start = in.instant();
      Instant end = in.instant();
      String sub = strings[in.varInt()];
      String tenant = strings[in.varInt()];
      String meter = strings[in.varInt()];
      String uri = strings[in.varInt()];
      String location = strings[in.varInt()];
      String registration = strings[in.varInt()];
      String model = strings[in.varInt()];
      String commerceMeter = strings[in.varInt()];
      String currency = strings[in.varInt()];
      String usageMonth = strings[in.varInt()];
      BigDecimal quantity = in.decimal();
      BigDecimal price = in.decimal();
      int divisor = in.varInt();
      int flags = in.varInt();
      Instant mappedFrom = (flags & 8) != 0 ? in.instant() : null;
      out.add(new StoredRecord(new UsageRecord(cloudId, reported, start, end, sub, tenant, meter, uri, location, quantity),
          registration, billingSubscriptionId, rules[flags & 3], mappedFrom, model, commerceMeter, currency, price,
          divisor, usageMonth, invoiceMonth, (flags & 4) != 0));
    }
    return out;
  }

  /** A growing byte buffer with the varint and decimal writes of the format. */
  static final class Out {
    byte[] buf;
    int length;

    Out(int capacity) {
      buf = new byte[Math.max(16, capacity)];
    }

    void varInt(int v) {
      varLong(v & 0xFFFFFFFFL);
    }

    void varLong(long v) {
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        buf[length++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[length++] = (byte) v;
    }

    /** Zig-zag, so that small negative values stay small. */
    void signed(long v) {
      varLong((v << 1) ^ (v >> 63));
    }

    void instant(Instant t) {
      signed(t.getEpochSecond());
      varInt(t.getNano());
    }

    void decimal(BigDecimal d) {
      signed(d.scale());
      byte[] unscaled = d.unscaledValue().toByteArray();
      varInt(unscaled.length);
      bytes(unscaled, 0, unscaled.length);
    }

    /** A record key's digest, its {@value RecordStore#DIGEST_BYTES} bytes high first. */
    void key(RecordStore.Key k) {
      ensure(RecordStore.DIGEST_BYTES);
      for (int i = 0; i < 8; i++) {
        buf[length++] = (byte) (k.high() >>> (56 - 8 * i));
      }
      buf[length++] = (byte) (k.low() >>> 16);
      buf[length++] = (byte) (k.low() >>> 8);
      buf[length++] = (byte) k.low();
    }

    void bytes(byte[] b, int from, int n) {
      ensure(n);
      System.arraycopy(b, from, buf, length, n);
      length += n;
    }

    private void ensure(int n) {
      if (length + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + n));
      }
    }

    byte[] toArray() {
      return Arrays.copyOf(buf, length);
    }
  }

  /** Reads what {@link Out} wrote. */
  static final class In {
    private final byte[] buf;
    private int at;

    In(byte[] buf) {
      this.buf = buf;
    }

    boolean more() {
      return at < buf.length;
    }

    int varInt() {
      return (int) varLong();
    }

    long varLong() {
      long v = 0;
      for (int shift = 0; ; shift += 7) {
        byte b = buf[at++];
        v |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return v;
        }
      }
    }

    long signed() {
      long v = varLong();
      return (v >>> 1) ^ -(v & 1);
    }

    Instant instant() {
      long seconds = signed();
      return Instant.ofEpochSecond(seconds, varInt());
    }

    BigDecimal decimal() {
      int scale = (int) signed();
      byte[] unscaled = new byte[varInt()];
      read(unscaled, 0, unscaled.length);
      return new BigDecimal(new BigInteger(unscaled), scale);
    }

    void read(byte[] into, int from, int n) {
      System.arraycopy(buf, at, into, from, n);
      at += n;
    }
  }
}
