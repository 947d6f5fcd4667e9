package org.stackledger.stamp;

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
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.stackledger.http.Guids;
import org.stackledger.http.Json;
import org.stackledger.http.TrustedCertificates;
import org.stackledger.problem.Problem;

/**
 * Resolves a directory's tenant id as {@code Register-AzsGuestDirectoryTenant} does: reads
 * {@code {loginEndpoint}/{name}/.well-known/openid-configuration} over HTTPS and takes the first path
 * segment of its {@code token_endpoint}. The login endpoint is the identity endpoint, read over the
 * network even when it is this process (the plane boundary).
 */
public final class TenantDiscovery {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final Supplier<String> loginEndpoint;
  private final HttpClient http;

  /** @param loginEndpoint with a trailing slash; @param caPem certificates to trust, or null for the JDK's */
  public TenantDiscovery(Supplier<String> loginEndpoint, Path caPem) throws IOException {
    this.loginEndpoint = loginEndpoint;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
    if (caPem != null) {
      b.sslContext(TrustedCertificates.sslContext(caPem));
    }
    this.http = b.build();
  }

  /** The directory's tenant id (lower case), or empty when the identity endpoint does not know it. */
  public Optional<String> tenantId(String name) {
    URI url = URI.create(loginEndpoint.get() + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20")
        + "/.well-known/openid-configuration");
    HttpResponse<byte[]> r;
    try {
      r = http.send(HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw unavailable(url + " could not be read (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted reading " + url);
    }
    if (r.statusCode() == 400 || r.statusCode() == 404) {
      return Optional.empty();
    }
    if (r.statusCode() != 200 || r.body().length > 512 * 1024) {
      throw unavailable(url + " answered " + r.statusCode());
    }
    try {
      JsonNode doc = Json.MAPPER.readTree(r.body());
      String path = URI.create(doc.path("token_endpoint").asText("")).getPath();
      String first = path == null ? "" : path.replaceFirst("^/+", "").split("/", 2)[0];
      if (!Guids.isGuid(first)) {
        throw unavailable(url + " names no tenant id in its token_endpoint");
      }
      return Optional.of(first.toLowerCase(Locale.ROOT));
    } catch (IOException | IllegalArgumentException e) {
      throw unavailable(url + " is not an OpenID configuration");
    }
  }

  private static Problem unavailable(String why) {
    return Problem.upstreamFailed("DirectoryTenantDiscoveryFailed", "The directory's tenant id could not be resolved: "
        + why + ".");
  }
}
