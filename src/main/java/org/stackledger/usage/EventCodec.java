package org.stackledger.usage;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * The stored form of usage events: a compact, canonical binary encoding, events back to back in one
 * batch. Canonical, so that equal content gives equal bytes and the content fingerprint is a hash
 * of them (a quantity is written without trailing zeros: 1.50 and 1.5 are the same usage). The
 * first field is a format version, so the form can change without rewriting stored batches.
 *
 * <p>Layout of an event: version byte; eventId; subscriptionId; meterId; quantity as scale and
 * unscaled two's-complement bytes; start and end as epoch seconds and nanoseconds; resourceUri;
 * location; tags; additionalInfo. Strings are UTF-8 with a varint length (length + 1 for the
 * nullable ones, 0 meaning null); numbers are zig-zag varints.
 */
final class EventCodec {
  private static final int VERSION = 1;

  private EventCodec() {}

  /** A growable byte buffer. */
  static final class Buffer {
    byte[] bytes;
    int length;

    Buffer(int capacity) {
      bytes = new byte[Math.max(64, capacity)];
    }

    void ensure(int more) {
      if (length + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
      }
    }

    void put(int b) {
      ensure(1);
      bytes[length++] = (byte) b;
    }

    void put(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, bytes, length, b.length);
      length += b.length;
    }

    void varint(long value) {
      ensure(10);
      long v = value;
      while ((v & ~0x7fL) != 0) {
        bytes[length++] = (byte) ((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      bytes[length++] = (byte) v;
    }

    void signed(long value) {
      varint((value << 1) ^ (value >> 63));
    }

    void string(String s) {
      // Ids, URIs and locations are ASCII: copied char by char in one pass that also checks them;
      // anything else is rolled back and goes through the UTF-8 encoder.
      int n = s.length();
      ensure(n + 5);
      int at = length;
      varint(n);
      byte[] b = bytes;
      int to = length;
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          length = at;
          byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
          varint(utf8.length);
          put(utf8);
          return;
        }
        b[to++] = (byte) c;
      }
      length = to;
    }

    void nullableString(String s) {
      if (s == null) {
        varint(0);
      } else {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        varint(utf8.length + 1L);
        put(utf8);
      }
    }

    void putLong(long v) {
      ensure(8);
      for (int i = 0; i < 8; i++) {
        bytes[length++] = (byte) (v >>> (8 * i));
      }
    }

    byte[] toArray() {
      return Arrays.copyOf(bytes, length);
    }
  }

  /**
   * Appends one event and returns where its eventId ends. The id comes right after the version
   * byte, so the caller can fingerprint the id and the whole event from the same bytes.
   */
  static int write(Buffer out, UsageEvent e) {
    out.put(VERSION);
    out.string(e.eventId());
    int idEnd = out.length;
    out.string(e.subscriptionId());
    out.string(e.meterId());
    BigDecimal q = canonical(e.quantity());
    out.signed(q.scale());
    byte[] unscaled = q.unscaledValue().toByteArray();
    out.varint(unscaled.length);
    out.put(unscaled);
    out.signed(e.usageStartTime().getEpochSecond());
    out.varint(e.usageStartTime().getNano());
    out.signed(e.usageEndTime().getEpochSecond());
    out.varint(e.usageEndTime().getNano());
    out.string(e.resourceUri());
    out.string(e.location());
    out.nullableString(e.tags());
    out.nullableString(e.additionalInfo());
    return idEnd;
  }

  /** The quantity as stored: no trailing zeros, and zero as plain 0. */
  static BigDecimal canonical(BigDecimal quantity) {
    return quantity.signum() == 0 ? BigDecimal.ZERO : quantity.stripTrailingZeros();
  }

  /** The first byte of a sealed (deflated) batch; a raw batch starts with an event's version byte. */
  private static final int SEALED = 0x44;

