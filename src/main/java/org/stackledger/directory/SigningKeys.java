package org.stackledger.directory;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.identity.KeySource;
import org.stackledger.problem.Problem;

/**
 * The RSA keys that sign our tokens, kept in the database so they survive restarts and are shared
 * by every node. One key is {@code active} (signs); after a rotation the previous one is
 * {@code retiring} (still verifies, still in the JWKS) until the operator retires it, so tokens
 * issued before a rotation stay valid until they expire.
 */
public final class SigningKeys implements KeySource {
  /** The life of a key. */
  public enum State { active, retiring, retired }

  /** A key as the operator sees it. */
  public record KeyInfo(String kid, State state, java.time.Instant createdAt) {}

  private final Jdbi jdbi;
  private final Clock clock;
  private final Map<String, RSAKey> verifying = new ConcurrentHashMap<>();
  private volatile RSAKey signing;

  public SigningKeys(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /** Makes the first key when there is none, and loads the keys. */
  public SigningKeys ensureActive() {
    boolean none = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM signing_keys WHERE state = 'active'")
        .mapTo(Long.class).one()) == 0;
    if (none) {
      jdbi.useTransaction(h -> {
        if (h.createQuery("SELECT COUNT(*) FROM signing_keys WHERE state = 'active'").mapTo(Long.class).one() == 0) {
          insert(h, generate(), State.active);
        }
      });
    }
    reload();
    return this;
  }

  /** Makes a new active key; the current one becomes retiring. Returns the new kid. */
  public String rotate() {
    RSAKey key = generate();
    jdbi.useTransaction(h -> {
      h.createUpdate("UPDATE signing_keys SET state = 'retiring', changed_at = :now WHERE state = 'active'")
          .bind("now", now()).execute();
      insert(h, key, State.active);
    });
    reload();
    return key.getKeyID();
  }

  /** Stops a retiring key from verifying; the active key cannot be retired. */
  public void retire(String kid) {
    int changed = jdbi.withHandle(h -> h.createUpdate("UPDATE signing_keys SET state = 'retired', changed_at = :now "
            + "WHERE kid = :kid AND state = 'retiring'")
        .bind("now", now()).bind("kid", kid).execute());
    if (changed == 0) {
      throw Problem.invalid("KeyNotRetiring", "kid",
          "Key '" + kid + "' is not a retiring key; rotate first, then retire the previous key.");
    }
    reload();
  }

  public List<KeyInfo> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT kid, state, created_at FROM signing_keys ORDER BY created_at")
        .map((rs, ctx) -> new KeyInfo(rs.getString(1), State.valueOf(rs.getString(2)),
            rs.getObject(3, OffsetDateTime.class).toInstant())).list());
  }

  RSAKey signingKey() {
    return signing;
  }

  /** The public keys that verify: the active one and those retiring. */
  public JWKSet publicKeys() {
    List<com.nimbusds.jose.jwk.JWK> keys = new ArrayList<>();
    verifying.values().forEach(k -> keys.add(k.toPublicJWK()));
    return new JWKSet(keys);
  }

  @Override
  public Optional<RSAPublicKey> key(String kid) {
    RSAKey key = verifying.get(kid);
    if (key == null) {
      // Another node may have rotated: look again before refusing.
      reload();
      key = verifying.get(kid);
    }
    try {
      return key == null ? Optional.empty() : Optional.of(key.toRSAPublicKey());
    } catch (JOSEException e) {
      return Optional.empty();
    }
  }

  private synchronized void reload() {
    Map<String, RSAKey> fresh = new ConcurrentHashMap<>();
    RSAKey active = null;
    for (var row : jdbi.withHandle(h -> h.createQuery("SELECT kid, private_key, public_jwk, state FROM signing_keys "
        + "WHERE state <> 'retired'").mapToMap().list())) {
      RSAKey key = load((String) row.get("kid"), (String) row.get("public_jwk"), (String) row.get("private_key"));
      fresh.put(key.getKeyID(), key);
      if ("active".equals(row.get("state"))) {
        active = key;
      }
    }
    verifying.clear();
    verifying.putAll(fresh);
    signing = active;
  }

  private static RSAKey load(String kid, String publicJwk, String privatePkcs8) {
    try {
      RSAKey pub = RSAKey.parse(publicJwk);
      RSAPrivateKey priv = (RSAPrivateKey) KeyFactory.getInstance("RSA")
          .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privatePkcs8)));
      return new RSAKey.Builder(pub).privateKey(priv).keyID(kid).build();
    } catch (ParseException | java.security.GeneralSecurityException e) {
      throw new IllegalStateException("signing key " + kid + " cannot be read", e);
    }
  }

  private static RSAKey generate() {
    try {
      RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).generate();
      return new RSAKey.Builder(key).keyID(key.computeThumbprint().toString()).build();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot generate a signing key", e);
    }
  }

  private void insert(org.jdbi.v3.core.Handle h, RSAKey key, State state) {
    try {
      h.createUpdate("INSERT INTO signing_keys (kid, private_key, public_jwk, state, created_at, changed_at) "
              + "VALUES (:kid, :priv, :pub, :state, :now, :now)")
          .bind("kid", key.getKeyID())
          .bind("priv", Base64.getEncoder().encodeToString(key.toRSAPrivateKey().getEncoded()))
          .bind("pub", key.toPublicJWK().toJSONString()).bind("state", state.name()).bind("now", now()).execute();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
  }
}
