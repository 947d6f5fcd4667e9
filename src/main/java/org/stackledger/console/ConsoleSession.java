package org.stackledger.console;

import java.time.Instant;
import java.util.Optional;

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

  /**
   * The same person with the tokens of another directory they are a member or guest of (a partner's
   * person in a customer's directory), {@code tenantId} that directory: the APIs called with them answer
   * as they would a sign-in there. Whether that directory issues the person tokens at all is
   * {@link Tokens#accessToken(String, String)}'s to say.
   */
  public ConsoleSession in(String otherTenantId) {
    Tokens home = tokens;
    return new ConsoleSession(id, csrfToken, otherTenantId, objectId, displayName, upn, expiresOn, new Tokens() {
      @Override
      public Optional<String> accessToken(String audience) {
        return home.accessToken(otherTenantId, audience);
      }

      @Override
      public Optional<String> accessToken(String tenantId, String audience) {
        return home.accessToken(tenantId, audience);
      }
    });
  }

  /** Access tokens on the person's behalf, one per directory and API audience, renewed as they expire. */
  public interface Tokens {
    /**
     * A valid bearer token for the audience (an ARM endpoint's or Partner Center's resource URI) from
     * the directory the person signed in at, or empty when the person cannot have one (then their
     * session must sign in again).
     */
    Optional<String> accessToken(String audience);

    /**
     * A valid bearer token for the audience issued by the directory {@code tenantId}, or empty when
     * that directory issues the person none (they are neither a member nor a guest there). A refusal
     * here does not end the session. Without a multi-tenant refresh token, no other directory does.
     */
    default Optional<String> accessToken(String tenantId, String audience) {
      return Optional.empty();
    }
  }
}
