package org.stackledger.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A signed-in person's access tokens, one per directory and API audience, got with the refresh token,
 * which is Entra's multi-resource and multi-tenant one: one sign-in, tokens for every API, issued by
 * the directory signed in at or by any other the person is a member or guest of (a partner's person
 * reads a customer's subscription with a token of the customer's directory). Each is kept until
 * {@link #MARGIN} before it expires; every refresh answers a successor refresh token, good in every
 * directory, which replaces the used one (the identity endpoint refuses a used one). Refreshes are
 * serialized per session, so two pages loading at once never race to spend the same refresh token.
 */
final class RefreshingTokens implements ConsoleSession.Tokens {
  /** A token is renewed this long before it expires, so none expires during a page's calls. */
  static final Duration MARGIN = Duration.ofMinutes(5);
  /** Tokens kept per session: a partner opening many customers' pages must not grow a session without bound. */
  static final int MAX_TOKENS = 64;

  private record Key(String tenant, String audience) {}

  private record Cached(String token, Instant expiresAt) {}

  private final IdentityClient identity;
  private final String tenant;
  private final Clock clock;
  private final Map<Key, Cached> cache = new ConcurrentHashMap<>();
  private String refreshToken;
  private boolean refused;

  /** @param tenant the directory the person signed in at (its id) */
  RefreshingTokens(IdentityClient identity, String tenant, String refreshToken, Clock clock) {
    this.identity = identity;
    this.tenant = tenant.toLowerCase(Locale.ROOT);
    this.refreshToken = refreshToken;
    this.clock = clock;
  }

  /** Keeps a token the code redemption answered, so the first page does not refresh at once. */
  void seed(String audience, String token, long expiresIn) {
    cache.put(key(tenant, audience), new Cached(token, clock.instant().plusSeconds(expiresIn)));
  }

  @Override
  public Optional<String> accessToken(String audience) {
    return accessToken(tenant, audience);
  }

  @Override
  public Optional<String> accessToken(String tenantId, String audience) {
    Key key = key(tenantId, audience);
    return fresh(key).or(() -> refresh(key));
  }

  private Optional<String> fresh(Key key) {
    Cached c = cache.get(key);
    return c != null && c.expiresAt().minus(MARGIN).isAfter(clock.instant()) ? Optional.of(c.token())
        : Optional.empty();
  }

  private synchronized Optional<String> refresh(Key key) {
    Optional<String> kept = fresh(key);
    if (kept.isPresent() || refused || refreshToken == null) {
      return kept;
    }
    String scope = key.audience() + ".default openid offline_access";
    IdentityClient.Answer answer;
    try {
      answer = identity.token(key.tenant(), Map.of("grant_type", "refresh_token", "refresh_token", refreshToken,
          "scope", scope));
    } catch (Exception e) {
      // The identity endpoint could not be reached: no token now, but the refresh token is still good.
      return Optional.empty();
    }
    if (!answer.ok()) {
      // Refused at the directory signed in at (the user removed, the token expired): this session cannot get
      // tokens any more. Refused at another one, the person is not a member or guest there: no token from it,
      // and the refresh token, which the identity endpoint did not spend, is still good.
      if (key.tenant().equals(tenant)) {
        refused = answer.error().equals("invalid_grant") || answer.error().equals("invalid_client");
      }
      return Optional.empty();
    }
    refreshToken = answer.body().path("refresh_token").asText(refreshToken);
    String token = answer.body().path("access_token").asText();
    if (cache.size() >= MAX_TOKENS) {
      Instant now = clock.instant();
      cache.values().removeIf(c -> !c.expiresAt().minus(MARGIN).isAfter(now));
      if (cache.size() >= MAX_TOKENS) {
        cache.keySet().removeIf(k -> !k.tenant().equals(tenant));
      }
    }
    cache.put(key, new Cached(token, clock.instant().plusSeconds(answer.body().path("expires_in").asLong())));
    return Optional.of(token);
  }

  private static Key key(String tenant, String audience) {
    return new Key(tenant.toLowerCase(Locale.ROOT), audience.endsWith("/") ? audience : audience + "/");
  }
}
