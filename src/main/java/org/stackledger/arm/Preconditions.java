package org.stackledger.arm;

import org.stackledger.http.Exchange;
import org.stackledger.problem.Problem;

/**
 * {@code If-Match} and {@code If-None-Match} of a write, checked against the stored ETag inside the
 * write's transaction so that the check and the change are one step.
 */
public record Preconditions(String ifMatch, String ifNoneMatch) {
  public static final Preconditions NONE = new Preconditions(null, null);

  public static Preconditions of(Exchange exchange) {
    return new Preconditions(exchange.header("If-Match").orElse(null), exchange.header("If-None-Match").orElse(null));
  }

  /**
   * @param currentEtag the stored ETag, or {@code null} when the resource does not exist
   * @throws Problem 412 {@code PreconditionFailed} when a condition does not hold
   */
  public void check(String currentEtag) {
    if (ifMatch != null && !matches(ifMatch, currentEtag)) {
      throw Problem.stale("PreconditionFailed", "If-Match", currentEtag == null
          ? "If-Match was given but the resource does not exist."
          : "The resource's ETag does not match If-Match: it was changed since it was read.");
    }
    if (ifNoneMatch != null && matches(ifNoneMatch, currentEtag)) {
      throw Problem.stale("PreconditionFailed", "If-None-Match", ifNoneMatch.trim().equals("*")
          ? "The resource already exists and If-None-Match: * was given."
          : "The resource's ETag matches If-None-Match.");
    }
  }

  private static boolean matches(String header, String current) {
    if (current == null) {
      return false;
    }
    for (String candidate : header.split(",")) {
      String c = candidate.trim();
      if (c.equals("*") || strip(c).equals(strip(current))) {
        return true;
      }
    }
    return false;
  }

  private static String strip(String etag) {
    String e = etag.startsWith("W/") ? etag.substring(2) : etag;
    return e.length() >= 2 && e.startsWith("\"") && e.endsWith("\"") ? e.substring(1, e.length() - 1) : e;
  }
}
