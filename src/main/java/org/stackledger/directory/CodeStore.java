package org.stackledger.directory;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Authorization codes and refresh tokens, in the database so that any node sharing it can redeem
 * them. Both are 256 random bits given to the client once; only their SHA-256 is stored. Redeeming
 * deletes the row in the same statement that proves it existed, so of two concurrent redemptions
 * exactly one wins; expired rows are swept whenever a new one is written, so the tables stay as
 * small as the codes and sign-ins alive.
 */
final class CodeStore {
  /** How long a code may wait for redemption (Entra: 10 minutes). */
  static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
  /** How long a refresh token lives unused; each use answers a successor with a fresh lifetime. */
  static final Duration REFRESH_LIFETIME = Duration.ofHours(24);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Jdbi jdbi;
  private final Clock clock;

  CodeStore(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** What a code was issued for; the token endpoint checks the redemption against it. */
  record Code(String clientId, String redirectUri, String codeChallenge, String nonce, String scope, String audience,
      String tenantId, String objectId, Instant expiresAt) {}

  /**
   * What a refresh token may be exchanged for: new tokens for this user and client, in the tenant it
   * was issued in or any other the user is a member or guest of ({@code tenantId} is the former).
   */
  record Refresh(String clientId, String scope, String tenantId, String objectId, Instant expiresAt, boolean spa) {}

  /** A refresh token just made (the only time its value exists) and when it expires. */
  record NewRefresh(String token, Instant expiresAt) {}

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }

  static String random256() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Stores a new code for {@code c} (its {@code expiresAt} ignored) and answers its value. */
  String issue(Code c) {
    String code = random256();
    OffsetDateTime now = now();
    jdbi.useHandle(h -> {
      h.createUpdate("DELETE FROM authorization_codes WHERE expires_at < :now").bind("now", now).execute();
      h.createUpdate("INSERT INTO authorization_codes (code_hash, client_id, redirect_uri, code_challenge, nonce, scope, "
              + "audience, tenant_id, object_id, created_at, expires_at) VALUES (:hash, :client, :redirect, :challenge, "
              + ":nonce, :scope, :audience, :tenant, :oid, :now, :expires)")
          .bind("hash", Secrets.digest(code)).bind("client", c.clientId()).bind("redirect", c.redirectUri())
          .bind("challenge", c.codeChallenge()).bind("nonce", c.nonce()).bind("scope", c.scope())
          .bind("audience", c.audience()).bind("tenant", c.tenantId()).bind("oid", c.objectId())
          .bind("now", now).bind("expires", now.plus(CODE_LIFETIME)).execute();
    });
    return code;
  }

  /**
   * Takes the code out of the store, whatever happens next: a code is tried once, so a stolen one
   * presented with a wrong verifier or client is gone for the thief and the owner alike. Empty when
   * it was never issued or was redeemed already; an expired code is answered (the caller refuses it
   * with its own error).
   */
  Optional<Code> redeem(String code) {
    String hash = Secrets.digest(code);
    return jdbi.inTransaction(h -> {
      Optional<Code> found = h.createQuery("SELECT * FROM authorization_codes WHERE code_hash = :hash").bind("hash", hash)
          .map((rs, ctx) -> new Code(rs.getString("client_id"), rs.getString("redirect_uri"), rs.getString("code_challenge"),
              rs.getString("nonce"), rs.getString("scope"), rs.getString("audience"), rs.getString("tenant_id"),
              rs.getString("object_id"), rs.getObject("expires_at", OffsetDateTime.class).toInstant()))
          .findOne();
      return found.isPresent() && deleted(h, "authorization_codes", "code_hash", hash) ? found : Optional.<Code>empty();
    });
  }

  /**
   * Stores a new refresh token for {@code r}. It lives {@link #REFRESH_LIFETIME} from now, except one
   * that goes to a browser ({@code spa}) and succeeds another: it keeps its predecessor's
   * {@code expiresAt}, so a browser's sign-in lasts 24 hours however often it refreshes, as Entra's does.
   */
  NewRefresh issueRefresh(Refresh r) {
    String token = random256();
    OffsetDateTime now = now();
    OffsetDateTime expires = r.spa() && r.expiresAt() != null
        ? r.expiresAt().atOffset(ZoneOffset.UTC) : now.plus(REFRESH_LIFETIME);
    jdbi.useHandle(h -> {
      h.createUpdate("DELETE FROM refresh_tokens WHERE expires_at < :now").bind("now", now).execute();
      h.createUpdate("INSERT INTO refresh_tokens (token_hash, client_id, scope, tenant_id, object_id, created_at, expires_at, "
              + "spa) VALUES (:hash, :client, :scope, :tenant, :oid, :now, :expires, :spa)")
          .bind("hash", Secrets.digest(token)).bind("client", r.clientId()).bind("scope", r.scope())
          .bind("tenant", r.tenantId()).bind("oid", r.objectId()).bind("now", now).bind("expires", expires)
          .bind("spa", r.spa()).execute();
    });
    return new NewRefresh(token, expires.toInstant());
  }

  /**
   * What the refresh token may be exchanged for, without spending it: the token endpoint checks a
   * redemption against it first, so a refusal (another directory the user is not in) leaves the token
   * good where it is good. Empty when unknown or used.
   */
  Optional<Refresh> refresh(String token) {
    String hash = Secrets.digest(token);
    return jdbi.withHandle(h -> findRefresh(h, hash));
  }

  /** Takes the refresh token out of the store (rotation: it is never accepted again); empty when unknown or used. */
  Optional<Refresh> redeemRefresh(String token) {
    String hash = Secrets.digest(token);
    return jdbi.inTransaction(h -> {
      Optional<Refresh> found = findRefresh(h, hash);
      return found.isPresent() && deleted(h, "refresh_tokens", "token_hash", hash) ? found : Optional.<Refresh>empty();
    });
  }

  private static Optional<Refresh> findRefresh(Handle h, String hash) {
    return h.createQuery("SELECT * FROM refresh_tokens WHERE token_hash = :hash").bind("hash", hash)
        .map((rs, ctx) -> new Refresh(rs.getString("client_id"), rs.getString("scope"), rs.getString("tenant_id"),
            rs.getString("object_id"), rs.getObject("expires_at", OffsetDateTime.class).toInstant(), rs.getBoolean("spa")))
        .findOne();
  }

  private static boolean deleted(Handle h, String table, String column, String hash) {
    // The delete's count decides: of two transactions that both read the row, only one deletes it.
    return h.createUpdate("DELETE FROM " + table + " WHERE " + column + " = :hash").bind("hash", hash).execute() == 1;
  }
}
