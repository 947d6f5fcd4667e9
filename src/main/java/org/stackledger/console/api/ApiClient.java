package org.stackledger.console.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;
import org.stackledger.console.ConsoleSession;
import org.stackledger.http.Json;
import org.stackledger.http.TrustedCertificates;

/**
 * Calls our APIs on a signed-in person's behalf over loopback HTTPS, trusting the process's own
 * certificate. Every call carries the person's token for the API's audience; a refusal comes back as
 * an {@link ApiRefusal} with the API's own code and message, and an unreachable endpoint as a 503
 * refusal, so pages never see a transport exception. {@link #async} lets a page start several calls
 * at once and wait for all of them.
 */
public final class ApiClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  /** The refusal's code when the session cannot get a token: the person must sign in again. */
  public static final String SIGN_IN_REQUIRED = "SignInRequired";
  private final HttpClient http;

  public ApiClient(Path certificatePem) throws IOException {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .version(HttpClient.Version.HTTP_1_1);
    if (certificatePem != null) {
      SSLContext ssl = TrustedCertificates.sslContext(certificatePem);
      builder.sslContext(ssl);
    }
    this.http = builder.build();
  }

  /** What an API answered with a 2xx status. */
  public record Answer(int status, byte[] body, String contentType) {
    public JsonNode json() {
      return parse(body);
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** A GET answered as JSON, or the refusal. */
  public JsonNode get(ConsoleSession session, Api api, String pathAndQuery) {
    return join(async(session, api, "GET", pathAndQuery, null, null)).json();
  }

  /** Any call; {@code body} may be {@code null}. */
  public Answer send(ConsoleSession session, Api api, String method, String pathAndQuery, String body,
      String contentType) {
    return join(async(session, api, method, pathAndQuery, body, contentType));
  }

  /** Starts a call without waiting for it; {@link #join} waits and unwraps the refusal. */
  public CompletableFuture<Answer> async(ConsoleSession session, Api api, String method, String pathAndQuery,
      String body, String contentType) {
    Optional<String> token = session.tokens().accessToken(api.audience());
    if (token.isEmpty()) {
      return CompletableFuture.failedFuture(new ApiRefusal(401, SIGN_IN_REQUIRED,
          "Your sign-in has ended; sign in again.", null));
    }
    String path = pathAndQuery.startsWith("/") ? pathAndQuery.substring(1) : pathAndQuery;
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(api.baseUrl() + path)).timeout(TIMEOUT)
        .header("Authorization", "Bearer " + token.get()).header("Accept", "application/json, text/csv");
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request.header("Content-Type", contentType == null ? "application/json" : contentType)
          .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    }
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
        .handle((response, failure) -> {
          if (failure != null) {
            throw new ApiRefusal(503, "ApiUnreachable", "The " + api.name() + " endpoint did not answer: "
                + rootMessage(failure), null);
          }
          String type = response.headers().firstValue("Content-Type").orElse("");
          if (response.statusCode() >= 300) {
            throw refusal(response.statusCode(), response.body());
          }
          return new Answer(response.statusCode(), response.body(), type);
        });
  }

  /** Waits for a call started with {@link #async}; its refusal is thrown as itself. */
  public static Answer join(CompletableFuture<Answer> call) {
    return joined(call);
  }

  /** Waits for any work made of API calls; a refusal of one of them is thrown as itself. */
  public static <T> T joined(CompletableFuture<T> call) {
    try {
      return call.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof ApiRefusal r) {
        throw r;
      }
      throw e;
    }
  }

  /** The error envelope read: ARM's, Partner Center's, or OAuth's; anything else is named by its status. */
  static ApiRefusal refusal(int status, byte[] body) {
    JsonNode node;
    try {
      node = parse(body);
    } catch (RuntimeException notJson) {
      node = Json.object();
    }
    JsonNode arm = node.path("error");
    if (arm.isObject()) {
      java.util.List<ApiRefusal.Detail> details = new java.util.ArrayList<>();
      for (JsonNode d : arm.path("details")) {
        details.add(new ApiRefusal.Detail(d.path("code").asText(), d.path("target").asText(null), d.path("message").asText()));
      }
      return new ApiRefusal(status, arm.path("code").asText("HttpError" + status), arm.path("message").asText(""),
          arm.path("target").isMissingNode() || arm.path("target").isNull() ? null : arm.path("target").asText(), details);
    }
    if (node.has("errorName") || node.has("description")) {
      JsonNode data = node.path("data");
      return new ApiRefusal(status, node.path("errorName").asText("HttpError" + status),
          node.path("description").asText(""), data.isArray() && data.size() > 0 ? data.get(0).asText() : null);
    }
    return new ApiRefusal(status, "HttpError" + status, "The API answered " + status + ".", null);
  }

  /** Exact decimals kept: an amount of 286.70 stays 286.70, a quantity keeps its twenty digits. */
  static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return Json.object();
    }
    try {
      return Json.EXACT.readTree(body);
    } catch (IOException e) {
      throw new ApiRefusal(502, "UnreadableAnswer", "The API's answer is not JSON: " + e.getMessage(), null);
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable cause = t;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
