package org.stackledger.directory;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.stackledger.problem.Problem;

/**
 * Checks who signs in — a user's password, an application's client secret or client assertion —
 * under the {@link SignInGuard}, for the token endpoint's grants and the authorize endpoint's sign-in
 * page alike, so the page cannot be used to guess past the lockout the token endpoint enforces.
 */
final class Credentials {
  private final Directory directory;
  private final ClientAssertions assertions;
  private final SignInGuard guard;

  Credentials(Directory directory, Supplier<String> identityUrl, Clock clock) {
    this.directory = directory;
    this.assertions = new ClientAssertions(directory, identityUrl, clock);
    this.guard = new SignInGuard(LockoutPolicy.PRINCIPAL, LockoutPolicy.ADDRESS, clock);
  }

  /**
   * A user of the tenant (a member or a guest) signing in with a password: the password grant or the
   * sign-in page. The caller has checked the client it signs in through.
   */
  Principal user(DirectoryTenant tenant, String username, String password, String address) {
    return guarded("user/" + username.toLowerCase(Locale.ROOT), true, address, () -> password(tenant, username, password));
  }

  /** An application proving itself with a client secret or a client assertion from {@code form}. */
  Principal application(DirectoryTenant tenant, String clientId, Map<String, String> form, String address) {
    return guarded("client/" + clientId, false, address, () -> clientCredentials(tenant, clientId, form));
  }

  /**
   * Checks the credentials under the sign-in guard: refused unchecked while the principal or the
   * address is locked; a failure counted; a success making the address familiar.
   */
  private Principal guarded(String who, boolean user, String address, Supplier<Principal> check) {
    // Who signs in, as the request names them, known or not: the key failures are counted under. Not
    // per tenant: user names and client ids are unique across the directory, and a guest in several
    // tenants must not get ten guesses in each.
    guard.refusal(who, address).ifPresent(refusal -> {
      throw refused(refusal, user);
    });
    Principal principal;
    try {
      principal = check.get();
    } catch (Problem e) {
      if (e.kind() == Problem.Kind.UNAUTHENTICATED || e.code().equals("invalid_grant") || (!user && e.code().equals("unauthorized_client"))) {
        guard.failed(who, address);
      }
      throw e;
    } catch (PasswordChecks.Busy e) {
      throw OAuthErrors.unavailable("temporarily_unavailable", 90024, "The server is temporarily too busy to check "
          + "the password. Retry the request after a short delay.", Duration.ofSeconds(1));
    }
    guard.succeeded(who, address);
    return principal;
  }

  private Principal clientCredentials(DirectoryTenant tenant, String clientId, Map<String, String> form) {
    boolean assertion = form.containsKey("client_assertion") || form.containsKey("client_assertion_type");
    if (assertion && form.containsKey("client_secret")) {
      throw OAuthErrors.invalid("invalid_request", 90014, "Send either client_secret or client_assertion, not both.");
    }
    String secret = assertion ? null : IdentityRoutes.required(form, "client_secret");
    if (assertion && !ClientAssertions.TYPE.equals(IdentityRoutes.required(form, "client_assertion_type"))) {
      throw OAuthErrors.invalid("invalid_request", 90014, "client_assertion_type must be '" + ClientAssertions.TYPE + "'.");
    }
    String clientAssertion = assertion ? IdentityRoutes.required(form, "client_assertion") : null;
    Principal principal = directory.principalByAppId(clientId)
        .filter(p -> p.kind() == Principal.Kind.ServicePrincipal && directory.isMember(tenant.tenantId(), p))
        .orElseThrow(() -> OAuthErrors.invalid("unauthorized_client", 700016, "Application with identifier '"
            + clientId + "' was not found in the directory '" + tenant.domain() + "'."));
    if (assertion) {
      assertions.verify(principal, tenant, clientId, clientAssertion);
      if (!principal.enabled()) {
        throw OAuthErrors.unauthenticated("invalid_client", 7000112, "Application '" + clientId + "' is disabled.");
      }
    } else if (!principal.enabled() || !directory.checkClientSecret(principal, secret)) {
      throw OAuthErrors.unauthenticated("invalid_client", 7000215,
          "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, "
              + "not the client secret ID, for a secret added to app '" + clientId + "'.");
    }
    return principal;
  }

  private Principal password(DirectoryTenant tenant, String username, String password) {
    Optional<Principal> user = directory.principalByUpn(username)
        .filter(p -> p.kind() == Principal.Kind.User && p.enabled() && directory.isMember(tenant.tenantId(), p));
    // The same answer, after the same hashing work, for an unknown user and a wrong password, so
    // names cannot be probed by the answer or by its time.
    if (!directory.checkPassword(user, password)) {
      throw OAuthErrors.invalid("invalid_grant", 50126, "Error validating credentials due to invalid username or password.");
    }
    return user.get();
  }

  /**
   * A sign-in refused before its credentials are checked, answered as Entra answers: for a user
   * (a password grant, which Entra treats as user-facing) {@code 400 invalid_grant} AADSTS50053, the
   * locked-account and blocked-address code; for an application (client credentials)
   * {@code 429} with {@code Retry-After}, as Entra throttles confidential clients. Both carry
   * {@code Retry-After}.
   */
  private static Problem refused(SignInGuard.Refusal refusal, boolean user) {
    long seconds = refusal.retryAfterSeconds();
    String why = switch (refusal.reason()) {
      case PRINCIPAL_LOCKED -> user
          ? "The account is locked, you've tried to sign in too many times with an incorrect user ID or password."
          : "The application is locked: it tried to sign in too many times with an incorrect credential.";
      case ADDRESS_BLOCKED -> "Sign-in was blocked because it came from an IP address with too many failed sign-ins.";
    };
    String description = why + " Try again in " + seconds + " seconds.";
    Duration wait = Duration.ofSeconds(seconds);
    return user ? OAuthErrors.invalid("invalid_grant", 50053, description).withRetryAfter(wait)
        : OAuthErrors.throttled("temporarily_unavailable", 50053, description, wait);
  }
}
