package org.stackledger.identity;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.github.benmanes.caffeine.cache.Ticker;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stackledger.http.Guids;

/**
 * An external OIDC issuer (Microsoft Entra ID, AD FS, Keycloak) trusted by its discovery URL. Its
 * {@code issuer} and keys are read from {@code .well-known/openid-configuration} and the
 * {@code jwks_uri} it names, and kept in a cache that is refreshed every {@link #KEYS_TTL}. A token
 * signed with a {@code kid} the cache does not hold triggers a refetch (the issuer may just have
 * rotated), but no two fetches happen within {@link #MIN_REFETCH}: a flood of made-up kids costs the
 * issuer one request. When the issuer cannot be read its tokens are refused (401); a refresh that
 * fails keeps the keys already known.
 *
 * <p>Tokens are checked with {@link TrustedIssuers.ClaimRules#OIDC}: the tenant is the one given in
 * the configuration, else the GUID an Entra-style issuer URL starts with ({@code {host}/{tid}/v2.0});
 * a token's {@code tid}, when present, must be that tenant. Without {@code oid}, {@code sub} names
 * the principal.
 */
public final class OidcIssuer implements TrustedIssuers, KeySource {
  public static final Duration KEYS_TTL = Duration.ofHours(1);
  public static final Duration MIN_REFETCH = Duration.ofSeconds(30);
  static final String WELL_KNOWN = ".well-known/openid-configuration";
  private static final Logger LOG = LoggerFactory.getLogger(OidcIssuer.class);
  private static final Pattern GUID_FIRST =
      Pattern.compile("^/(" + Guids.REGEX + ")(/|$)");
  private static final long NEVER = Long.MIN_VALUE;

  private final URI discovery;
  private final String tenantId;
  private final OidcDocuments documents;
  private final Ticker ticker;
  private final long minRefetchNanos;
  private final LoadingCache<URI, OidcDocuments.Published> cache;
  private long lastFetch = NEVER; // guarded by this

  OidcIssuer(URI discovery, String tenantId, OidcDocuments documents, Ticker ticker, Duration ttl, Duration minRefetch) {
    this.discovery = discovery;
    this.tenantId = tenantId == null ? null : tenantId.toLowerCase(Locale.ROOT);
    this.documents = documents;
    this.ticker = ticker;
    this.minRefetchNanos = minRefetch.toNanos();
    // Refreshes run on the caller's thread: one request in an hour waits for the issuer, and in
    // exchange nothing runs in the background and a test that moves the ticker sees every fetch.
    this.cache = Caffeine.newBuilder().ticker(ticker).refreshAfterWrite(ttl).executor(Runnable::run)
        .build(new CacheLoader<>() {
          @Override
          public OidcDocuments.Published load(URI url) {
            return fetch(url);
          }

          @Override
          public OidcDocuments.Published reload(URI url, OidcDocuments.Published known) {
            // An issuer that is down keeps its known keys for another period rather than locking
            // everyone out; a token with a new kid still triggers a refetch.
            try {
              return fetch(url);
            } catch (OidcDocuments.IssuerUnavailable e) {
              return known;
            }
          }
        });
  }

  /**
   * @param discoveryUrl the issuer's discovery document, or the issuer's base URL to which
   *                     {@code /.well-known/openid-configuration} is added
   * @param caPem        certificates to trust for the issuer's TLS instead of the JDK's, or {@code null}
   * @param tenantId     the directory tenant the issuer stands for, or {@code null} to take it from
   *                     the issuer URL or the tokens
   * @param ticker       the time the cache and the refetch limit read
   */
  public static OidcIssuer create(String discoveryUrl, Path caPem, String tenantId, Ticker ticker) throws IOException {
    return new OidcIssuer(discoveryUrl(discoveryUrl), tenantId, new OidcDocuments(OidcDocuments.client(caPem)), ticker,
        KEYS_TTL, MIN_REFETCH);
  }

  /** The discovery URL for what an operator typed; throws {@link IllegalArgumentException} if unusable. */
  public static URI discoveryUrl(String typed) {
    String url = typed.trim();
    if (!url.endsWith("/" + WELL_KNOWN)) {
      url = (url.endsWith("/") ? url : url + "/") + WELL_KNOWN;
    }
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + typed + "' is not a URL");
    }
    OidcDocuments.requireSafe(uri);
    return uri;
  }

  public URI discoveryUrl() {
    return discovery;
  }

  /** Where clients sign in: the discovery URL without {@code .well-known/openid-configuration}. */
  public String loginEndpoint() {
    String s = discovery.toString();
    return s.substring(0, s.length() - WELL_KNOWN.length());
  }

  @Override
  public Optional<Issuer> find(String iss) {
    return published().filter(p -> p.issuer().equals(iss))
        .map(p -> new Issuer(tenantId != null ? tenantId : tenantInUrl(p.issuer()), this, ClaimRules.OIDC));
  }

  @Override
  public Optional<RSAPublicKey> key(String kid) {
    Optional<RSAPublicKey> known = published().map(p -> p.keys().get(kid));
    if (known.isPresent()) {
      return known;
    }
    try {
      OidcDocuments.Published fresh = fetch(discovery);
      cache.put(discovery, fresh);
      return Optional.ofNullable(fresh.keys().get(kid));
    } catch (OidcDocuments.IssuerUnavailable e) {
      return Optional.empty();
    }
  }

  private Optional<OidcDocuments.Published> published() {
    try {
      return Optional.of(cache.get(discovery));
    } catch (OidcDocuments.IssuerUnavailable e) {
      return Optional.empty();
    }
  }

  /** Reads the issuer, unless it was read (or tried) less than {@link #MIN_REFETCH} ago. */
  private OidcDocuments.Published fetch(URI url) {
    synchronized (this) {
      long now = ticker.read();
      long since = now - lastFetch;
      // A clock stepped backwards (since < 0) counts as time passed, so it cannot stop refetches.
      if (lastFetch != NEVER && since >= 0 && since < minRefetchNanos) {
        throw new OidcDocuments.IssuerUnavailable("the issuer was read less than " + Duration.ofNanos(minRefetchNanos) + " ago", null);
      }
      lastFetch = now;
    }
    try {
      OidcDocuments.Published p = documents.fetch(url);
      LOG.info("read OIDC issuer {}: {} signing keys", p.issuer(), p.keys().size());
      return p;
    } catch (OidcDocuments.IssuerUnavailable e) {
      LOG.warn("cannot read the OIDC issuer at {}: {}", url, e.getMessage());
      throw e;
    }
  }

  private static String tenantInUrl(String issuer) {
    try {
      Matcher m = GUID_FIRST.matcher(Optional.ofNullable(URI.create(issuer).getPath()).orElse(""));
      return m.find() ? m.group(1).toLowerCase(Locale.ROOT) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
