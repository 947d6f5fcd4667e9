package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.stackledger.http.Json;
import org.stackledger.http.TrustedCertificates;

/**
 * The CLI's HTTP client for a running server: it reads {@code endpoints.json} from the data folder,
 * trusts the server's own certificate and sends the bearer token of the signed-in profile.
 */
final class ArmClient {
  /** The answer of one call. */
  record Answer(int status, String body) {}

  /** No server answered at an address: nothing listens there, or the connection timed out. */
  static final class Unreachable extends IOException {
    private static final long serialVersionUID = 1L;
    private final String address;

    Unreachable(URI uri, IOException cause) {
      super("cannot reach " + uri.getScheme() + "://" + uri.getAuthority(), cause);
      this.address = uri.getScheme() + "://" + uri.getAuthority();
    }

    /** The scheme, host and port tried. */
    String address() {
      return address;
    }
  }

  /** Sends, telling a server that is not there apart from other I/O failures. */
  private HttpResponse<String> exchange(HttpRequest request) throws IOException, InterruptedException {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
      throw new Unreachable(request.uri(), e);
    }
  }

  private final HttpClient http;
  private final String token;

  private ArmClient(HttpClient http, String token) {
    this.http = http;
    this.token = token;
  }

  /** The endpoints a running server wrote, or an explanation of why there are none. */
  static JsonNode endpoints(Path dataDir) throws IOException {
    Path file = dataDir.resolve("endpoints.json");
    if (!Files.exists(file)) {
      throw new IOException("no server has run with data folder " + dataDir.toAbsolutePath()
          + " (no endpoints.json); start one with 'stackledger serve --data-dir " + dataDir + "', or, if the server "
          + "runs with another data folder, pass --data-dir DIR or export STACKLEDGER_HOME=DIR (or pass --endpoint)");
    }
    return Json.MAPPER.readTree(file.toFile());
  }

  static ArmClient create(Path certificate) throws IOException {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (certificate != null) {
      builder.sslContext(TrustedCertificates.sslContext(certificate));
    }
    return new ArmClient(builder.build(), null);
  }

  /** The same client sending {@code Authorization: Bearer <token>}. */
  ArmClient withToken(String bearer) {
    return new ArmClient(http, bearer);
  }

  /** Posts a form, as OAuth token requests are sent. */
  Answer form(URI uri, java.util.Map<String, String> fields) throws IOException, InterruptedException {
    StringBuilder body = new StringBuilder();
    fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
        .append(java.net.URLEncoder.encode(k, java.nio.charset.StandardCharsets.UTF_8)).append('=')
        .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    HttpResponse<String> response = exchange(request);
    return new Answer(response.statusCode(), response.body());
  }

  Answer send(String method, URI uri, String body) throws IOException, InterruptedException {
    return send(method, uri, body, "application/json");
  }

  /** A request whose body (if any) is of another media type, such as a {@code text/csv} file. */
  Answer send(String method, URI uri, String body, String contentType) throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
        .header("x-ms-client-request-id", UUID.randomUUID().toString())
        .header("Accept", "application/json");
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> response = exchange(request.build());
    return new Answer(response.statusCode(), response.body());
  }
}
