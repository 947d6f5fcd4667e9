package org.stackledger.identity;

import java.util.function.Supplier;
import org.stackledger.http.Authenticator;
import org.stackledger.http.Exchange;
import org.stackledger.http.RequestLog;
import org.stackledger.problem.Problem;

/**
 * ARM endpoints' authentication: the request must carry {@code Authorization: Bearer <JWT>} that
 * the {@link TokenValidator} accepts; the verified {@link Caller} is recorded on the exchange.
 * Anything else is a 401 with a {@code WWW-Authenticate} challenge naming the authority to sign in
 * at, as Resource Manager answers.
 */
public final class JwtAuthenticator implements Authenticator {
  private final TokenValidator validator;
  private final Supplier<String> authority;

  /** @param authority the identity endpoint's URL for the home tenant, named in challenges */
  public JwtAuthenticator(TokenValidator validator, Supplier<String> authority) {
    this.validator = validator;
    this.authority = authority;
  }

  @Override
  public void authenticate(Exchange exchange) {
    String header = exchange.header("Authorization").orElse("");
    if (header.isBlank()) {
      throw challenge("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
    }
    String[] parts = header.trim().split("\\s+", 2);
    if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
      throw challenge("InvalidAuthenticationToken",
          "Authentication failed. The 'Authorization' header is not of the form 'Bearer <token>'.");
    }
    try {
      Caller caller = validator.validate(parts[1]);
      exchange.attribute(Caller.class, caller);
      exchange.attribute(RequestLog.Principal.class,
          new RequestLog.Principal(caller.tenantId(), caller.objectId(), caller.appId()));
    } catch (TokenValidator.InvalidTokenException e) {
      throw challenge(e.getMessage().contains("expired") ? "ExpiredAuthenticationToken" : "InvalidAuthenticationToken",
          e.getMessage());
    }
  }

  private Problem challenge(String code, String message) {
    return Problem.unauthenticated(code, message, "Authorization",
        "Bearer authorization_uri=\"" + authority.get() + "\", error=\"invalid_token\", error_description=\""
            + message.replace("\"", "'") + "\"");
  }
}
