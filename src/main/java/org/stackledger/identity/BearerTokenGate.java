package org.stackledger.identity;

import java.util.regex.Pattern;
import org.stackledger.http.ApiException;
import org.stackledger.http.Authenticator;
import org.stackledger.http.Exchange;

/**
 * The ARM endpoints' authentication until tokens are verified: a request must carry an
 * {@code Authorization: Bearer} header with a well-formed token (a JWT's three base64url parts, or
 * any opaque token of safe characters), else it gets a 401 whose {@code WWW-Authenticate} names the
 * authority, as Resource Manager answers. The token's signature and claims are not yet checked; the
 * README says so.
 */
public final class BearerTokenGate implements Authenticator {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  private final java.util.function.Supplier<String> authority;

  /** @param authority the identity endpoint's URL for the home tenant, named in challenges */
  public BearerTokenGate(java.util.function.Supplier<String> authority) {
    this.authority = authority;
  }

  @Override
  public void authenticate(Exchange exchange) {
    String header = exchange.header("Authorization").orElse("");
    if (header.isBlank()) {
      throw challenge("AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.");
    }
    String[] parts = header.trim().split("\\s+", 2);
    if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer") || !TOKEN.matcher(parts[1]).matches()) {
      throw challenge("InvalidAuthenticationToken",
          "Authentication failed. The 'Authorization' header is not of the form 'Bearer <token>'.");
    }
    exchange.attribute(Caller.class, new Caller("unverified", "unverified", "unverified"));
  }

  private ApiException challenge(String code, String message) {
    return new ApiException(401, code, message, "Authorization").withHeader("WWW-Authenticate",
        "Bearer authorization_uri=\"" + authority.get() + "\", error=\"invalid_token\", error_description=\"" + message + "\"");
  }
}
