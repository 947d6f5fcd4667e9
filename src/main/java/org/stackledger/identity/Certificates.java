package org.stackledger.identity;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import org.stackledger.x509.Pem;
import org.stackledger.x509.SelfSigned;

/**
 * X.509 certificates as key credentials: a self-signed certificate (made by
 * {@link org.stackledger.x509.SelfSigned}, the program's one way of making certificates), reading one
 * from base64 DER within a size bound, and the thumbprints JWT headers name it by ({@code x5t} is
 * SHA-1, {@code x5t#S256} SHA-256, both base64url of the DER).
 */
public final class Certificates {
  /** The largest certificate accepted as a credential: room for a 4096-bit key and a few extensions. */
  private static final int MAX_DER = 16 * 1024;

  private Certificates() {}

  /** A self-signed X.509 v3 certificate, SHA256withRSA, subject and issuer {@code CN=<commonName>}. */
  public static X509Certificate selfSigned(KeyPair keys, String commonName, Instant notBefore, Instant notAfter) {
    return SelfSigned.by(keys).commonName(commonName).validity(notBefore, notAfter).sign();
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
    return Pem.certificate(certificate);
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
}
