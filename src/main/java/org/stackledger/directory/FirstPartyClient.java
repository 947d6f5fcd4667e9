package org.stackledger.directory;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A client the process itself runs and trusts in every directory it serves — the web console — as
 * Entra trusts the Azure Portal in every tenant. Its secret is made at each start and handed to the
 * identity endpoint and the client in memory; it is never stored, so nothing on disk or in the
 * database can sign in as it. Each node of a multi-node deployment has its own secret, which works
 * because each node's console redeems its codes at its own identity endpoint.
 *
 * @param clientId     the client id (the console's is {@link #CONSOLE_CLIENT_ID})
 * @param secret       the client secret, for the token endpoint
 * @param redirectUris the exact redirect URIs the authorize endpoint accepts for it
 */
public record FirstPartyClient(String clientId, String secret, List<String> redirectUris) {
  /** The Azure Portal's client id, which the console uses as Entra's portal does. */
  public static final String CONSOLE_CLIENT_ID = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c";

  public FirstPartyClient {
    redirectUris = List.copyOf(redirectUris);
  }

  /** The console's client with a new secret, redirecting to {@code consoleUrl + "signin-oidc"}. */
  public static FirstPartyClient console(String consoleUrl) {
    return new FirstPartyClient(CONSOLE_CLIENT_ID, Secrets.newClientSecret(), List.of(consoleUrl + "signin-oidc"));
  }

  /** True when {@code candidate} is this client's secret, compared in constant time. */
  boolean secretMatches(String candidate) {
    return candidate != null && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8),
        candidate.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public String toString() {
    // Never print the secret (a log line, an exception message).
    return "FirstPartyClient[" + clientId + ", " + redirectUris + "]";
  }
}
