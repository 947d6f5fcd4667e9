package org.stackledger.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server's own TLS identity: on first start a self-signed EC certificate for {@code localhost}
 * and {@code 127.0.0.1} is made with the JDK's keytool and kept in the data folder, with its
 * certificate exported as PEM so that clients (curl, the Azure SDKs, our CLI) can trust it. Later
 * starts reuse it, so clients configured once keep working.
 */
public final class SelfSignedCertificate {
  private static final String ALIAS = "stackledger";

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

  public static SelfSignedCertificate ensure(Path dataDir) throws IOException {
    Path dir = dataDir.resolve("tls");
    Path p12 = dir.resolve("server.p12");
    Path passwordFile = dir.resolve("server.p12.password");
    Path pem = dir.resolve("server.pem");
    if (!Files.exists(p12) || !Files.exists(passwordFile)) {
      Files.createDirectories(dir);
      byte[] random = new byte[18];
      new SecureRandom().nextBytes(random);
      String password = HexFormat.of().formatHex(random);
      Path partial = dir.resolve("server.p12.partial");
      Files.deleteIfExists(partial);
      runKeytool(partial, password);
      writePrivate(passwordFile, password);
      Files.move(partial, p12, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    String password = Files.readString(passwordFile).trim();
    if (!Files.exists(pem)) {
      Files.writeString(pem, toPem(p12, password));
    }
    return new SelfSignedCertificate(new HttpServer.KeyStoreFile(p12, password), pem);
  }

  private static void runKeytool(Path target, String password) throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS,
        "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "825",
        "-dname", "CN=localhost, O=stackledger", "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:0:0:0:0:0:0:0:1",
        "-storetype", "PKCS12", "-keystore", target.toString(), "-storepass", password, "-keypass", password);
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (InputStream out = process.getInputStream()) {
      String output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IOException("keytool could not make the server certificate: " + output.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making the server certificate", e);
    }
  }

  private static String toPem(Path p12, String password) throws IOException {
    try (InputStream in = Files.newInputStream(p12)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      Certificate cert = store.getCertificate(ALIAS);
      String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot read the server key store " + p12, e);
    }
  }

  private static void writePrivate(Path file, String content) throws IOException {
    Files.writeString(file, content);
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException ignored) {
      // Not a POSIX file system: the folder's own permissions protect it.
    }
  }
}
