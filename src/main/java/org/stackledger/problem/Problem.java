package org.stackledger.problem;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A refusal by a feature: its kind, a stable code (ARM's and Partner Center's error codes are these
 * names), a message for a person and, for invalid input, the field, parameter or header at fault.
 * Each kind is its own subtype so that a caller which is not an HTTP client (a stream consumer, a
 * CLI verb) can catch exactly the refusals it handles; the HTTP edge maps kinds to statuses in one
 * place.
 *
 * <p>Stack traces are not filled in: a refusal is an answer, not a bug, and thousands of bad usage
 * events must not cost a stack walk each.
 */
public abstract sealed class Problem extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The kinds a refusal can be; the HTTP edge gives each its status. */
  public enum Kind {
    /** The input breaks a rule; {@link #target()} names the field. */
    INVALID,
    /** No credentials, or credentials that do not prove who the caller is. */
    UNAUTHENTICATED,
    /** The caller is known and may not do this. */
    FORBIDDEN,
    /** Nothing by that name exists for this caller (foreign ids are not found, never forbidden). */
    NOT_FOUND,
    /** The request contradicts what is already held. */
    CONFLICT,
    /** The caller's precondition (an ETag it holds) no longer matches what is held. */
    STALE,
    /** The input is larger than the feature accepts. */
    TOO_LARGE,
    /** The input is in a format the feature does not read. */
    UNSUPPORTED_CONTENT,
    /** A service this one depends on answered wrongly or not at all. */
    UPSTREAM_FAILED,
    /** The caller sent too much, too often (or failed too often); it must wait. */
    THROTTLED,
    /** This service cannot take the request now; try again later. */
    UNAVAILABLE
  }

  private final String code;
  private final String target;
  private List<Problem> details = List.of();
  private Duration retryAfter;

  private Problem(String code, String message, String target) {
    super(message, null, false, false);
    this.code = Objects.requireNonNull(code, "code");
    this.target = target;
  }

  public abstract Kind kind();

  /** The machine-readable error code, e.g. {@code InvalidMeterId}. */
  public String code() {
    return code;
  }

  /** The field, parameter or header at fault, or {@code null}. */
  public String target() {
    return target;
  }

  /** The individual problems behind this one (a usage batch with several bad events, say). */
  public List<Problem> details() {
    return details;
  }

  /** Adds the individual problems behind this one; returns this problem. */
  public Problem withDetails(List<? extends Problem> problems) {
    this.details = List.copyOf(problems);
    return this;
  }

  /** When the caller may try again ({@code Retry-After} on HTTP), or {@code null}. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** Says when the caller may try again; returns this problem. */
  public Problem withRetryAfter(Duration wait) {
    this.retryAfter = wait;
    return this;
  }

  /**
   * A problem of the given kind, for code that passes refusals on: naming another field than the one
   * it was raised for, or rewording it. Details and the retry hint are not carried over.
   */
  public static Problem of(Kind kind, String code, String target, String message) {
    return switch (kind) {
      case INVALID -> new Invalid(code, message, target);
      case UNAUTHENTICATED -> new Unauthenticated(code, message, target, null);
      case FORBIDDEN -> new Forbidden(code, message, target);
      case NOT_FOUND -> new NotFound(code, message);
      case CONFLICT -> new Conflict(code, message, target);
      case STALE -> new Stale(code, message, target);
      case TOO_LARGE -> new TooLarge(code, message, target);
      case UNSUPPORTED_CONTENT -> new UnsupportedContent(code, message, target);
      case THROTTLED -> new Throttled(code, message);
      case UPSTREAM_FAILED -> new UpstreamFailed(code, message);
      case UNAVAILABLE -> new Unavailable(code, message);
    };
  }

  /**
   * This problem naming {@code to} where it named {@code from}: a service reports the field at fault by
   * its own parameter's name, and the adapter that called it names the field as its client sent it.
   * The message is kept; a problem naming another field is returned as it is.
   */
  public Problem renaming(String from, String to) {
    return from.equals(target) ? of(kind(), code, to, getMessage()) : this;
  }

  // ---- factories, one per kind ------------------------------------------------------------------

  public static Invalid invalid(String code, String target, String message) {
    return new Invalid(code, message, target);
  }

  public static Unauthenticated unauthenticated(String code, String message) {
    return new Unauthenticated(code, message, null, null);
  }

  /**
   * A caller that did not prove who it is, with the challenge that tells it how to (the value of
   * {@code WWW-Authenticate} on HTTP).
   */
  public static Unauthenticated unauthenticated(String code, String message, String target, String challenge) {
    return new Unauthenticated(code, message, target, challenge);
  }

  public static Forbidden forbidden(String code, String message) {
    return new Forbidden(code, message, null);
  }

  /** A refusal of what the caller may do, naming the field whose value it may not use. */
  public static Forbidden forbidden(String code, String target, String message) {
    return new Forbidden(code, message, target);
  }

  public static NotFound notFound(String code, String message) {
    return new NotFound(code, message);
  }

  public static Conflict conflict(String code, String message) {
    return new Conflict(code, message, null);
  }

  public static Conflict conflict(String code, String target, String message) {
    return new Conflict(code, message, target);
  }

  /** A precondition that no longer holds; {@code target} names the header or field that carried it. */
  public static Stale stale(String code, String target, String message) {
    return new Stale(code, message, target);
  }

  public static TooLarge tooLarge(String code, String target, String message) {
    return new TooLarge(code, message, target);
  }

  public static UnsupportedContent unsupportedContent(String code, String target, String message) {
    return new UnsupportedContent(code, message, target);
  }

  public static UpstreamFailed upstreamFailed(String code, String message) {
    return new UpstreamFailed(code, message);
  }

  /** The service cannot take the request now; {@code retryAfter} says when to try again, or null. */
  public static Unavailable unavailable(String code, String message, Duration retryAfter) {
    Unavailable p = new Unavailable(code, message);
    p.withRetryAfter(retryAfter);
    return p;
  }

  /** The caller must slow down; {@code retryAfter} says when to try again. */
  public static Throttled throttled(String code, String message, Duration retryAfter) {
    Throttled p = new Throttled(code, message);
    p.withRetryAfter(retryAfter);
    return p;
  }

  // ---- the kinds ----------------------------------------------------------------------------------

  /** The input breaks a rule; {@link #target()} names the field. */
  public static final class Invalid extends Problem {
    private static final long serialVersionUID = 1L;

    private Invalid(String code, String message, String target) {
      super(code, message, target);
    }

    @Override
    public Kind kind() {
      return Kind.INVALID;
    }
  }

  /** The caller did not prove who it is. */
  public static final class Unauthenticated extends Problem {
    private static final long serialVersionUID = 1L;
    private final String challenge;

    private Unauthenticated(String code, String message, String target, String challenge) {
      super(code, message, target);
      this.challenge = challenge;
    }

    @Override
    public Kind kind() {
      return Kind.UNAUTHENTICATED;
    }

    /** How to authenticate (a {@code WWW-Authenticate} value), or {@code null}. */
    public String challenge() {
      return challenge;
    }
  }

  /** The caller may not do this. */
  public static final class Forbidden extends Problem {
    private static final long serialVersionUID = 1L;

    private Forbidden(String code, String message, String target) {
      super(code, message, target);
    }

    @Override
    public Kind kind() {
      return Kind.FORBIDDEN;
    }
  }

  /** Nothing by that name exists for this caller. */
  public static final class NotFound extends Problem {
    private static final long serialVersionUID = 1L;

    private NotFound(String code, String message) {
      super(code, message, null);
    }

    @Override
    public Kind kind() {
      return Kind.NOT_FOUND;
    }
  }

  /** The request contradicts what is already held. */
  public static final class Conflict extends Problem {
    private static final long serialVersionUID = 1L;

    private Conflict(String code, String message, String target) {
      super(code, message, target);
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }
  }

  /** The caller's precondition no longer holds. */
  public static final class Stale extends Problem {
    private static final long serialVersionUID = 1L;

    private Stale(String code, String message, String target) {
      super(code, message, target);
    }

    @Override
    public Kind kind() {
      return Kind.STALE;
    }
  }

  /** The input is larger than the feature accepts. */
  public static final class TooLarge extends Problem {
    private static final long serialVersionUID = 1L;

    private TooLarge(String code, String message, String target) {
      super(code, message, target);
    }

    @Override
    public Kind kind() {
      return Kind.TOO_LARGE;
    }
  }

  /** The input is in a format the feature does not read. */
  public static final class UnsupportedContent extends Problem {
    private static final long serialVersionUID = 1L;

    private UnsupportedContent(String code, String message, String target) {
      super(code, message, target);
    }

    @Override
    public Kind kind() {
      return Kind.UNSUPPORTED_CONTENT;
    }
  }

  /** A service this one depends on failed. */
  public static final class UpstreamFailed extends Problem {
    private static final long serialVersionUID = 1L;

    private UpstreamFailed(String code, String message) {
      super(code, message, null);
    }

    @Override
    public Kind kind() {
      return Kind.UPSTREAM_FAILED;
    }
  }

  /** The caller must slow down. */
  public static final class Throttled extends Problem {
    private static final long serialVersionUID = 1L;

    private Throttled(String code, String message) {
      super(code, message, null);
    }

    @Override
    public Kind kind() {
      return Kind.THROTTLED;
    }
  }

  /** The service cannot take the request now. */
  public static final class Unavailable extends Problem {
    private static final long serialVersionUID = 1L;

    private Unavailable(String code, String message) {
      super(code, message, null);
    }

    @Override
    public Kind kind() {
      return Kind.UNAVAILABLE;
    }
  }
}
