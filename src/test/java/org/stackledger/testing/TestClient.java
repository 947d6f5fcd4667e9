package org.stackledger.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A small HTTP client for tests: it trusts the server's own certificate, sends a bearer token when
 * given one ({@link #withToken}), and returns status, headers and the body parsed as JSON when it is
 * JSON.
 */
public final class TestClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final HttpClient http;
  private final Map<String, String> defaultHeaders = new LinkedHashMap<>();

  /**
   * HTTP clients by the certificate they trust (its PEM text; "" for none), the few most recent kept.
   * Clients of one server share one, and so its pooled connections and TLS sessions: a handshake per
   * client was a fifth of the suite's CPU. A dropped client's selector thread ends when it is collected.
   */
  private static final Map<String, HttpClient> SHARED = java.util.Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HttpClient> eldest) {
          return size() > 8;
        }
      });

  static {
    // A pooled connection the server closed for idling (Jetty: 30 s) can be taken for a request in the
    // moment before the client notices; the JDK's client then sends again only GETs, and a POST fails
    // with "header parser received no bytes" although the server never saw it. Tests that wait on a
    // broker's restart idle that long; sending again is what a real client's retry does.
    System.setProperty("jdk.httpclient.enableAllMethodRetry", "true");
  }

  public TestClient(String baseUrl, Path certificate) throws IOException {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.http = shared(certificate);
  }

  private static HttpClient shared(Path certificate) throws IOException {
    String pem = certificate == null ? "" : Files.readString(certificate);
    synchronized (SHARED) {
      HttpClient client = SHARED.get(pem);
      if (client == null) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (certificate != null) {
          builder.sslContext(trusting(certificate));
        }
        client = builder.build();
        SHARED.put(pem, client);
      }
      return client;
    }
  }

  /** A copy of this client that sends {@code Authorization: Bearer <token>}. */
  public TestClient withToken(String token) {
    TestClient copy = new TestClient(this);
    copy.defaultHeaders.put("Authorization", "Bearer " + token);
    return copy;
  }

  /** Posts an {@code application/x-www-form-urlencoded} body, as OAuth token requests are sent. */
  public Response form(String path, Map<String, String> fields) {
    StringBuilder body = new StringBuilder();
    fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
        .append(java.net.URLEncoder.encode(k, java.nio.charset.StandardCharsets.UTF_8)).append('=')
        .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
    return send("POST", path, body.toString(), Map.of("Content-Type", "application/x-www-form-urlencoded"));
  }

  /** An SSL context that trusts exactly the given PEM certificate. */
  public static SSLContext trusting(Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException(e);
    }
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** A copy of this client without the default Authorization header. */
  public TestClient anonymous() {
    TestClient copy = new TestClient(this);
    copy.defaultHeaders.remove("Authorization");
    return copy;
  }

  private TestClient(TestClient other) {
    this.baseUrl = other.baseUrl;
    this.http = other.http;
    this.defaultHeaders.putAll(other.defaultHeaders);
  }

  /** One answer. {@code json} is null when the body is empty or not JSON. */
  public record Response(int status, Map<String, String> headers, String body, JsonNode json) {
    public String header(String name) {
      return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** The ARM error code of an error answer. */
    public String errorCode() {
      return json == null ? null : json.path("error").path("code").asText(null);
    }

    public String errorTarget() {
      return json == null ? null : json.path("error").path("target").asText(null);
    }
  }

  public Response get(String pathAndQuery) {
    return send("GET", pathAndQuery, null, Map.of());
  }

  public Response delete(String pathAndQuery) {
    return send("DELETE", pathAndQuery, null, Map.of());
  }

  public Response put(String pathAndQuery, String jsonBody) {
    return send("PUT", pathAndQuery, jsonBody, Map.of("Content-Type", "application/json"));
  }

  public Response patch(String pathAndQuery, String jsonBody) {
    return send("PATCH", pathAndQuery, jsonBody, Map.of("Content-Type", "application/json"));
  }

  public Response post(String pathAndQuery, String jsonBody) {
    return send("POST", pathAndQuery, jsonBody, jsonBody == null ? Map.of() : Map.of("Content-Type", "application/json"));
  }

  /**
   * Sends a request. {@code pathAndQuery} is appended to the base URL as given, or used whole when it
   * is absolute (a {@code nextLink}).
   */
  public Response send(String method, String pathAndQuery, String body, Map<String, String> headers) {
    String url = pathAndQuery.startsWith("http") ? pathAndQuery : baseUrl + pathAndQuery;
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    defaultHeaders.forEach(request::header);
    headers.forEach(request::setHeader);
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      Map<String, String> h = new LinkedHashMap<>();
      response.headers().map().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
      JsonNode json = null;
      if (!response.body().isEmpty() && h.getOrDefault("content-type", "").contains("json")) {
        json = JSON.readTree(response.body());
      }
      return new Response(response.statusCode(), h, response.body(), json);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
