package org.stackledger.console;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Where a {@link SignIn} works, known once the ports are bound: the identity endpoint it sends
 * browsers to and redeems codes at, the console's own URL (its redirect URI is
 * {@code consoleUrl + "signin-oidc"}), the home directory, the certificate to trust on loopback calls
 * ({@code null} over plain HTTP), the clock sessions expire by, and the console's client id and secret
 * at the identity endpoint (the secret made at this start, never stored), and the audience of the
 * first access token a sign-in gets (the cloud ARM endpoint's).
 */
public record SignInSite(String identityUrl, String consoleUrl, String homeTenantId, Path certificatePem,
    Clock clock, String clientId, String clientSecret, String audience) {
  @Override
  public String toString() {
    return "SignInSite[" + identityUrl + ", " + consoleUrl + "]";
  }
}
