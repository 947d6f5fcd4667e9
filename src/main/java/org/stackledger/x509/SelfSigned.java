package org.stackledger.x509;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A self-signed X.509 v3 certificate over a key pair, made in process: SHA256withRSA for RSA keys and
 * SHA256withECDSA for EC keys, a subject of a common name and optionally an organization (issuer the
 * same), and a subject alternative name extension when DNS names or IP addresses are given, which is
 * what TLS clients match a host against. The result is parsed back by the JDK's
 * {@link CertificateFactory}, so a certificate this class returns is one the JDK accepts.
 *
 * <pre>{@code
 * X509Certificate cert = SelfSigned.by(keys).commonName("localhost").validity(from, to)
 *     .dnsName("localhost").ipAddress(InetAddress.getLoopbackAddress()).sign();
 * }</pre>
 */
public final class SelfSigned {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String COMMON_NAME = "2.5.4.3";
  private static final String ORGANIZATION = "2.5.4.10";
  private static final String SUBJECT_ALT_NAME = "2.5.29.17";
  private static final String SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
  private static final String SHA256_WITH_ECDSA = "1.2.840.10045.4.3.2";

  private final KeyPair keys;
  private String commonName;
  private String organization;
  private Instant notBefore;
  private Instant notAfter;
  private final List<byte[]> altNames = new ArrayList<>();

  private SelfSigned(KeyPair keys) {
    this.keys = Objects.requireNonNull(keys, "keys");
  }

  /** A certificate to be signed by, and certifying, this key pair (RSA or EC). */
  public static SelfSigned by(KeyPair keys) {
    return new SelfSigned(keys);
  }

  public SelfSigned commonName(String name) {
    this.commonName = Objects.requireNonNull(name, "name");
    return this;
  }

  public SelfSigned organization(String name) {
    this.organization = name;
    return this;
  }

  /** The validity window; one that ends before it begins is made as asked (tests of expiry need them). */
  public SelfSigned validity(Instant from, Instant until) {
    this.notBefore = from;
    this.notAfter = until;
    return this;
  }

  /** Adds a {@code dNSName} subject alternative name. */
  public SelfSigned dnsName(String name) {
    altNames.add(Der.tlv(0x82, name.getBytes(StandardCharsets.US_ASCII)));
    return this;
  }

  /** Adds an {@code iPAddress} subject alternative name (4 bytes for IPv4, 16 for IPv6). */
  public SelfSigned ipAddress(InetAddress address) {
    altNames.add(Der.implicit(7, address.getAddress()));
    return this;
  }

  public X509Certificate sign() {
    if (commonName == null || notBefore == null) {
      throw new IllegalStateException("a certificate needs a common name and a validity");
    }
    String keyAlgorithm = keys.getPublic().getAlgorithm();
    boolean ec = "EC".equals(keyAlgorithm);
    if (!ec && !"RSA".equals(keyAlgorithm)) {
      throw new IllegalArgumentException("cannot sign with a " + keyAlgorithm + " key: RSA or EC only");
    }
    // RFC 4055 gives the RSA signature algorithm a NULL parameter; RFC 5758 gives ECDSA's none.
    byte[] algorithm = ec ? Der.sequence(Der.oid(SHA256_WITH_ECDSA)) : Der.sequence(Der.oid(SHA256_WITH_RSA), Der.nul());
    byte[] name = name();
    byte[] serial = new byte[16];
    RANDOM.nextBytes(serial);
    List<byte[]> tbs = new ArrayList<>(List.of(
        Der.explicit(0, Der.integer(BigInteger.TWO)),
        Der.integer(new BigInteger(1, serial)),
        algorithm, name,
        Der.sequence(Der.time(notBefore), Der.time(notAfter)),
        name,
        keys.getPublic().getEncoded()));
    if (!altNames.isEmpty()) {
      byte[] san = Der.sequence(Der.oid(SUBJECT_ALT_NAME), Der.octets(Der.sequence(altNames.toArray(byte[][]::new))));
      tbs.add(Der.explicit(3, Der.sequence(san)));
    }
    byte[] toBeSigned = Der.sequence(tbs.toArray(byte[][]::new));
    try {
      Signature signer = Signature.getInstance(ec ? "SHA256withECDSA" : "SHA256withRSA");
      signer.initSign(keys.getPrivate());
      signer.update(toBeSigned);
      byte[] der = Der.sequence(toBeSigned, algorithm, Der.bits(signer.sign()));
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate", e);
    }
  }

  /** The distinguished name, most significant attribute first as DER orders it: O, then CN. */
  private byte[] name() {
    List<byte[]> rdns = new ArrayList<>();
    if (organization != null) {
      rdns.add(Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.utf8(organization))));
    }
    rdns.add(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(commonName))));
    return Der.sequence(rdns.toArray(byte[][]::new));
  }
}
