package org.stackledger.identity;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * X.509 certificates as key credentials: a self-signed RSA certificate made in process (the JDK has
 * no public API for one and keytool is a process start; the DER below is the few fields a key
 * credential needs), reading one from base64 DER, and the thumbprints JWT headers name it by
 * ({@code x5t} is SHA-1, {@code x5t#S256} SHA-256, both base64url of the DER).
 */
public final class Certificates {
  /** sha256WithRSAEncryption, 1.2.840.113549.1.1.11. */
  private static final byte[] SHA256_WITH_RSA = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d,
      0x01, 0x01, 0x0b};
  /** id-at-commonName, 2.5.4.3. */
  private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};
  /** The largest certificate accepted as a credential: room for a 4096-bit key and a few extensions. */
  private static final int MAX_DER = 16 * 1024;
  private static final SecureRandom RANDOM = new SecureRandom();

  private Certificates() {}

  /** A self-signed X.509 v3 certificate, SHA256withRSA, subject and issuer {@code CN=<commonName>}. */
  public static X509Certificate selfSigned(KeyPair keys, String commonName, Instant notBefore, Instant notAfter) {
    byte[] serial = new byte[16];
    RANDOM.nextBytes(serial);
    byte[] algorithm = sequence(SHA256_WITH_RSA, new byte[] {0x05, 0x00});
    byte[] name = sequence(tlv(0x31, sequence(COMMON_NAME, tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
    byte[] tbs = sequence(
        tlv(0xa0, tlv(0x02, new byte[] {2})),
        tlv(0x02, new BigInteger(1, serial).toByteArray()),
        algorithm, name,
        sequence(time(notBefore), time(notAfter)),
        name,
        keys.getPublic().getEncoded());
    try {
      Signature signer = Signature.getInstance("SHA256withRSA");
      signer.initSign(keys.getPrivate());
      signer.update(tbs);
      byte[] signature = signer.sign();
      byte[] bits = new byte[signature.length + 1];
      System.arraycopy(signature, 0, bits, 1, signature.length);
      return read(sequence(tbs, algorithm, tlv(0x03, bits)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate", e);
    }
  }

  /**
   * Reads a certificate from its DER bytes.
   *
   * @throws IllegalArgumentException saying why it is not one
   */
  public static X509Certificate read(byte[] der) {
    if (der.length > MAX_DER) {
      throw new IllegalArgumentException("the certificate is larger than " + MAX_DER + " bytes");
    }
    try {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (CertificateException | ClassCastException e) {
      throw new IllegalArgumentException("the certificate is not an X.509 certificate in DER");
    }
  }

  /** Reads a certificate from standard base64 of its DER. */
  public static X509Certificate fromBase64(String text) {
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the certificate is not base64");
    }
    return read(der);
  }

  public static String toBase64(X509Certificate certificate) {
    return Base64.getEncoder().encodeToString(der(certificate));
  }

  /** The certificate in PEM. */
  public static String pem(X509Certificate certificate) {
    return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der(certificate))
        + "\n-----END CERTIFICATE-----\n";
  }

  /** {@code x5t}: base64url (no padding) of the SHA-1 of the DER. */
  public static String sha1Thumbprint(X509Certificate certificate) {
    return thumbprint(certificate, "SHA-1");
  }

  /** {@code x5t#S256}: base64url (no padding) of the SHA-256 of the DER. */
  public static String sha256Thumbprint(X509Certificate certificate) {
    return thumbprint(certificate, "SHA-256");
  }

  private static String thumbprint(X509Certificate certificate, String digest) {
    try {
      return Base64.getUrlEncoder().withoutPadding()
          .encodeToString(MessageDigest.getInstance(digest).digest(der(certificate)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] der(X509Certificate certificate) {
    try {
      return certificate.getEncoded();
    } catch (java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] time(Instant instant) {
    var utc = instant.atOffset(ZoneOffset.UTC);
    // RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
    boolean utcTime = utc.getYear() < 2050;
    String text = utc.format(DateTimeFormatter.ofPattern(utcTime ? "yyMMddHHmmss'Z'" : "yyyyMMddHHmmss'Z'"));
    return tlv(utcTime ? 0x17 : 0x18, text.getBytes(StandardCharsets.US_ASCII));
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return tlv(0x30, out.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 4);
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else if (n < 0x100) {
      out.write(0x81);
      out.write(n);
    } else {
      out.write(0x82);
      out.write(n >> 8);
      out.write(n & 0xff);
    }
    out.writeBytes(value);
    return out.toByteArray();
  }
}
