package org.stackledger.console;

import java.util.Optional;
import org.stackledger.http.Exchange;
import org.stackledger.http.Reply;

/**
 * How a browser signs in to the console and out again: the OAuth 2.0 authorization-code flow with
 * PKCE against the identity endpoint, the console being a confidential client. The console's routes
 * ({@code GET /signin}, {@code GET /signin-oidc}, {@code POST /signout}) hand their exchanges here;
 * every other page asks {@link #session} who is signed in.
 */
public interface SignIn {
  /** The session named by this request's cookie, if it exists and has not expired. */
  Optional<ConsoleSession> session(Exchange ex);

  /**
   * Starts a sign-in: a redirect to the identity endpoint's {@code /authorize} of the directory
   * {@code tenant} (a tenant id or domain, or empty for the home directory), returning to
   * {@code returnTo} (a path of the console) once signed in.
   */
  Reply begin(Exchange ex, Optional<String> tenant, String returnTo) throws Exception;

  /** The redirect URI's handler: redeems the code, makes the session, sets its cookie, redirects on. */
  Reply callback(Exchange ex) throws Exception;

  /** Ends the session (its CSRF token checked by the caller) and clears its cookie. */
  Reply signOut(Exchange ex, ConsoleSession session) throws Exception;
}
