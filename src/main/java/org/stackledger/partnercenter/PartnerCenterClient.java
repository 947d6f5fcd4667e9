package org.stackledger.partnercenter;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.stackledger.csp.CspSubscriptions;
import org.stackledger.http.Guids;
import org.stackledger.http.Json;
import org.stackledger.http.TrustedCertificates;

/**
 * {@link CspSubscriptions} over HTTPS: asks the Partner Center endpoint's internal look-up
 * ({@code GET /internal/v1/subscriptions/{id}}), signed in with client credentials at the identity
 * endpoint for the Partner Center audience. The token is kept until five minutes before it expires.
 * Timeouts are short; a refused connection, a timeout, a 5xx, a refused sign-in or an unreadable
 * answer is {@link UnavailableException}. 404 is "unknown" (empty).
 */
public final class PartnerCenterClient implements CspSubscriptions {

  /** Where Partner Center and the identity endpoint are, and who the client signs in as. */
  public record Settings(String partnerCenterUrl, String identityUrl, String tenantId, String clientId, String clientSecret,
      String audience, Path certificate, Duration connectTimeout, Duration requestTimeout) {}

  private final Settings settings;
  private final HttpClient http;
  private volatile String token;
  private volatile Instant tokenExpires = Instant.EPOCH;

  public PartnerCenterClient(Settings settings) {
    this.settings = settings;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(settings.connectTimeout());
    if (settings.certificate() != null) {
      builder.sslContext(trusted(settings.certificate()));
    }
    this.http = builder.build();
  }

  @Override
  public Optional<CspSubscription> find(String subscriptionId) {
    if (subscriptionId == null || !Guids.isGuid(subscriptionId)) {
      return Optional.empty();
    }
    HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(base(settings.partnerCenterUrl())
            + "internal/v1/subscriptions/" + subscriptionId.toLowerCase(java.util.Locale.ROOT)))
        .header("Authorization", "Bearer " + token()).header("Accept", "application/json").GET());
    if (answer.statusCode() == 401) {
      // The token may have been refused after a key retirement: sign in again once.
      tokenExpires = Instant.EPOCH;
      answer = send(HttpRequest.newBuilder(URI.create(base(settings.partnerCenterUrl()) + "internal/v1/subscriptions/"
          + subscriptionId.toLowerCase(java.util.Locale.ROOT))).header("Authorization", "Bearer " + token())
          .header("Accept", "application/json").GET());
    }
    if (answer.statusCode() == 404) {
      return Optional.empty();
    }
    if (answer.statusCode() != 200) {
      throw new UnavailableException("Partner Center answered HTTP " + answer.statusCode() + " to the subscription look-up",
          null);
    }
    JsonNode body = read(answer.body());
    return Optional.of(new CspSubscription(body.path("subscriptionId").asText(), body.path("offerId").asText(null),
        body.path("tenantId").asText(null), body.path("billingPartnerId").asText(null), body.path("status").asText(null)));
  }

  private synchronized String token() {
    if (token != null && Instant.now().isBefore(tokenExpires)) {
      return token;
    }
    String scope = settings.audience() + (settings.audience().endsWith("/") ? ".default" : "/.default");
    String form = "grant_type=client_credentials&client_id=" + enc(settings.clientId()) + "&client_secret="
        + enc(settings.clientSecret()) + "&scope=" + enc(scope);
    HttpResponse<String> answer = send(HttpRequest.newBuilder(URI.create(base(settings.identityUrl())
            + settings.tenantId() + "/oauth2/v2.0/token"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
    if (answer.statusCode() != 200) {
      throw new UnavailableException("the identity endpoint refused the Partner Center client's sign-in (HTTP "
          + answer.statusCode() + ")", null);
    }
    JsonNode body = read(answer.body());
    token = body.path("access_token").asText();
    tokenExpires = Instant.now().plusSeconds(Math.max(0, body.path("expires_in").asLong(0) - 300));
    return token;
  }

  private HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> answer = http.send(request.timeout(settings.requestTimeout()).build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() >= 500) {
        throw new UnavailableException("Partner Center answered HTTP " + answer.statusCode(), null);
      }
      return answer;
    } catch (IOException e) {
      throw new UnavailableException("Partner Center cannot be reached: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("interrupted while asking Partner Center", e);
    }
  }

  private static JsonNode read(String body) {
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new UnavailableException("Partner Center's answer is not JSON", e);
    }
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String base(String url) {
    return url.endsWith("/") ? url : url + "/";
  }

  private static javax.net.ssl.SSLContext trusted(Path pem) {
    try {
      return TrustedCertificates.sslContext(pem);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
