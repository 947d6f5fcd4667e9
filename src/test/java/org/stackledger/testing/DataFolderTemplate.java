package org.stackledger.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.stackledger.http.SelfSignedCertificate;
import org.stackledger.store.Database;

/**
 * What a test server's fresh data folder starts with: the TLS certificate and (for the embedded
 * engine) a store at the newest migration, both made once per test JVM and copied. A server finding
 * them uses them as it would its own from an earlier start, so its start skips the key generation,
 * the key store's password hashing and Flyway — together about a sixth of the suite's CPU. The
 * certificate and migration code still run here, once, and in the tests of their own.
 */
final class DataFolderTemplate {
  private static Path template;

  private DataFolderTemplate() {}

  /** Copies the certificate, and the embedded store when {@code embeddedStore}, into {@code dataDir}. */
  static void seed(Path dataDir, boolean embeddedStore) throws IOException {
    Path from = template();
    copyFolder(from.resolve("tls"), dataDir.resolve("tls"));
    if (embeddedStore) {
      copyFolder(from.resolve("db"), dataDir.resolve("db"));
    }
  }

  private static synchronized Path template() throws IOException {
    if (template == null) {
      Path dir = Files.createTempDirectory("stackledger-template");
      SelfSignedCertificate.ensure(dir);
      Database.embedded(dir).close();
      template = dir;
    }
    return template;
  }

  private static void copyFolder(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }
}
