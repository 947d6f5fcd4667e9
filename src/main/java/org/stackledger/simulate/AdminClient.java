package org.stackledger.simulate;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.stackledger.http.Json;
import org.stackledger.http.TrustedCertificates;

/**
 * The simulator's HTTPS client of the stack admin endpoint, sending its service principal's bearer
 * token. Tokens live an hour of the deployment's clock, and the simulator moves that clock an hour at
 * a time, so it takes a new token whenever the clock has moved half a token's life.
 */
final class AdminClient {
  record Answer(int status, String body) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(body.isEmpty() ? "{}" : body);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  private static final Duration RENEW_AFTER = Duration.ofMinutes(30);

  private final HttpClient http;
  private final String adminUrl;
  private final Supplier<String> signIn;
  private final Clock clock;
  private String token;
  private Instant signedInAt;

  /** @param signIn a new access token for the stack admin endpoint, valid at the clock's time */
  AdminClient(Path certificate, String adminUrl, Supplier<String> signIn, Clock clock) throws IOException {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (certificate != null) {
      builder.sslContext(TrustedCertificates.sslContext(certificate));
    }
    this.http = builder.build();
    this.adminUrl = adminUrl.endsWith("/") ? adminUrl.substring(0, adminUrl.length() - 1) : adminUrl;
    this.signIn = signIn;
    this.clock = clock;
  }

  Answer send(String method, String pathAndQuery, String body) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(adminUrl + pathAndQuery))
        .timeout(Duration.ofSeconds(60)).header("Accept", "application/json")
        .header("Authorization", "Bearer " + token());
    if (body != null) {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), response.body());
  }

  private String token() {
    Instant now = clock.instant();
    if (token == null || now.isBefore(signedInAt) || !now.isBefore(signedInAt.plus(RENEW_AFTER))) {
      token = signIn.get();
      signedInAt = now;
    }
    return token;
  }
}
