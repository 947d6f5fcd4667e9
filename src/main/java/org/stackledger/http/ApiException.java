package org.stackledger.http;

import org.stackledger.problem.Problem;

/**
 * A client-visible failure: an HTTP status, a machine-readable code, a message for a person and the
 * request field at fault ({@code target}). Each endpoint role renders it in its own envelope.
 */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;
  private final String target;
  private final java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
  private java.util.List<ApiException> details = java.util.List.of();

  public ApiException(int status, String code, String message, String target) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.target = target;
  }

  public ApiException(int status, String code, String message) {
    this(status, code, message, null);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Adds a header the error answer must carry, such as {@code WWW-Authenticate} on a 401. */
  public ApiException withHeader(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /**
   * Adds the individual problems behind this one, for a request with several faults (a usage batch
   * with bad events, say): ARM lists them under {@code details}.
   */
  public ApiException withDetails(java.util.List<ApiException> problems) {
    this.details = java.util.List.copyOf(problems);
    return this;
  }

  public java.util.List<ApiException> details() {
    return details;
  }

  public java.util.Map<String, String> headers() {
    return java.util.Collections.unmodifiableMap(headers);
  }

  /** The field, parameter or header at fault, or {@code null}. */
  public String target() {
    return target;
  }

  /**
   * The one place a feature's refusal becomes an HTTP status: each {@link Problem.Kind} has its status,
   * a retry hint becomes {@code Retry-After}, an authentication challenge {@code WWW-Authenticate},
   * and the problems behind it the envelope's {@code details}.
   */
  public static ApiException of(Problem problem) {
    int status = switch (problem.kind()) {
      case INVALID -> 400;
      case UNAUTHENTICATED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case STALE -> 412;
      case TOO_LARGE -> 413;
      case UNSUPPORTED_CONTENT -> 415;
      case THROTTLED -> 429;
      case UPSTREAM_FAILED -> 502;
      case UNAVAILABLE -> 503;
    };
    ApiException e = new ApiException(status, problem.code(), problem.getMessage(), problem.target());
    if (problem.retryAfter() != null) {
      e.withHeader("Retry-After", Long.toString(Math.max(0, (problem.retryAfter().toMillis() + 999) / 1000)));
    }
    if (problem instanceof Problem.Unauthenticated u && u.challenge() != null) {
      e.withHeader("WWW-Authenticate", u.challenge());
    }
    if (!problem.details().isEmpty()) {
      e.withDetails(problem.details().stream().map(ApiException::of).toList());
    }
    return e;
  }

  public static ApiException badRequest(String code, String target, String message) {
    return new ApiException(400, code, message, target);
  }

  public static ApiException notFound(String code, String message) {
    return new ApiException(404, code, message);
  }

  public static ApiException conflict(String code, String message) {
    return new ApiException(409, code, message);
  }
}
