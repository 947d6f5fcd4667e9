package org.stackledger.directory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.stackledger.problem.Problem;

/**
 * {@code private_key_jwt} (RFC 7523, as Entra ID takes it): the client proves itself with a JWT it
 * signed with the key of one of its registered certificates, named in the header by {@code x5t}
 * (SHA-1), {@code x5t#S256} or {@code kid} (either thumbprint, base64url or hex). The claims must
 * name the client ({@code iss} = {@code sub} = client id), this tenant's token endpoint
 * ({@code aud}), and a validity of at most an hour. A valid assertion may be presented again while
 * it lives, as Entra ID allows (MSAL reuses them): its short life bounds the replay, and it only
 * ever travels over TLS to us.
 */
final class ClientAssertions {
  static final String TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
  static final Duration MAX_LIFETIME = Duration.ofHours(1);
  /** Clock skew tolerated between the client and us, as Entra ID does. */
  static final Duration SKEW = Duration.ofMinutes(5);
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.PS256);

  private final Directory directory;
  private final Supplier<String> identityUrl;
  private final Clock clock;

  ClientAssertions(Directory directory, Supplier<String> identityUrl, Clock clock) {
    this.directory = directory;
    this.identityUrl = identityUrl;
    this.clock = clock;
  }

  /** The client an assertion says it is from ({@code iss}), for a request that sends no client_id. */
  static Optional<String> claimedClient(String assertion) {
    try {
      return Optional.ofNullable(SignedJWT.parse(assertion.trim()).getJWTClaimsSet().getIssuer());
    } catch (ParseException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Checks the assertion of a principal already found by its client id; refusals are 401 invalid_client. */
  void verify(Principal principal, DirectoryTenant tenant, String clientId, String assertion) {
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(assertion.trim());
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      throw refused(50027, "JWT token is invalid or malformed: the client_assertion is not a signed JWT.");
    }
    if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
      throw refused(50027, "The client assertion must be signed RS256 or PS256, not " + jwt.getHeader().getAlgorithm() + ".");
    }
    if (!clientId.equalsIgnoreCase(String.valueOf(claims.getIssuer()))
        || !clientId.equalsIgnoreCase(String.valueOf(claims.getSubject()))) {
      throw refused(700021, "Client assertion application identifier doesn't match 'client_id' parameter: "
          + "iss and sub must both be '" + clientId + "'.");
    }
    List<String> named = thumbprints(jwt.getHeader());
    if (named.isEmpty()) {
      throw refused(700027, "The client assertion names no certificate: put x5t, x5t#S256 or kid in its header.");
    }
    X509Certificate certificate = named.stream().map(t -> directory.keyCredential(principal, t))
        .flatMap(Optional::stream).findFirst()
        .orElseThrow(() -> refused(700027, "The certificate with identifier used to sign the client assertion is not "
            + "registered on application '" + clientId + "'. [Reason - The key was not found., Thumbprint of key used "
            + "by client: '" + named.get(0) + "']"));
    try {
      if (!jwt.verify(new RSASSAVerifier((RSAPublicKey) certificate.getPublicKey()))) {
        throw refused(700027, "Client assertion contains an invalid signature.");
      }
    } catch (JOSEException | ClassCastException e) {
      throw refused(700027, "Client assertion contains an invalid signature.");
    }
    if (claims.getAudience() == null || claims.getAudience().stream().noneMatch(a -> endpoints(tenant).contains(IdentityRoutes.trim(a)))) {
      throw refused(700023, "Client assertion audience claim does not match the token endpoint: use '"
          + identityUrl.get() + tenant.tenantId() + "/oauth2/v2.0/token'.");
    }
    Instant now = clock.instant();
    if (claims.getExpirationTime() == null) {
      throw refused(700024, "Client assertion has no expiry (exp).");
    }
    Instant exp = claims.getExpirationTime().toInstant();
    Instant start = claims.getNotBeforeTime() != null ? claims.getNotBeforeTime().toInstant()
        : claims.getIssueTime() != null ? claims.getIssueTime().toInstant() : now;
    if (!exp.plus(SKEW).isAfter(now) || start.minus(SKEW).isAfter(now)) {
      throw refused(700024, "Client assertion is not within its valid time range (valid " + start + " to " + exp
          + ", now " + now + ").");
    }
    if (Duration.between(start, exp).compareTo(MAX_LIFETIME) > 0) {
      throw refused(700024, "Client assertion lifetime is longer than " + MAX_LIFETIME.toMinutes() + " minutes.");
    }
  }

  /**
   * The thumbprints the header names, as base64url. MSAL for Java writes {@code x5t#S256} in standard
   * base64 with padding, and a {@code kid} may be hex: every form is read as bytes and written again.
   */
  private static List<String> thumbprints(JWSHeader header) {
    List<String> out = new ArrayList<>();
    for (Object named : new Object[] {header.getX509CertSHA256Thumbprint(), header.getX509CertThumbprint(),
        header.getKeyID()}) {
      if (named != null) {
        thumbprint(named.toString()).ifPresent(out::add);
      }
    }
    return out;
  }

  private static Optional<String> thumbprint(String text) {
    String t = text.trim();
    byte[] bytes;
    try {
      bytes = t.matches("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}") ? HexFormat.of().parseHex(t.toLowerCase(Locale.ROOT))
          : Base64.getDecoder().decode(t.replace('-', '+').replace('_', '/').replace("=", ""));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return bytes.length == 20 || bytes.length == 32 ? Optional.of(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes))
        : Optional.empty();
  }

  /** The token endpoints of the tenant (v2.0 and v1, by id or by domain) an assertion may be addressed to. */
  private Set<String> endpoints(DirectoryTenant tenant) {
    String base = IdentityRoutes.trim(identityUrl.get());
    return Set.of(base + "/" + tenant.tenantId() + "/oauth2/v2.0/token", base + "/" + tenant.tenantId() + "/oauth2/token",
        base + "/" + tenant.domain() + "/oauth2/v2.0/token", base + "/" + tenant.domain() + "/oauth2/token");
  }

  private static Problem refused(int aadsts, String description) {
    return OAuthErrors.unauthenticated("invalid_client", aadsts, description);
  }
}
