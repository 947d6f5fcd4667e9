package org.stackledger.directory;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The clients the authorization-code flow serves, and how each proves itself at the token endpoint:
 * <ul>
 * <li>the process's first-party clients (the console), confidential, in every directory;</li>
 * <li>applications of the directory with registered redirect URIs, confidential (a client secret or
 * a client assertion), in the tenants they belong to or are guests of; or, for a redirect URI
 * registered as {@code spa}, a browser app that has no secret and redeems its code cross-origin
 * with PKCE (see {@link CodeGrants});</li>
 * <li>the public clients (Azure CLI, Azure PowerShell), which redirect to a loopback address on any
 * port (RFC 8252) and must use PKCE, having no secret.</li>
 * </ul>
 */
final class CodeClients {
  /** A client of the code flow, with a display name for the sign-in page. */
  record Client(String clientId, String name, Kind kind, List<String> redirectUris, List<String> spaRedirectUris,
      FirstPartyClient firstParty) {
    enum Kind { FIRST_PARTY, APPLICATION, PUBLIC }

    Client(String clientId, String name, Kind kind, List<String> redirectUris, FirstPartyClient firstParty) {
      this(clientId, name, kind, redirectUris, List.of(), firstParty);
    }

    /** Whether a code for this redirect URI goes to a browser app (registered as {@code spa}). */
    boolean spa(String redirectUri) {
      return spaRedirectUris.contains(redirectUri);
    }

    boolean confidential() {
      return kind != Kind.PUBLIC;
    }

    /** Exact match, except that a public client may use any loopback port and path. */
    boolean accepts(String redirectUri) {
      if (kind != Kind.PUBLIC) {
        return redirectUris.contains(redirectUri);
      }
      try {
        URI u = new URI(redirectUri);
        return "http".equals(u.getScheme()) && u.getHost() != null && RedirectUris.isLoopback(u.getHost())
            && u.getRawFragment() == null && u.getRawUserInfo() == null;
      } catch (URISyntaxException e) {
        return false;
      }
    }
  }

  private final Directory directory;
  private final RedirectUris redirectUris;
  private final List<FirstPartyClient> firstParty;
  private final Credentials credentials;

  CodeClients(Directory directory, RedirectUris redirectUris, List<FirstPartyClient> firstParty, Credentials credentials) {
    this.directory = directory;
    this.redirectUris = redirectUris;
    this.firstParty = List.copyOf(firstParty);
    this.credentials = credentials;
  }

  /** The client {@code clientId} as the tenant knows it; empty when it cannot use the code flow there. */
  Optional<Client> find(String clientId, DirectoryTenant tenant) {
    String id = clientId.toLowerCase(Locale.ROOT);
    for (FirstPartyClient c : firstParty) {
      if (c.clientId().equals(id)) {
        return Optional.of(new Client(id, "the stackledger console", Client.Kind.FIRST_PARTY, c.redirectUris(), c));
      }
    }
    if (IdentityRoutes.PUBLIC_CLIENTS.contains(id)) {
      return Optional.of(new Client(id, "a command-line tool", Client.Kind.PUBLIC, List.of(), null));
    }
    return directory.principalByAppId(id)
        .filter(p -> p.kind() == Principal.Kind.ServicePrincipal && p.enabled() && directory.isMember(tenant.tenantId(), p))
        .flatMap(p -> {
          List<String> uris = redirectUris.of(p.objectId());
          return uris.isEmpty() ? Optional.empty()
              : Optional.of(new Client(id, p.displayName(), Client.Kind.APPLICATION, uris,
                  redirectUris.of(p.objectId(), RedirectUris.Platform.SPA), null));
        });
  }

  /** The origins a first-party client redirects to, where sign-out may send a browser back. */
  boolean signOutAllowed(String origin) {
    for (FirstPartyClient c : firstParty) {
      for (String uri : c.redirectUris()) {
        if (RedirectUris.origin(uri).filter(origin::equals).isPresent()) {
          return true;
        }
      }
    }
    return redirectUris.originRegistered(origin);
  }

  /**
   * Authenticates a confidential client at the token endpoint as the other grants do (a first-party
   * client by its in-memory secret); a public client has nothing to prove, PKCE standing in.
   */
  void authenticate(Client client, DirectoryTenant tenant, Map<String, String> form, String address) {
    switch (client.kind()) {
      case FIRST_PARTY -> {
        if (!client.firstParty().secretMatches(form.get("client_secret"))) {
          throw OAuthErrors.unauthenticated("invalid_client", 7000215, "Invalid client secret provided for app '"
              + client.clientId() + "'.");
        }
      }
      case APPLICATION -> credentials.application(tenant, client.clientId(), form, address);
      case PUBLIC -> { }
    }
  }
}
