package org.stackledger.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Verifies a bearer token the way Resource Manager does: an RS256 JWT (the algorithm is pinned;
 * {@code none} and HMAC are refused), signed by a key the issuer publishes under the token's
 * {@code kid}, from a trusted issuer, for one of the endpoint's audiences, inside its
 * {@code nbf}..{@code exp} window with a small clock skew.
 */
public final class TokenValidator {
  /** Clock skew tolerated on {@code nbf} and {@code exp}. */
  public static final Duration SKEW = Duration.ofMinutes(2);

  private final TrustedIssuers issuers;
  private final Supplier<Set<String>> audiences;
  private final Clock clock;

  /** @param audiences the audiences the endpoint accepts, compared without trailing slashes */
  public TokenValidator(TrustedIssuers issuers, Supplier<Set<String>> audiences, Clock clock) {
    this.issuers = issuers;
    this.audiences = audiences;
    this.clock = clock;
  }

  /** Why a token was refused; the message is safe to show the caller (it never echoes the token). */
  public static final class InvalidTokenException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidTokenException(String message) {
      super(message, null, false, false);
    }
  }

  public Caller validate(String token) throws InvalidTokenException {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      throw new InvalidTokenException("The access token is not a signed JWT.");
    }
    if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
      throw new InvalidTokenException("The access token's algorithm '" + jwt.getHeader().getAlgorithm()
          + "' is not accepted; tokens must be RS256.");
    }
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new InvalidTokenException("The access token's claims cannot be read.");
    }
    String iss = claims.getIssuer();
    TrustedIssuers.Issuer issuer = Optional.ofNullable(iss).flatMap(issuers::find)
        .orElseThrow(() -> new InvalidTokenException("The access token is from an issuer this endpoint does not trust."));
    String kid = jwt.getHeader().getKeyID();
    RSAPublicKey key = Optional.ofNullable(kid).flatMap(issuer.keys()::key)
        .orElseThrow(() -> new InvalidTokenException("The access token is signed with a key ('kid') the issuer does not publish."));
    try {
      if (!jwt.verify(new RSASSAVerifier(key))) {
        throw new InvalidTokenException("The access token's signature is invalid.");
      }
    } catch (JOSEException e) {
      throw new InvalidTokenException("The access token's signature cannot be verified.");
    }
    checkAudience(claims.getAudience());
    checkLifetime(claims);
    String tenantId = tenant(claims, issuer);
    String objectId = issuer.rules() == TrustedIssuers.ClaimRules.OIDC && optional(claims, "oid") == null
        ? claim(claims, "sub") : claim(claims, "oid");
    String appId = Optional.ofNullable(optional(claims, "appid")).orElse(optional(claims, "azp"));
    return new Caller(tenantId, objectId, appId, Optional.ofNullable(optional(claims, "upn")), iss);
  }

  /**
   * The token's tenant: its {@code tid}, which must be the issuer's tenant. Only an external OIDC
   * issuer that stands for a known tenant may leave {@code tid} out (AD FS never sends one).
   */
  private static String tenant(JWTClaimsSet claims, TrustedIssuers.Issuer issuer) throws InvalidTokenException {
    String tid = optional(claims, "tid");
    if (tid == null && issuer.rules() == TrustedIssuers.ClaimRules.OIDC && issuer.tenantId() != null) {
      return issuer.tenantId().toLowerCase(java.util.Locale.ROOT);
    }
    tid = claim(claims, "tid");
    if (issuer.tenantId() != null && !tid.equalsIgnoreCase(issuer.tenantId())) {
      throw new InvalidTokenException("The access token's tenant does not match its issuer.");
    }
    return tid.toLowerCase(java.util.Locale.ROOT);
  }

  private void checkAudience(List<String> tokenAudiences) throws InvalidTokenException {
    Set<String> accepted = audiences.get().stream().map(TokenValidator::trim).collect(Collectors.toSet());
    for (String aud : tokenAudiences) {
      if (accepted.contains(trim(aud))) {
        return;
      }
    }
    throw new InvalidTokenException("The access token's audience is not this endpoint.");
  }

  private void checkLifetime(JWTClaimsSet claims) throws InvalidTokenException {
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    Date nbf = claims.getNotBeforeTime();
    if (exp == null || claims.getIssueTime() == null) {
      throw new InvalidTokenException("The access token has no expiry or issue time.");
    }
    if (exp.toInstant().plus(SKEW).isBefore(now)) {
      throw new InvalidTokenException("The access token has expired.");
    }
    if (nbf != null && nbf.toInstant().minus(SKEW).isAfter(now)) {
      throw new InvalidTokenException("The access token is not yet valid.");
    }
  }

  static String trim(String audience) {
    String a = audience.trim();
    while (a.endsWith("/")) {
      a = a.substring(0, a.length() - 1);
    }
    return a.toLowerCase(java.util.Locale.ROOT);
  }

  private static String claim(JWTClaimsSet claims, String name) throws InvalidTokenException {
    String value = optional(claims, name);
    if (value == null || value.isBlank()) {
      throw new InvalidTokenException("The access token has no '" + name + "' claim.");
    }
    return value;
  }

  private static String optional(JWTClaimsSet claims, String name) {
    Object value = claims.getClaim(name);
    return value instanceof String s ? s : null;
  }
}
