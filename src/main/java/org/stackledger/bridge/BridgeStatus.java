package org.stackledger.bridge;

import java.time.Instant;

/**
 * What the bridge reports of itself. {@code state} is {@code Ready} or why it cannot ship —
 * {@code NotRegistered}, {@code ActivationExpired}, {@code ReportingDisabled} (from the activation in
 * force), {@code NoBridgeCredential}, {@code SignInFailed}, {@code CloudUnreachable}, {@code Rejected}
 * (from its last attempt) — and {@code reason} says it in a sentence (null when Ready).
 * {@code lagSeconds} is how long ago the oldest unshipped closed hour ended (0 when none);
 * {@code lastError} is the oldest pending hour's last failed attempt, or null.
 */
public record BridgeStatus(String state, String reason, String cloudId, String registrationId,
    Instant oldestUnshippedHour, long lagSeconds, long pendingHours, long shippedHours, long shippedRecords,
    Instant lastShippedAt, Error lastError, Instant nextAttemptAt) {

  /** A failed attempt: the cloud's error code where it answered one (else the bridge's), and the message. */
  public record Error(String code, String message) {}

  public static final String READY = "Ready";
}
