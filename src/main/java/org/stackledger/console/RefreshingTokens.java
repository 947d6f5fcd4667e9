package org.stackledger.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A signed-in person's access tokens, one per API audience, got with the refresh token (Entra's
 * multi-resource refresh token: one sign-in, tokens for every API). Each is kept until
 * {@link #MARGIN} before it expires; every refresh answers a successor refresh token, which replaces
 * the used one (the identity endpoint refuses a used one). Refreshes are serialized per session, so
 * two pages loading at once never race to spend the same refresh token.
 */
final class RefreshingTokens implements ConsoleSession.Tokens {
  /** A token is renewed this long before it expires, so none expires during a page's calls. */
  static final Duration MARGIN = Duration.ofMinutes(5);

  private record Cached(String token, Instant expiresAt) {}

  private final IdentityClient identity;
  private final String tenant;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();
  private String refreshToken;
  private boolean refused;

  RefreshingTokens(IdentityClient identity, String tenant, String refreshToken, Clock clock) {
    this.identity = identity;
    this.tenant = tenant;
    this.refreshToken = refreshToken;
    this.clock = clock;
  }

  /** Keeps a token the code redemption answered, so the first page does not refresh at once. */
  void seed(String audience, String token, long expiresIn) {
    cache.put(key(audience), new Cached(token, clock.instant().plusSeconds(expiresIn)));
  }

  @Override
  public Optional<String> accessToken(String audience) {
    Cached c = cache.get(key(audience));
    if (c != null && c.expiresAt().minus(MARGIN).isAfter(clock.instant())) {
      return Optional.of(c.token());
    }
    return refresh(audience);
  }

  private synchronized Optional<String> refresh(String audience) {
    Cached c = cache.get(key(audience));
    if (c != null && c.expiresAt().minus(MARGIN).isAfter(clock.instant())) {
      return Optional.of(c.token());
    }
    if (refused || refreshToken == null) {
      return Optional.empty();
    }
    String scope = audience + (audience.endsWith("/") ? "" : "/") + ".default openid offline_access";
    IdentityClient.Answer answer;
    try {
      answer = identity.token(tenant, Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
          "scope", scope));
    } catch (Exception e) {
      // The identity endpoint could not be reached: no token now, but the refresh token is still good.
      return Optional.empty();
    }
    if (!answer.ok()) {
      // Refused (the user removed, the token expired): this session cannot get tokens any more.
      refused = answer.error().equals("invalid_grant") || answer.error().equals("invalid_client");
      return Optional.empty();
    }
    refreshToken = answer.body().path("refresh_token").asText(refreshToken);
    String token = answer.body().path("access_token").asText();
    cache.put(key(audience), new Cached(token, clock.instant().plusSeconds(answer.body().path("expires_in").asLong())));
    return Optional.of(token);
  }

  private static String key(String audience) {
    return audience.endsWith("/") ? audience : audience + "/";
  }
}