  /**
   * Deflaters and their output arrays, pooled: making a deflater allocates zlib's state, which a
   * batch should not pay for. A pool rather than thread-locals, since requests may each run on a
   * virtual thread of their own.
   */
  private static final java.util.concurrent.ConcurrentLinkedQueue<Sealer> SEALERS =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  private static final class Sealer {
    final java.util.zip.Deflater deflater = new java.util.zip.Deflater(1, true);
    byte[] out = new byte[1 << 16];
  }

  /**
   * A batch's events as stored: deflated at zlib's fastest level. Usage events repeat themselves
   * (subscriptions, meters, resource paths, times), so this is a fifth of the size; the database then
   * writes a fifth as much, which on a busy disk is the difference between steady intake and stalls.
   */
  static byte[] seal(byte[] raw, int length) {
    Sealer sealer = SEALERS.poll();
    if (sealer == null) {
      sealer = new Sealer();
    }
    try {
      java.util.zip.Deflater deflater = sealer.deflater;
      deflater.reset();
      deflater.setInput(raw, 0, length);
      deflater.finish();
      // Deflated into the sealer's array, copied out once at its exact size.
      if (sealer.out.length < length / 2 + 64) {
        sealer.out = new byte[length / 2 + 64];
      }
      byte[] out = sealer.out;
      out[0] = SEALED;
      int n = 1;
      while (!deflater.finished()) {
        if (n == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
          sealer.out = out;
        }
        n += deflater.deflate(out, n, out.length - n);
      }
      return Arrays.copyOf(out, n);
    } finally {
      SEALERS.offer(sealer);
    }
  }

  private static byte[] unseal(byte[] stored) {
    if (stored.length == 0 || stored[0] != SEALED) {
      return stored;
    }
    java.util.zip.Inflater inflater = new java.util.zip.Inflater(true);
    try {
      inflater.setInput(stored, 1, stored.length - 1);
      byte[] out = new byte[stored.length * 6];
      int n = 0;
      while (!inflater.finished()) {
        if (n == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        int got = inflater.inflate(out, n, out.length - n);
        if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IllegalStateException("a stored usage batch is truncated");
        }
        n += got;
      }
      return Arrays.copyOf(out, n);
    } catch (java.util.zip.DataFormatException e) {
      throw new IllegalStateException("a stored usage batch is corrupt", e);
    } finally {
      inflater.end();
    }
  }

  /** Reads events back from a batch's stored bytes, sealed or raw. */
  static final class Reader {
    private final byte[] bytes;
    private int pos;

    Reader(byte[] stored) {
      this.bytes = unseal(stored);
    }

    boolean hasNext() {
      return pos < bytes.length;
    }

    UsageEvent next() {
      int version = bytes[pos++];
      if (version != VERSION) {
        throw new IllegalStateException("stored usage event in unknown format " + version);
      }
      String eventId = string();
      String subscriptionId = string();
      String meterId = string();
      int scale = (int) signed();
      int length = (int) varint();
      byte[] unscaled = Arrays.copyOfRange(bytes, pos, pos + length);
      pos += length;
      BigDecimal quantity = new BigDecimal(new BigInteger(unscaled), scale);
      Instant start = Instant.ofEpochSecond(signed(), varint());
      Instant end = Instant.ofEpochSecond(signed(), varint());
      String resourceUri = string();
      String location = string();
      String tags = nullableString();
      String additionalInfo = nullableString();
      return new UsageEvent(eventId, subscriptionId, meterId, quantity, start, end, resourceUri, location, tags,
          additionalInfo);
    }

    private long varint() {
      long result = 0;
      int shift = 0;
      while (true) {
        byte b = bytes[pos++];
        result |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return result;
        }
        shift += 7;
      }
    }

    private long signed() {
      long v = varint();
      return (v >>> 1) ^ -(v & 1);
    }

    private String string() {
      int n = (int) varint();
      String s = new String(bytes, pos, n, StandardCharsets.UTF_8);
      pos += n;
      return s;
    }

    private String nullableString() {
      int n = (int) varint();
      if (n == 0) {
        return null;
      }
      String s = new String(bytes, pos, n - 1, StandardCharsets.UTF_8);
      pos += n - 1;
      return s;
    }
  }
}
