package org.stackledger.console;

import java.time.Instant;

/**
 * One signed-in person in the console: who they are (from the id token the identity endpoint issued
 * them), the CSRF token every form of the session must carry, and the tokens the console calls the
 * APIs with on their behalf.
 *
 * @param id          the opaque session id held in the HttpOnly cookie
 * @param csrfToken   the value every state-changing form of this session posts back
 * @param tenantId    the directory the person signed in at
 * @param objectId    the person's object id in that directory
 * @param displayName the name to greet them with
 * @param upn         their sign-in name
 * @param expiresOn   when the session ends (it is never longer than the sign-in allows)
 * @param tokens      access tokens for the APIs, by audience
 */
public record ConsoleSession(String id, String csrfToken, String tenantId, String objectId, String displayName,
    String upn, Instant expiresOn, Tokens tokens) {

  /** Access tokens on the person's behalf, one per API audience, renewed as they expire. */
  public interface Tokens {
    /**
     * A valid bearer token for the audience (an ARM endpoint's or Partner Center's resource URI), or
     * empty when the person cannot have one (then their session must sign in again).
     */
    java.util.Optional<String> accessToken(String audience);
  }
}
