package org.stackledger.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.stackledger.x509.Pem;
import org.stackledger.x509.SelfSigned;

/**
 * The server's own TLS identity: on first start a self-signed EC certificate for {@code localhost},
 * {@code 127.0.0.1} and {@code ::1} is made in process ({@link SelfSigned}) and kept in the data
 * folder as a PKCS12 key store, with its certificate exported as PEM so that clients (curl, the Azure
 * SDKs, our CLI) can trust it. Later starts reuse it, so clients configured once keep working.
 */
public final class SelfSignedCertificate {
  private static final String ALIAS = "stackledger";
  /** What keytool was asked for before: clients configured once keep working for a little over two years. */
  private static final Duration VALIDITY = Duration.ofDays(825);
  /** Starts a little in the past, so a client whose clock lags this machine's still accepts it. */
  private static final Duration BACKDATE = Duration.ofHours(1);

  private final HttpServer.KeyStoreFile keyStore;
  private final Path pem;

  private SelfSignedCertificate(HttpServer.KeyStoreFile keyStore, Path pem) {
    this.keyStore = keyStore;
    this.pem = pem;
  }

  public HttpServer.KeyStoreFile keyStore() {
    return keyStore;
  }

  /** The certificate in PEM, the file clients trust. */
  public Path pem() {
    return pem;
  }

  /**
   * The data folder's certificate, made on first use. Validity is on the machine's wall clock, not on
   * a test's or simulation's business clock: TLS clients check it against their own.
   */
  public static SelfSignedCertificate ensure(Path dataDir) throws IOException {
    return ensure(dataDir, Clock.systemUTC());
  }

  /** As {@link #ensure(Path)}, with the clock the validity starts from. */
  public static SelfSignedCertificate ensure(Path dataDir, Clock wallClock) throws IOException {
    Path dir = dataDir.resolve("tls");
    Path p12 = dir.resolve("server.p12");
    Path passwordFile = dir.resolve("server.p12.password");
    Path pem = dir.resolve("server.pem");
    if (!Files.exists(p12) || !Files.exists(passwordFile)) {
      Files.createDirectories(dir);
      byte[] random = new byte[18];
      new SecureRandom().nextBytes(random);
      String password = HexFormat.of().formatHex(random);
      // Written aside and moved into place: a start killed half-way leaves no key store without its password.
      Path partial = dir.resolve("server.p12.partial");
      Files.deleteIfExists(partial);
      writeKeyStore(partial, password, wallClock.instant());
      writePrivate(passwordFile, password);
      Files.move(partial, p12, StandardCopyOption.ATOMIC_MOVE);
    }
    String password = Files.readString(passwordFile).trim();
    if (!Files.exists(pem)) {
      Files.writeString(pem, Pem.certificate(read(p12, password)));
    }
    return new SelfSignedCertificate(new HttpServer.KeyStoreFile(p12, password), pem);
  }

  private static void writeKeyStore(Path target, String password, Instant now) throws IOException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = generator.generateKeyPair();
      X509Certificate certificate = SelfSigned.by(keys).commonName("localhost").organization("stackledger")
          .validity(now.minus(BACKDATE), now.plus(VALIDITY))
          .dnsName("localhost")
          .ipAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))
          .ipAddress(InetAddress.getByName("::1"))
          .sign();
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, keys.getPrivate(), password.toCharArray(), new Certificate[] {certificate});
      try (OutputStream out = Files.newOutputStream(target)) {
        store.store(out, password.toCharArray());
      }
      restrict(target);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot make the server certificate", e);
    }
  }

  private static X509Certificate read(Path p12, String password) throws IOException {
    try (InputStream in = Files.newInputStream(p12)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      return (X509Certificate) store.getCertificate(ALIAS);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the server key store " + p12, e);
    }
  }

  private static void writePrivate(Path file, String content) throws IOException {
    Files.writeString(file, content);
    restrict(file);
  }

  private static void restrict(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // Not a POSIX file system: the folder's own permissions protect it.
    }
  }
}
