package org.stackledger.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.stackledger.http.TrustedCertificates;

/**
 * Reads an OIDC issuer's published documents over HTTPS: the discovery document for its
 * {@code issuer} and {@code jwks_uri}, then the JWKS for its RSA signing keys. Every failure is an
 * {@link IssuerUnavailable}, which callers turn into a refused token rather than a server error.
 */
final class OidcDocuments {
  /** Discovery documents and key sets are a few kilobytes; a larger answer is not one of them. */
  private static final int MAX_BYTES = 512 * 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** What the issuer publishes: its exact issuer string and its RSA keys by {@code kid}. */
  record Published(String issuer, Map<String, RSAPublicKey> keys) {}

  /** The issuer cannot be read right now (unreachable, refusing, or answering nonsense). */
  static final class IssuerUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IssuerUnavailable(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  private final HttpClient http;

  OidcDocuments(HttpClient http) {
    this.http = http;
  }

  /** A client trusting the certificates in {@code caPem}, or the JDK's trust store when it is {@code null}. */
  static HttpClient client(Path caPem) throws IOException {
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT)
        .followRedirects(HttpClient.Redirect.NEVER);
    if (caPem != null) {
      builder.sslContext(TrustedCertificates.sslContext(caPem));
    }
    return builder.build();
  }

  /**
   * Refuses URLs whose answers an attacker on the network could forge: keys must come over HTTPS,
   * except from this machine (tests and a co-located issuer).
   */
  static void requireSafe(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!url.isAbsolute() || url.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
      throw new IllegalArgumentException("'" + url + "' is not an absolute https URL");
    }
    if (scheme.equals("http") && !loopback(url.getHost())) {
      throw new IllegalArgumentException("'" + url + "' must use https (plain http only on this machine)");
    }
  }

  private static boolean loopback(String host) {
    try {
      return host.equalsIgnoreCase("localhost") || InetAddress.getByName(host.replaceAll("^\\[|]$", "")).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  Published fetch(URI discovery) {
    Map<String, Object> config = json(discovery);
    String issuer = text(config, "issuer", discovery);
    URI jwksUri;
    try {
      jwksUri = URI.create(text(config, "jwks_uri", discovery));
      requireSafe(jwksUri);
    } catch (IllegalArgumentException e) {
      throw new IssuerUnavailable("the jwks_uri of " + discovery + " is not usable: " + e.getMessage(), e);
    }
    Map<String, RSAPublicKey> keys = new HashMap<>();
    try {
      for (JWK jwk : JWKSet.parse(json(jwksUri)).getKeys()) {
        // Only RSA signing keys verify RS256 tokens; encryption keys and keys without a kid are skipped.
        if (jwk instanceof RSAKey rsa && jwk.getKeyID() != null
            && (jwk.getKeyUse() == null || KeyUse.SIGNATURE.equals(jwk.getKeyUse()))) {
          keys.put(jwk.getKeyID(), rsa.toRSAPublicKey());
        }
      }
    } catch (ParseException | JOSEException e) {
      throw new IssuerUnavailable(jwksUri + " is not a JSON Web Key Set: " + e.getMessage(), e);
    }
    return new Published(issuer, Map.copyOf(keys));
  }

  private Map<String, Object> json(URI url) {
    try {
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(url).timeout(TIMEOUT)
          .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      byte[] body;
      try (InputStream in = r.body()) {
        body = in.readNBytes(MAX_BYTES + 1);
      }
      if (r.statusCode() != 200) {
        throw new IssuerUnavailable(url + " answered " + r.statusCode(), null);
      }
      if (body.length > MAX_BYTES) {
        throw new IssuerUnavailable(url + " answered more than " + MAX_BYTES + " bytes", null);
      }
      return JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IssuerUnavailable("cannot read " + url + ": " + e, e);
    } catch (ParseException e) {
      throw new IssuerUnavailable(url + " did not answer a JSON object", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IssuerUnavailable("interrupted while reading " + url, e);
    }
  }

  private static String text(Map<String, Object> json, String field, URI from) {
    if (json.get(field) instanceof String s && !s.isBlank()) {
      return s;
    }
    throw new IssuerUnavailable(from + " has no '" + field + "'", null);
  }
}
