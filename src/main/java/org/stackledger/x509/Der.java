package org.stackledger.x509;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The few DER encodings a certificate needs (X.690): each method returns one complete
 * tag-length-value. Lengths use the definite form, short or long, as DER requires.
 */
final class Der {
  private Der() {}

  static byte[] sequence(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  static byte[] utf8(String text) {
    return tlv(0x0c, text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] octets(byte[] value) {
    return tlv(0x04, value);
  }

  /** A BIT STRING of whole bytes: no unused bits. */
  static byte[] bits(byte[] value) {
    byte[] content = new byte[value.length + 1];
    System.arraycopy(value, 0, content, 1, value.length);
    return tlv(0x03, content);
  }

  static byte[] nul() {
    return new byte[] {0x05, 0x00};
  }

  static byte[] bool(boolean value) {
    return new byte[] {0x01, 0x01, (byte) (value ? 0xff : 0x00)};
  }

  /** An OBJECT IDENTIFIER from its dotted form, e.g. {@code 2.5.29.17}. */
  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      base128(out, Long.parseLong(arcs[i]));
    }
    return tlv(0x06, out.toByteArray());
  }

  /** A context-specific, constructed, explicit tag {@code [n]} around a complete encoding. */
  static byte[] explicit(int n, byte[] encoding) {
    return tlv(0xa0 | n, encoding);
  }

  /** A context-specific, primitive, implicit tag {@code [n]} over raw content. */
  static byte[] implicit(int n, byte[] content) {
    return tlv(0x80 | n, content);
  }

  /** RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050, both to the second in UTC. */
  static byte[] time(Instant instant) {
    var utc = instant.atOffset(ZoneOffset.UTC);
    boolean utcTime = utc.getYear() < 2050;
    String text = utc.format(DateTimeFormatter.ofPattern(utcTime ? "yyMMddHHmmss'Z'" : "yyyyMMddHHmmss'Z'"));
    return tlv(utcTime ? 0x17 : 0x18, text.getBytes(StandardCharsets.US_ASCII));
  }

  static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static void base128(ByteArrayOutputStream out, long value) {
    int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(value) + 6) / 7);
    for (int i = groups - 1; i >= 0; i--) {
      int b = (int) ((value >>> (7 * i)) & 0x7f);
      out.write(i == 0 ? b : b | 0x80);
    }
  }
}
