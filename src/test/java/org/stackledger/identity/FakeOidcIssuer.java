package org.stackledger.identity;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * An AD FS-like OIDC issuer, a boundary we do not own: plain HTTP on the loopback address (which
 * the server allows), the discovery document under {@code /adfs}, a JWKS it counts fetches of, and
 * access tokens shaped like AD FS's: {@code sub}, {@code upn} and {@code appid}, but no {@code tid}
 * and no {@code oid}.
 */
final class FakeOidcIssuer implements AutoCloseable {
  private final HttpServer http;
  private final Clock clock;
  private final List<RSAKey> keys = new CopyOnWriteArrayList<>();
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private final AtomicBoolean failing = new AtomicBoolean();

  FakeOidcIssuer(Clock clock) throws Exception {
    this.clock = clock;
    keys.add(newKey());
    http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/adfs/.well-known/openid-configuration", ex -> answer(ex, "{\"issuer\":\"" + issuer()
        + "\",\"jwks_uri\":\"" + base() + "discovery/keys\",\"token_endpoint\":\"" + base() + "oauth2/token\"}"));
    http.createContext("/adfs/discovery/keys", ex -> {
      jwksFetches.incrementAndGet();
      answer(ex, new JWKSet(keys.stream().map(k -> (JWK) k.toPublicJWK()).toList()).toString(true));
    });
    http.start();
  }

  private static RSAKey newKey() throws Exception {
    return new RSAKeyGenerator(2048).keyID("adfs-" + UUID.randomUUID()).generate();
  }

  private void answer(HttpExchange ex, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(failing.get() ? 503 : 200, body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  /** What an operator passes to {@code --stack-identity-issuer}: the AD FS base URL. */
  String base() {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/adfs/";
  }

  /** AD FS's issuer is not its base URL, so the server must take it from the discovery document. */
  String issuer() {
    return base() + "services/trust";
  }

  int jwksFetches() {
    return jwksFetches.get();
  }

  /** Makes every answer a 503 (or normal again). */
  void failing(boolean fail) {
    failing.set(fail);
  }

  /** Publishes a new signing key next to the old ones and signs with it from now on. */
  String rotate() throws Exception {
    RSAKey next = newKey();
    keys.add(0, next);
    return next.getKeyID();
  }

  RSAKey signingKey() {
    return keys.get(0);
  }

  /** The claims of a token AD FS would issue for this audience now. */
  JWTClaimsSet.Builder claims(String audience) {
    Date now = Date.from(clock.instant());
    return new JWTClaimsSet.Builder().issuer(issuer()).audience(audience).subject("adfs-user-" + UUID.randomUUID())
        .issueTime(now).notBeforeTime(now).expirationTime(Date.from(clock.instant().plus(Duration.ofHours(1))))
        .claim("upn", "mary@fabrikam.local").claim("appid", "1950a258-227b-4e31-a9cf-717495945fc2");
  }

  String token(String audience) {
    return sign(signingKey(), claims(audience).build());
  }

  String token(String audience, UnaryOperator<JWTClaimsSet.Builder> change) {
    return sign(signingKey(), change.apply(claims(audience)).build());
  }

  static String sign(RSAKey key, JWTClaimsSet claims) {
    try {
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT)
          .keyID(key.getKeyID()).build(), claims);
      jwt.sign(new RSASSASigner(key));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    http.stop(0);
  }
}
