package org.stackledger.directory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.stackledger.http.ApiException;
import org.stackledger.http.ErrorFormat;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.problem.Problem;

/**
 * The identity endpoint's errors, shaped as Microsoft Entra ID's OAuth 2.0 errors so that MSAL and
 * the Azure Identity libraries report them properly: {@code error}, {@code error_description} (which
 * starts with the AADSTS code), {@code error_codes}, {@code timestamp}, {@code trace_id},
 * {@code correlation_id}.
 */
final class OAuthErrors implements ErrorFormat {
  static final OAuthErrors INSTANCE = new OAuthErrors();

  /**
   * An OAuth error Entra answers with 400: {@code error} (e.g. {@code invalid_grant}) and the AADSTS
   * number Entra uses for the same failure.
   */
  static Problem invalid(String error, int aadsts, String description) {
    return Problem.invalid(error, null, described(aadsts, description));
  }

  /** An OAuth error Entra answers with 401 ({@code invalid_client}). */
  static Problem unauthenticated(String error, int aadsts, String description) {
    return Problem.unauthenticated(error, described(aadsts, description));
  }

  /** A caller that must wait ({@code Retry-After}) before trying again. */
  static Problem throttled(String error, int aadsts, String description, java.time.Duration retryAfter) {
    return Problem.throttled(error, described(aadsts, description), retryAfter);
  }

  /** The endpoint cannot check the credentials now. */
  static Problem unavailable(String error, int aadsts, String description, java.time.Duration retryAfter) {
    return Problem.unavailable(error, described(aadsts, description), retryAfter);
  }

  private static String described(int aadsts, String description) {
    return "AADSTS" + aadsts + ": " + description;
  }

  @Override
  public Reply render(ApiException e, Exchange exchange) {
    ObjectNode out = Json.object();
    String code = e.code();
    boolean oauth = code.equals(code.toLowerCase(java.util.Locale.ROOT));
    out.put("error", oauth ? code : e.status() == 404 ? "not_found" : e.status() >= 500 ? "server_error" : "invalid_request");
    out.put("error_description", e.getMessage());
    String message = e.getMessage();
    if (message.startsWith("AADSTS")) {
      int end = message.indexOf(':');
      try {
        out.putArray("error_codes").add(Integer.parseInt(message.substring(6, end)));
      } catch (NumberFormatException | StringIndexOutOfBoundsException ignored) {
        // A description without a code number.
      }
    }
    out.put("timestamp", Instant.now().toString().replace('T', ' ').replace("Z", "Z"));
    out.put("trace_id", exchange.requestId());
    out.put("correlation_id", exchange.header("client-request-id").orElse(exchange.requestId()));
    Reply reply = Reply.json(e.status(), out);
    e.headers().forEach(reply::header);
    // A browser app reads the token endpoint's refusals too (MSAL shows their codes), not a network error.
    exchange.header("Origin").filter(o -> exchange.path().endsWith("/token"))
        .ifPresent(o -> reply.header("Access-Control-Allow-Origin", o).header("Vary", "Origin"));
    return reply;
  }
}
