package org.stackledger.bridge;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.stackledger.http.TrustedCertificates;

/**
 * The commerce intake over HTTPS (java.net.http), trusting a given CA certificate — the cloud's own
 * self-signed one when both planes come from one install — or the JDK's. Bounded in time, so a cloud
 * that stops answering is an unreachable cloud, retried later, not a pass that hangs.
 */
public final class HttpsCommerceTarget implements CommerceTarget {
  private static final Duration CONNECT = Duration.ofSeconds(10);
  /** A part of 5,000 records is a few megabytes; a minute is room for a slow link, not for a hung one. */
  private static final Duration REQUEST = Duration.ofSeconds(60);
  private static final int MAX_ANSWER = 64 * 1024;

  private final HttpClient http;

  /** @param caPem certificates to trust for the cloud's TLS, or {@code null} for the JDK's */
  public HttpsCommerceTarget(Path caPem) throws IOException {
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(CONNECT).followRedirects(HttpClient.Redirect.NEVER);
    if (caPem != null) {
      b.sslContext(TrustedCertificates.sslContext(caPem));
    }
    this.http = b.build();
  }

  @Override
  public Answer upload(URI url, String bearer, byte[] json) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(REQUEST)
        .header("Authorization", "Bearer " + bearer)
        .header("Content-Type", "application/json; charset=utf-8")
        .header("Accept", "application/json")
        .header("x-ms-client-request-id", UUID.randomUUID().toString())
        .POST(HttpRequest.BodyPublishers.ofByteArray(json)).build();
    try {
      HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
      byte[] body;
      try (InputStream in = r.body()) {
        body = in.readNBytes(MAX_ANSWER);
      }
      return new Answer(r.statusCode(), new String(body, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while uploading to " + url);
    }
  }
}
