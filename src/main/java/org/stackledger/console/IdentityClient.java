package org.stackledger.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.stackledger.http.Json;
import org.stackledger.http.TrustedCertificates;

/**
 * The console's calls to the identity endpoint as its confidential client, over real HTTPS (trusting
 * the process's own certificate): the token endpoint's grants, and the checks an OpenID Connect
 * client makes of an id token — signature against the keys the tenant's discovery document names,
 * {@code iss} equal to the discovery's issuer, {@code aud} our client id, the {@code nonce} we sent,
 * and {@code exp}.
 */
final class IdentityClient {
  private static final Duration SKEW = Duration.ofMinutes(2);
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final SignInSite site;
  private final HttpClient http;
  /** Each directory signed in at: a few (the home, the partners', the customers'), all real tenants. */
  private final Map<String, org.stackledger.identity.OidcIssuer> directories =
      new java.util.concurrent.ConcurrentHashMap<>();

  IdentityClient(SignInSite site) throws Exception {
    this.site = site;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
    if (site.certificatePem() != null) {
      b.sslContext(TrustedCertificates.sslContext(site.certificatePem()));
    }
    this.http = b.build();
  }

  /** A token endpoint's answer: 200 with tokens, or the OAuth error it gave. */
  record Answer(int status, JsonNode body) {
    boolean ok() {
      return status == 200;
    }

    String error() {
      return body.path("error").asText("server_error");
    }

    String description() {
      return body.path("error_description").asText("The identity endpoint answered " + status + ".");
    }
  }

  /** A grant at {@code {identity}{tenant}/oauth2/v2.0/token}, authenticated with the console's secret. */
  Answer token(String tenant, Map<String, String> grant) throws Exception {
    Map<String, String> form = new LinkedHashMap<>(grant);
    form.put("client_id", site.clientId());
    form.put("client_secret", site.clientSecret());
    StringBuilder body = new StringBuilder();
    form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(enc(k)).append('=').append(enc(v)));
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(site.identityUrl() + enc(tenant)
            + "/oauth2/v2.0/token")).timeout(TIMEOUT).header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofByteArray());
    JsonNode json;
    try {
      json = Json.EXACT.readTree(r.body());
    } catch (Exception e) {
      json = Json.object();
    }
    return new Answer(r.statusCode(), json == null ? Json.object() : json);
  }

  /** Why an id token was refused; the message is shown on the console's error page. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message, null, false, false);
    }
  }

  /** The id token's claims once it has passed every check. */
  JWTClaimsSet verifyIdToken(String idToken, String tenant, String nonce, Instant now) throws Exception {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(idToken);
    } catch (java.text.ParseException e) {
      throw new Refused("The id token is not a signed JWT.");
    }
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
      throw new Refused("The id token is not signed with RS256.");
    }
    // The directory's issuer and keys, read from its discovery document once and kept (refreshed
    // hourly, and at once for a key id not yet seen, as the identity endpoint rotates keys).
    org.stackledger.identity.OidcIssuer directory = directories.computeIfAbsent(tenant.toLowerCase(Locale.ROOT), t -> {
      try {
        return org.stackledger.identity.OidcIssuer.create(site.identityUrl() + enc(t) + "/v2.0", site.certificatePem(),
            null, com.github.benmanes.caffeine.cache.Ticker.systemTicker());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    String kid = jwt.getHeader().getKeyID();
    var key = kid == null ? Optional.<java.security.interfaces.RSAPublicKey>empty() : directory.key(kid);
    if (key.isEmpty() || !jwt.verify(new RSASSAVerifier(key.get()))) {
      throw new Refused("The id token's signature does not verify against the identity endpoint's keys.");
    }
    JWTClaimsSet claims = jwt.getJWTClaimsSet();
    if (claims.getIssuer() == null || directory.find(claims.getIssuer()).isEmpty()) {
      throw new Refused("The id token's issuer '" + claims.getIssuer() + "' is not the directory's.");
    }
    if (claims.getAudience() == null || !claims.getAudience().contains(site.clientId())) {
      throw new Refused("The id token is for another client.");
    }
    if (!nonce.equals(claims.getStringClaim("nonce"))) {
      throw new Refused("The id token's nonce is not the one this sign-in sent.");
    }
    if (claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().plus(SKEW).isAfter(now)) {
      throw new Refused("The id token has expired.");
    }
    return claims;
  }

  static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
