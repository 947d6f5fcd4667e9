package org.stackledger.directory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Mints access tokens shaped like Microsoft Entra ID's: RS256 JWTs with {@code iss}, {@code aud},
 * {@code tid}, {@code oid}, {@code sub}, {@code appid} (v1) or {@code azp} (v2), {@code iat},
 * {@code nbf} and {@code exp}. The issuer is {@code {identity}/{tenantId}/} for tokens from the v1
 * endpoint and {@code {identity}/{tenantId}/v2.0} from the v2 endpoint, as Entra does.
 */
public final class TokenIssuer {
  /** How long an access token lives. */
  public static final Duration LIFETIME = Duration.ofHours(1);

  private final SigningKeys keys;
  private final Supplier<String> identityUrl;
  private final Clock clock;

  /** @param identityUrl the identity endpoint's base URL, with a trailing slash */
  public TokenIssuer(SigningKeys keys, Supplier<String> identityUrl, Clock clock) {
    this.keys = keys;
    this.identityUrl = identityUrl;
    this.clock = clock;
  }

  /** The token protocol version: which endpoint was asked, which issuer and claims follow. */
  public enum Version { V1, V2 }

  public String issuer(String tenantId, Version version) {
    return identityUrl.get() + tenantId + (version == Version.V1 ? "/" : "/v2.0");
  }

  /** A token and when it expires. */
  public record Token(String accessToken, Instant expiresOn, Instant notBefore) {}

  /**
   * @param tenantId  the tenant the token is issued in (the caller's own or one it is a guest of)
   * @param audience  the resource the token is for
   * @param clientId  the application the principal signed in through
   */
  public Token issue(Principal principal, String tenantId, String audience, String clientId, Version version) {
    Instant now = clock.instant();
    Instant exp = now.plus(LIFETIME);
    JWTClaimsSet.Builder claims = common(principal, tenantId, audience, version, now)
        .jwtID(UUID.randomUUID().toString())
        .claim(version == Version.V1 ? "appid" : "azp", clientId)
        .claim("ver", version == Version.V1 ? "1.0" : "2.0")
        .claim("idtyp", principal.kind() == Principal.Kind.User ? "user" : "app")
        .claim("name", principal.displayName());
    principal.upn().ifPresent(upn -> claims.claim("upn", upn).claim("unique_name", upn));
    return new Token(sign(claims.build()), exp, now);
  }

  /**
   * An OpenID Connect id token for the client the user signed in to, shaped as Entra's: {@code aud} the
   * client id, {@code iss} the discovery document's issuer, {@code nonce} as the authorize request
   * sent it, {@code preferred_username} the sign-in name. Signed like access tokens, so it verifies
   * against the same JWKS.
   */
  public String idToken(Principal principal, String tenantId, String clientId, String nonce, Version version) {
    JWTClaimsSet.Builder claims = common(principal, tenantId, clientId, version, clock.instant())
        .claim("name", principal.displayName())
        .claim("ver", version == Version.V1 ? "1.0" : "2.0");
    principal.upn().ifPresent(upn -> claims.claim("preferred_username", upn).claim("upn", upn));
    if (nonce != null) {
      claims.claim("nonce", nonce);
    }
    return sign(claims.build());
  }

  /** What access and id tokens share: issuer, audience, the principal, the directory and an hour's validity from now. */
  private JWTClaimsSet.Builder common(Principal principal, String tenantId, String audience, Version version, Instant now) {
    return new JWTClaimsSet.Builder()
        .issuer(issuer(tenantId, version))
        .audience(audience)
        .subject(principal.objectId())
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(LIFETIME)))
        .claim("tid", tenantId)
        .claim("oid", principal.objectId());
  }

  /**
   * Signs other claims with the active token key (RS256, with its {@code kid}), so they verify
   * against the identity endpoint's JWKS like a token; e.g. a registration's activation key.
   */
  public String sign(JWTClaimsSet claims) {
    RSAKey key = keys.signingKey();
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
          .keyID(key.getKeyID()).build(), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign", e);
    }
  }
}
