package org.stackledger.simulate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.stackledger.http.Json;
import org.stackledger.http.TrustedCertificates;

/**
 * A service principal's sign-in at an identity endpoint's v2.0 token endpoint (client credentials),
 * over HTTPS: each {@link #get()} is a new access token, so an {@link AdminClient} can renew its
 * token as the simulated clock moves.
 */
final class SignIn implements Supplier<String> {
  private final HttpClient http;
  private final URI tokenEndpoint;
  private final String form;

  /**
   * @param identityUrl the identity endpoint's base URL, ending in {@code /}
   * @param audience    the resource the token is for; {@code /.default} is added as the scope
   * @param ca          certificates to trust, or {@code null} for the JDK's
   */
  SignIn(String identityUrl, String tenantId, String clientId, String clientSecret, String audience, Path ca)
      throws IOException {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
    if (ca != null) {
      builder.sslContext(TrustedCertificates.sslContext(ca));
    }
    this.http = builder.build();
    this.tokenEndpoint = URI.create((identityUrl.endsWith("/") ? identityUrl : identityUrl + "/") + tenantId
        + "/oauth2/v2.0/token");
    String scope = audience + (audience.endsWith("/") ? ".default" : "/.default");
    this.form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(clientSecret)
        + "&scope=" + enc(scope);
  }

  @Override
  public String get() {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(tokenEndpoint).timeout(Duration.ofSeconds(30))
          .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form))
          .build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("the sign-in at " + tokenEndpoint + " was refused (" + r.statusCode() + "): " + r.body());
      }
      return Json.MAPPER.readTree(r.body()).path("access_token").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signing in at " + tokenEndpoint, e);
    }
  }

  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
