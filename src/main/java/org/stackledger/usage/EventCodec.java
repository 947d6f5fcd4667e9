package org.stackledger.usage;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

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
    /** Whether a string written since {@link #reset} held a control character (U+0000–U+001F, U+007F–U+009F). */
    boolean control;

    Buffer(int capacity) {
      bytes = new byte[Math.max(64, capacity)];
    }

    /** Empties the buffer for the next batch, keeping its array. */
    void reset() {
      length = 0;
      control = false;
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
      // In locals: the fields would be read and written back at every byte.
      byte[] b = bytes;
      int at = length;
      long v = value;
      while ((v & ~0x7fL) != 0) {
        b[at++] = (byte) ((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      b[at++] = (byte) v;
      length = at;
    }

    void signed(long value) {
      varint((value << 1) ^ (value >> 63));
    }

    void string(String s) {
      string(s, 0, s.length());
    }

    /**
     * Strings of at least this many characters are encoded by the JDK's UTF-8 encoder, whose check and
     * copy of an ASCII string run a vector at a time, and then copied in one piece: the loop below,
     * a character at a time, was the largest part of encoding an event (measured 2026-12-05).
     */
    private static final int WHOLE = 16;

    /** The characters {@code [from, to)} of {@code s}, as {@link #string(String)} writes a whole one. */
    void string(String s, int from, int to) {
      int n = to - from;
      if (n >= WHOLE && from == 0 && to == s.length()) {
        byte[] utf8 = utf8(s, 0);
        if (utf8.length == n) {
          // A byte a character: ASCII (or a lone surrogate, written as '?'), its controls all below 0x20 or 0x7f.
          boolean ctl = false;
          for (byte c : utf8) {
            ctl |= c < 0x20 | c == 0x7f;
          }
          control |= ctl;
        } else {
          control |= EventRules.hasControlCharacter(s);
        }
        return;
      }
      // Ids, URIs and locations are ASCII: copied char by char in one pass that also checks them;
      // anything else is rolled back and goes through the UTF-8 encoder. The same pass notes a control
      // character, which the intake's checks then need not look for themselves (see EventRules).
      ensure(n + 5);
      int at = length;
      varint(n);
      byte[] b = bytes;
      int end = length;
      boolean ctl = false;
      for (int i = from; i < to; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          length = at;
          String text = s.substring(from, to);
          control |= EventRules.hasControlCharacter(text);
          utf8(text, 0);
          return;
        }
        ctl |= c < 0x20 | c == 0x7f;
        b[end++] = (byte) c;
      }
      control |= ctl;
      length = end;
    }

    /** The string's UTF-8 bytes after their length plus {@code extra} (1 for a nullable string); answers the bytes. */
    private byte[] utf8(String s, int extra) {
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      varint(utf8.length + (long) extra);
      put(utf8);
      return utf8;
    }

    void nullableString(String s) {
      if (s == null) {
        varint(0);
        return;
      }
      if (s.length() >= WHOLE) {
        // As string() does: the same bytes either way (an ASCII string's UTF-8 is its characters).
        utf8(s, 1);
        return;
      }
      // ASCII (most tags and additional info) copied as it is read, as string() does.
      int n = s.length();
      ensure(n + 5);
      int at = length;
      varint(n + 1L);
      byte[] b = bytes;
      int end = length;
      for (int i = 0; i < n; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          length = at;
          utf8(s, 1);
          return;
        }
        b[end++] = (byte) c;
      }
      length = end;
    }

    /** A quantity in its canonical form: scale, then the unscaled value's two's-complement bytes. */
    void quantity(BigDecimal quantity) {
      if (quantity.precision() <= 18) {
        // Every quantity the intake takes but the most precise: the same bytes from a long, without
        // the three objects and two arrays the BigDecimal path makes (a quarter of the intake's garbage).
        int scale = quantity.scale();
        long unscaled = quantity.signum() == 0 ? 0 : quantity.scaleByPowerOfTen(scale).longValue();
        if (unscaled == 0) {
          scale = 0;
        } else {
          while (unscaled % 10 == 0) {
            unscaled /= 10;
            scale--;
          }
        }
        signed(scale);
        int bytes = (64 - Long.numberOfLeadingZeros(unscaled < 0 ? ~unscaled : unscaled)) / 8 + 1;
        varint(bytes);
        ensure(bytes);
        for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
          this.bytes[length++] = (byte) (unscaled >> shift);
        }
        return;
      }
      quantityExactly(quantity);
    }

    /** {@link #quantity} through BigDecimal and BigInteger, as it was first written: the reference. */
    void quantityExactly(BigDecimal quantity) {
      BigDecimal q = canonical(quantity);
      signed(q.scale());
      byte[] unscaled = q.unscaledValue().toByteArray();
      varint(unscaled.length);
      put(unscaled);
    }

    void instant(Instant at) {
      signed(at.getEpochSecond());
      varint(at.getNano());
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
    out.quantity(e.quantity());
    out.instant(e.usageStartTime());
    out.instant(e.usageEndTime());
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

  /** The first byte of a compact batch of the first form, still read (see {@link #compact}). */
  private static final int COMPACT = 0x43;
  /** The first byte of a compact batch as written now (see {@link #compact}). */
  private static final int COMPACT_2 = 0x44;

  /**
   * A batch's events as stored: every string that repeats within the batch — subscription, meter,
   * location, tags, additional info, and a resource URI's path up to its last segment, after the
   * event's own subscription — written once and then referred to by number; an eventId that is a
   * GUID in its canonical spelling as its 16 bytes; a usage window as the start's distance from the
   * previous event's start and the end's from the start. Usage repeats itself, so this is a seventh
   * of the plain encoding (measured: 43 bytes an event for the benchmark's events, against 311 plain
   * and 143 in the first compact form, which wrote each subscription's paths whole): the database
   * stores and logs that much less, and PostgreSQL's lz4 has nothing left to do, all under the lock
   * every batch waits on. zlib's fastest deflate cost as much CPU as all the rest of the intake.
   *
   * <p>References: a field that cannot be null writes 0 and the string for a first occurrence, or
   * n + 1 for the batch's n-th string; a nullable one writes 0 for null, 1 and the string for a first
   * occurrence, or n + 2. An eventId is 0 and a GUID's 16 bytes, or its length + 1 and its UTF-8 bytes.
   *
   * @param keep which events to store, or {@code null} for all
   */
  static byte[] compact(List<UsageEvent> events, boolean[] keep) {
    // Written into this thread's scratch buffer and copied out at its length: a buffer sized for the
    // worst case, made for each part of each batch, was a tenth of the intake's garbage.
    Buffer out = SCRATCH.get();
    if (out.bytes.length > MAX_SCRATCH) {
      out = new Buffer(events.size() * 64 + 16);
      SCRATCH.set(out);
    }
    out.reset();
    out.put(COMPACT_2);
    CompactFields.Strings seen = STRINGS.get();
    seen.clear();
    long previousStart = 0;
    for (int i = 0; i < events.size(); i++) {
      if (keep != null && !keep[i]) {
        continue;
      }
      UsageEvent e = events.get(i);
      CompactFields.eventId(out, e.eventId());
      CompactFields.reference(out, seen, e.subscriptionId());
      CompactFields.reference(out, seen, e.meterId());
      out.quantity(e.quantity());
      long start = e.usageStartTime().getEpochSecond();
      out.signed(start - previousStart);
      out.varint(e.usageStartTime().getNano());
      out.signed(e.usageEndTime().getEpochSecond() - start);
      out.varint(e.usageEndTime().getNano());
      previousStart = start;
      String uri = e.resourceUri();
      int cut = uri.lastIndexOf('/') + 1;
      CompactFields.path(out, seen, uri, cut, e.subscriptionId());
      out.string(uri, cut, uri.length());
      CompactFields.reference(out, seen, e.location());
      CompactFields.nullableReference(out, seen, e.tags());
      CompactFields.nullableReference(out, seen, e.additionalInfo());
    }
    return out.toArray();
  }

  private static final ThreadLocal<Buffer> SCRATCH = ThreadLocal.withInitial(() -> new Buffer(64 * 1024));
  /** The strings of the batch being written, a table a thread (see {@link CompactFields.Strings}). */
  private static final ThreadLocal<CompactFields.Strings> STRINGS = ThreadLocal.withInitial(CompactFields.Strings::new);
  /** A scratch buffer grown past this by an outsized batch is let go rather than kept by its thread. */
  private static final int MAX_SCRATCH = 4 << 20;

  /** Reads events back: a compact batch as stored, or events in the plain encoding back to back. */
  static final class Reader {
    private final byte[] bytes;
    private int pos;
    /** The batch's strings in order of first occurrence, for a compact batch; else null. */
    private final List<String> strings;
    /** Which compact form: the first (whole paths, ids as text, instants whole) or the second. */
    private final boolean second;
    private long previousStart;

    Reader(byte[] stored) {
      this.bytes = stored;
      int first = stored.length > 0 ? stored[0] : -1;
      if (first == COMPACT || first == COMPACT_2) {
        this.pos = 1;
        this.strings = new java.util.ArrayList<>();
      } else {
        this.strings = null;
      }
      this.second = first == COMPACT_2;
    }

    boolean hasNext() {
      return pos < bytes.length;
    }

    UsageEvent next() {
      if (strings != null) {
        return nextCompact();
      }
      int version = bytes[pos++];
      if (version != VERSION) {
        throw new IllegalStateException("stored usage event in unknown format " + version);
      }
      String eventId = string();
      String subscriptionId = string();
      String meterId = string();
      BigDecimal quantity = quantity();
      Instant start = instant();
      Instant end = instant();
      String resourceUri = string();
      String location = string();
      String tags = nullableString();
      String additionalInfo = nullableString();
      return new UsageEvent(eventId, subscriptionId, meterId, quantity, start, end, resourceUri, location, tags,
          additionalInfo);
    }

    /** An event of either compact form: the second differs in its eventId, usage window and path. */
    private UsageEvent nextCompact() {
      String eventId = second ? eventId() : string();
      String subscriptionId = reference();
      String meterId = reference();
      BigDecimal quantity = quantity();
      Instant start;
      Instant end;
      if (second) {
        long startSecond = previousStart + signed();
        start = Instant.ofEpochSecond(startSecond, varint());
        end = Instant.ofEpochSecond(startSecond + signed(), varint());
        previousStart = startSecond;
      } else {
        start = instant();
        end = instant();
      }
      String resourceUri = (second ? path(subscriptionId) : reference()) + string();
      String location = reference();
      String tags = nullableReference();
      String additionalInfo = nullableReference();
      return new UsageEvent(eventId, subscriptionId, meterId, quantity, start, end, resourceUri, location, tags,
          additionalInfo);
    }

    private String eventId() {
      int n = (int) varint();
      if (n > 0) {
        String s = new String(bytes, pos, n - 1, StandardCharsets.UTF_8);
        pos += n - 1;
        return s;
      }
      char[] c = new char[36];
      int at = 0;
      for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
          c[at++] = '-';
        }
        int b = bytes[pos++] & 0xff;
        c[at++] = Character.forDigit(b >>> 4, 16);
        c[at++] = Character.forDigit(b & 0xf, 16);
      }
      return new String(c);
    }

    private String path(String subscriptionId) {
      return varint() == 1 ? CompactFields.SUBSCRIPTIONS + subscriptionId + reference() : reference();
    }

    private BigDecimal quantity() {
      int scale = (int) signed();
      int length = (int) varint();
      byte[] unscaled = Arrays.copyOfRange(bytes, pos, pos + length);
      pos += length;
      return new BigDecimal(new BigInteger(unscaled), scale);
    }

    private Instant instant() {
      return Instant.ofEpochSecond(signed(), varint());
    }

    private String reference() {
      int n = (int) varint();
      if (n > 0) {
        return strings.get(n - 1);
      }
      String s = string();
      strings.add(s);
      return s;
    }

    private String nullableReference() {
      int n = (int) varint();
      if (n == 0) {
        return null;
      }
      if (n > 1) {
        return strings.get(n - 2);
      }
      String s = string();
      strings.add(s);
      return s;
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
