package org.stackledger.directory;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.problem.Problem;

/**
 * The redirect URIs registered on applications (Graph's {@code web.redirectUris}): where the
 * authorize endpoint may send a browser back with a code. An application with at least one can use
 * the authorization-code flow as a confidential client. Each URI is {@code https}, or {@code http}
 * only for {@code localhost} / {@code 127.0.0.1} (a developer's machine), absolute and without a
 * fragment, as Entra requires; they are compared exactly.
 */
public final class RedirectUris {
  /** At most this many per application (Entra allows 256). */
  static final int MAX = 256;

  private final Jdbi jdbi;
  private final Clock clock;

  public RedirectUris(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /**
   * Checks every URI, refusing the first bad one with a 400 {@code InvalidRedirectUri} naming
   * {@code field}; answers them de-duplicated in order.
   */
  public static List<String> validate(List<String> uris, String field) {
    if (uris.size() > MAX) {
      throw Problem.invalid("TooManyRedirectUris", field, "At most " + MAX + " redirect URIs can be registered; "
          + field + " has " + uris.size() + ".");
    }
    List<String> out = new ArrayList<>(new LinkedHashSet<>(uris));
    for (int i = 0; i < out.size(); i++) {
      Optional<String> why = problem(out.get(i));
      if (why.isPresent()) {
        throw Problem.invalid("InvalidRedirectUri", field + "[" + i + "]", "The redirect URI '" + out.get(i)
            + "' of " + field + " is not valid: " + why.get());
      }
    }
    return out;
  }

  private static Optional<String> problem(String uri) {
    if (uri == null || uri.isBlank() || uri.length() > 2048) {
      return Optional.of("give an absolute URI of at most 2048 characters.");
    }
    URI u;
    try {
      u = new URI(uri);
    } catch (URISyntaxException e) {
      return Optional.of("it is not a URI.");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!u.isAbsolute() || u.getHost() == null) {
      return Optional.of("give an absolute URI with a host, such as https://app.example/signin-oidc.");
    }
    if (u.getRawFragment() != null) {
      return Optional.of("a redirect URI cannot have a fragment (#...).");
    }
    if (u.getRawUserInfo() != null) {
      return Optional.of("a redirect URI cannot carry a user name or password.");
    }
    if (scheme.equals("https")) {
      return Optional.empty();
    }
    if (scheme.equals("http") && isLoopback(u.getHost())) {
      return Optional.empty();
    }
    return Optional.of("use https (http is allowed only for localhost and 127.0.0.1).");
  }

  static boolean isLoopback(String host) {
    return host.equalsIgnoreCase("localhost") || host.equals("127.0.0.1");
  }

  /** {@code scheme://host[:port]} of an absolute URI, lower-cased, or empty when it has none. */
  static Optional<String> origin(String uri) {
    try {
      URI u = new URI(uri);
      if (u.getScheme() == null || u.getHost() == null) {
        return Optional.empty();
      }
      return Optional.of((u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()))
          .toLowerCase(Locale.ROOT));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /**
   * Where a redirect URI's code is redeemed: {@code web}, by a confidential client's server with its
   * secret (Graph's {@code web.redirectUris}); {@code spa}, by a public client in a browser with PKCE,
   * cross-origin (Graph's {@code spa.redirectUris}), as MSAL's browser library does.
   */
  public enum Platform {
    WEB, SPA;

    String column() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * Replaces the application's redirect URIs of one platform with {@code uris} (already {@link #validate
   * validated}). A URI is registered for one platform: one named here that the other lists moves here.
   */
  public void set(String objectId, Platform platform, List<String> uris) {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    jdbi.useTransaction(h -> {
      h.createUpdate("DELETE FROM application_redirect_uris WHERE object_id = :o AND platform = :p").bind("o", objectId)
          .bind("p", platform.column()).execute();
      for (String uri : uris) {
        h.createUpdate("DELETE FROM application_redirect_uris WHERE object_id = :o AND redirect_uri = :u")
            .bind("o", objectId).bind("u", uri).execute();
        h.createUpdate("INSERT INTO application_redirect_uris (object_id, redirect_uri, origin, created_at, platform) "
                + "VALUES (:o, :u, :origin, :now, :p)")
            .bind("o", objectId).bind("u", uri).bind("origin", origin(uri).orElseThrow()).bind("now", now)
            .bind("p", platform.column()).execute();
      }
    });
  }

  /** The application's redirect URIs of every platform, in the order they were registered. */
  public List<String> of(String objectId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT redirect_uri FROM application_redirect_uris WHERE object_id = :o "
        + "ORDER BY created_at, redirect_uri").bind("o", objectId).mapTo(String.class).list());
  }

  /** The application's redirect URIs of one platform, in the order they were registered. */
  public List<String> of(String objectId, Platform platform) {
    return jdbi.withHandle(h -> h.createQuery("SELECT redirect_uri FROM application_redirect_uris WHERE object_id = :o "
        + "AND platform = :p ORDER BY created_at, redirect_uri").bind("o", objectId).bind("p", platform.column())
        .mapTo(String.class).list());
  }

  /** True when some application has a redirect URI at this origin (where sign-out may send a browser). */
  boolean originRegistered(String origin) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM application_redirect_uris WHERE origin = :o")
        .bind("o", origin).mapTo(Long.class).one() > 0);
  }
}
