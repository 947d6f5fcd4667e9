package org.stackledger.console;

/**
 * Makes the console's {@link SignIn} once the endpoints are bound. The server takes it from
 * {@code ServerOptions.withConsoleSignIn}; without one it uses {@link #DEFAULT}, the authorization-code
 * flow ({@link OidcSignIn}); a test that needs another passes its own.
 */
@FunctionalInterface
public interface SignInFactory {
  SignIn make(SignInSite site) throws Exception;

  /** The authorization-code flow with PKCE at the process's own identity endpoint. */
  SignInFactory DEFAULT = OidcSignIn::new;
}
