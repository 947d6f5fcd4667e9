package org.stackledger.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfSignedCertificateTest {
  @TempDir
  Path dataDir;

  @Test
  void aClientTrustingTheExportedPemReachesAServerOfTheKeyStoreByNameAndByAddress() throws Exception {
    SelfSignedCertificate certificate = SelfSignedCertificate.ensure(dataDir);

    HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverContext(certificate.keyStore())));
    server.createContext("/", exchange -> {
      byte[] body = "hello".getBytes();
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      // The JDK client checks the chain against the PEM and the host against the subject alternative names.
      HttpClient client = HttpClient.newBuilder().sslContext(TrustedCertificates.sslContext(certificate.pem())).build();
      int port = server.getAddress().getPort();
      for (String host : new String[] {"localhost", "127.0.0.1"}) {
        HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create("https://" + host + ":" + port + "/")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(answer.body()).as(host).isEqualTo("hello");
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void laterStartsReuseTheCertificateAndTheSecretsAreTheOwnersAlone() throws Exception {
    SelfSignedCertificate first = SelfSignedCertificate.ensure(dataDir);
    String pem = Files.readString(first.pem());

    SelfSignedCertificate again = SelfSignedCertificate.ensure(dataDir);
    assertThat(Files.readString(again.pem())).isEqualTo(pem);
    assertThat(again.keyStore()).isEqualTo(first.keyStore());
    assertThat(Files.getPosixFilePermissions(first.keyStore().path()))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("tls/server.p12.password")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(dataDir.resolve("tls/server.p12.partial")).doesNotExist();
  }

  @Test
  void validityStartsFromTheWallClockGiven() throws Exception {
    Instant now = Instant.parse("2026-12-04T08:00:00Z");
    SelfSignedCertificate certificate = SelfSignedCertificate.ensure(dataDir, Clock.fixed(now, ZoneOffset.UTC));
    X509Certificate cert = (X509Certificate) keyStore(certificate.keyStore()).getCertificate("stackledger");
    assertThat(cert.getNotBefore()).isBefore(Date.from(now));
    assertThat(cert.getNotAfter()).isEqualTo(Date.from(now.plus(java.time.Duration.ofDays(825))));
  }

  private static KeyStore keyStore(HttpServer.KeyStoreFile file) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(file.path())) {
      store.load(in, file.password().toCharArray());
    }
    return store;
  }

  private static SSLContext serverContext(HttpServer.KeyStoreFile file) throws Exception {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore(file), file.password().toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }
}
