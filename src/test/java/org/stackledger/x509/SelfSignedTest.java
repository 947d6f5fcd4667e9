package org.stackledger.x509;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

class SelfSignedTest {
  private static final Instant FROM = Instant.parse("2026-12-01T00:00:00Z");
  private static final Instant UNTIL = FROM.plus(Duration.ofDays(30));

  @Test
  void anRsaCertificateIsOneTheJdkParsesAndItsOwnKeyVerifies() throws Exception {
    KeyPair keys = rsa(2048);
    X509Certificate cert = SelfSigned.by(keys).commonName("test client").validity(FROM, UNTIL).sign();

    X509Certificate parsed = reparse(cert);
    parsed.verify(keys.getPublic());
    assertThat(parsed.getVersion()).isEqualTo(3);
    assertThat(parsed.getSigAlgName()).isEqualTo("SHA256withRSA");
    assertThat(parsed.getSubjectX500Principal().getName()).isEqualTo("CN=test client");
    assertThat(parsed.getIssuerX500Principal()).isEqualTo(parsed.getSubjectX500Principal());
    assertThat(parsed.getNotBefore()).isEqualTo(Date.from(FROM));
    assertThat(parsed.getNotAfter()).isEqualTo(Date.from(UNTIL));
    assertThat(parsed.getPublicKey()).isEqualTo(keys.getPublic());
    assertThat(parsed.getSubjectAlternativeNames()).isNull();
  }

  @Test
  void anEcCertificateCarriesItsSubjectAlternativeNames() throws Exception {
    KeyPair keys = ec();
    X509Certificate cert = SelfSigned.by(keys).commonName("localhost").organization("stackledger").validity(FROM, UNTIL)
        .dnsName("localhost").ipAddress(InetAddress.getByName("127.0.0.1")).ipAddress(InetAddress.getByName("::1"))
        .sign();

    X509Certificate parsed = reparse(cert);
    parsed.verify(keys.getPublic());
    assertThat(parsed.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(parsed.getSubjectX500Principal().getName()).isEqualTo("CN=localhost,O=stackledger");
    assertThat(parsed.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
        List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
  }

  @Test
  void longLengthsAndDatesFrom2050AreEncodedAsDerRequires() throws Exception {
    // A 4096-bit key makes the certificate longer than 255 bytes (the two-byte length form), and
    // RFC 5280 switches from UTCTime to GeneralizedTime in 2050.
    KeyPair keys = rsa(4096);
    Instant late = Instant.parse("2051-06-30T12:34:56Z");
    X509Certificate parsed = reparse(SelfSigned.by(keys).commonName("Azure Bridge ünïcode").validity(FROM, late).sign());

    parsed.verify(keys.getPublic());
    assertThat(parsed.getEncoded().length).isGreaterThan(1000);
    assertThat(parsed.getNotAfter()).isEqualTo(Date.from(late));
    assertThat(parsed.getSubjectX500Principal().getName()).isEqualTo("CN=Azure Bridge ünïcode");
  }

  @Test
  void eachCertificateHasItsOwnPositiveSerial() throws Exception {
    KeyPair keys = ec();
    X509Certificate a = SelfSigned.by(keys).commonName("a").validity(FROM, UNTIL).sign();
    X509Certificate b = SelfSigned.by(keys).commonName("a").validity(FROM, UNTIL).sign();
    assertThat(a.getSerialNumber()).isPositive().isNotEqualTo(b.getSerialNumber());
  }

  @Test
  void pemIsReadBackToTheSameCertificate() throws Exception {
    X509Certificate cert = SelfSigned.by(ec()).commonName("pem").validity(FROM, UNTIL).sign();
    String pem = Pem.certificate(cert);
    assertThat(pem).startsWith("-----BEGIN CERTIFICATE-----\n").endsWith("\n-----END CERTIFICATE-----\n");
    assertThat(CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem.getBytes())))
        .isEqualTo(cert);
  }

  private static X509Certificate reparse(X509Certificate cert) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(cert.getEncoded()));
  }

  static KeyPair rsa(int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    return g.generateKeyPair();
  }

  static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }
}
