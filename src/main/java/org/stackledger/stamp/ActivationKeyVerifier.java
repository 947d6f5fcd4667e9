package org.stackledger.stamp;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.function.Supplier;
import org.stackledger.http.TrustedCertificates;
import org.stackledger.problem.Problem;

/**
 * Checks an activation key as a deployment must: its RS256 signature against the cloud's published
 * JWKS (read over HTTPS from the cloud identity endpoint on every activation — the plane boundary,
 * even when both planes run in one process), its issuer, audience, validity period and CloudId.
 * Every refusal is an {@link Problem} naming why.
 */
public final class ActivationKeyVerifier {
  /** The audience the cloud puts in activation keys (see {@code registration.ActivationKeys}). */
  public static final String AUDIENCE = "urn:stackledger:azurestack:activation";
  static final Duration SKEW = Duration.ofMinutes(2);
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_BYTES = 512 * 1024;

  /**
   * What a verified key says; {@code bridgeAppId} and {@code bridgeTenantId} (the bridge principal's
   * client id and directory) are null in keys of earlier versions.
   */
  public record Verified(String registrationId, String registrationSubscriptionId, String cloudId, String billingModel,
      boolean usageReportingEnabled, boolean marketplaceSyndicationEnabled, String agreementNumber, String objectId,
      String keyId, Instant expiresAt, String bridgeAppId, String bridgeTenantId) {}

  private final Supplier<URI> jwks;
  private final Supplier<String> issuer;
  private final HttpClient http;
  private final Clock clock;

  /**
   * @param jwks   the cloud's published key set ({@code {identity}/{tenant}/discovery/v2.0/keys})
   * @param issuer the {@code iss} the cloud's activation keys carry
   * @param caPem  certificates to trust for the cloud's TLS, or {@code null} for the JDK's
   */
  public ActivationKeyVerifier(Supplier<URI> jwks, Supplier<String> issuer, Path caPem, Clock clock) throws IOException {
    this.jwks = jwks;
    this.issuer = issuer;
    this.clock = clock;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
    if (caPem != null) {
      b.sslContext(TrustedCertificates.sslContext(caPem));
    }
    this.http = b.build();
  }

  public Verified verify(String key, String expectedCloudId) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(key.trim());
    } catch (ParseException | RuntimeException e) {
      throw invalid("the activation key is not a signed JWT");
    }
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
      throw invalid("the activation key must be signed RS256");
    }
    String kid = jwt.getHeader().getKeyID();
    RSAKey rsa = publishedKey(kid);
    try {
      if (!jwt.verify(new RSASSAVerifier(rsa.toRSAPublicKey()))) {
        throw invalid("the activation key's signature does not verify against the cloud's published keys");
      }
    } catch (JOSEException e) {
      throw invalid("the activation key's signature does not verify against the cloud's published keys");
    }
    JWTClaimsSet c;
    try {
      c = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw invalid("the activation key's claims cannot be read");
    }
    if (!issuer.get().equals(c.getIssuer())) {
      throw invalid("the activation key was not issued by the cloud this deployment trusts");
    }
    if (c.getAudience() == null || !c.getAudience().contains(AUDIENCE)) {
      throw invalid("the activation key's audience is not " + AUDIENCE);
    }
    Instant now = clock.instant();
    Date exp = c.getExpirationTime();
    if (exp == null) {
      throw invalid("the activation key has no expiry");
    }
    if (!exp.toInstant().plus(SKEW).isAfter(now)) {
      throw Problem.invalid("ActivationKeyExpired", "properties.activationKey",
          "The activation key expired at " + exp.toInstant() + "; get a new one with getactivationkey.");
    }
    if (c.getNotBeforeTime() != null && c.getNotBeforeTime().toInstant().minus(SKEW).isAfter(now)) {
      throw invalid("the activation key is not valid before " + c.getNotBeforeTime().toInstant());
    }
    String cloudId = text(c, "cloudId");
    if (!cloudId.equalsIgnoreCase(expectedCloudId)) {
      throw Problem.conflict("ActivationKeyCloudIdMismatch", "The activation key is for CloudId [" + cloudId
          + "], not this deployment's [" + expectedCloudId + "]. Register this deployment's own registration token.");
    }
    return new Verified(text(c, "registrationId"), optional(c, "registrationSubscriptionId"),
        cloudId.toLowerCase(Locale.ROOT), text(c, "billingModel"), flag(c, "usageReportingEnabled"),
        flag(c, "marketplaceSyndicationEnabled"), optional(c, "agreementNumber"), text(c, "objectId"), c.getJWTID(), exp.toInstant(),
        optional(c, "bridgeAppId"), optional(c, "bridgeTenantId"));
  }

  private static String text(JWTClaimsSet c, String claim) {
    if (c.getClaim(claim) instanceof String s && !s.isBlank()) {
      return s;
    }
    throw invalid("the activation key has no '" + claim + "' claim");
  }

  private static String optional(JWTClaimsSet c, String claim) {
    return c.getClaim(claim) instanceof String s && !s.isBlank() ? s : null;
  }

  private static boolean flag(JWTClaimsSet c, String claim) {
    if (c.getClaim(claim) instanceof Boolean b) {
      return b;
    }
    throw invalid("the activation key's '" + claim + "' claim is not true or false");
  }

  private static Problem invalid(String why) {
    return Problem.invalid("InvalidActivationKey", "properties.activationKey", "The activation key is not valid: "
        + why + ".");
  }

  private RSAKey publishedKey(String kid) {
    URI url = jwks.get();
    JWKSet set;
    try {
      HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(url).timeout(TIMEOUT)
          .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      byte[] body;
      try (InputStream in = r.body()) {
        body = in.readNBytes(MAX_BYTES + 1);
      }
      if (r.statusCode() != 200 || body.length > MAX_BYTES) {
        throw unavailable(url + " answered " + r.statusCode());
      }
      set = JWKSet.parse(new String(body, StandardCharsets.UTF_8));
    } catch (IOException | ParseException e) {
      throw unavailable("cannot read " + url + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable("interrupted while reading " + url);
    }
    JWK jwk = kid == null ? null : set.getKeyByKeyId(kid);
    if (!(jwk instanceof RSAKey rsa)) {
      throw invalid("the activation key's signing key '" + kid + "' is not one the cloud publishes");
    }
    return rsa;
  }

  private static Problem unavailable(String why) {
    return Problem.upstreamFailed("ActivationKeysUnavailable", "The cloud's published signing keys cannot be read, so the activation key cannot be checked: " + why);
  }
}
