package org.stackledger.directory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When failed sign-ins lock a key (a principal, or an address) and for how long, modelled on Entra
 * ID's smart lockout: {@code threshold} failures within {@code window} lock the key for
 * {@code firstLockout}; once locked, every further failure locks it again for twice as long as the
 * last time, up to {@code maxLockout}; {@code forgetAfter} without a failure forgets it all.
 * The transitions are pure functions of a {@link Tally} and the time, so the numbers are tested
 * without a server.
 */
record LockoutPolicy(int threshold, Duration window, Duration firstLockout, Duration maxLockout, Duration forgetAfter) {
  /** Per principal: Entra's defaults (10 failures, then a minute), growing to half an hour. */
  static final LockoutPolicy PRINCIPAL = new LockoutPolicy(10, Duration.ofMinutes(15), Duration.ofMinutes(1),
      Duration.ofMinutes(30), Duration.ofHours(1));
  /** Per address: room for a few people behind one NAT mistyping, not for a password spray. */
  static final LockoutPolicy ADDRESS = new LockoutPolicy(50, Duration.ofMinutes(15), Duration.ofMinutes(1),
      Duration.ofMinutes(30), Duration.ofHours(1));

  LockoutPolicy {
    if (threshold < 1 || maxLockout.compareTo(forgetAfter) > 0) {
      // A lockout longer than the memory of it would be forgotten while it still runs.
      throw new IllegalArgumentException("threshold >= 1 and maxLockout <= forgetAfter");
    }
  }

  /**
   * What is remembered about one key's failures.
   *
   * @param windowStart the first failure of the current window (before any lockout)
   * @param failures    failures within that window
   * @param lockouts    how many times the key has been locked since it was last forgotten
   * @param lockedUntil the end of the current or last lockout, or {@code null}
   * @param lastFailure the latest failure
   */
  record Tally(Instant windowStart, int failures, int lockouts, Instant lockedUntil, Instant lastFailure) {}

  /** The tally after one more failure at {@code now}; {@code tally} is {@code null} for a key with none yet. */
  Tally failed(Tally tally, Instant now) {
    Tally t = tally == null || forgotten(tally, now) ? null : tally;
    if (t != null && t.lockouts() > 0) {
      int lockouts = t.lockouts() + 1;
      return new Tally(t.windowStart(), t.failures(), lockouts, now.plus(lockout(lockouts)), now);
    }
    boolean inWindow = t != null && now.isBefore(t.windowStart().plus(window));
    Instant start = inWindow ? t.windowStart() : now;
    int failures = (inWindow ? t.failures() : 0) + 1;
    if (failures >= threshold) {
      return new Tally(start, failures, 1, now.plus(firstLockout), now);
    }
    return new Tally(start, failures, 0, null, now);
  }

  /** How much longer the key stays locked at {@code now}, or empty when it may sign in. */
  Optional<Duration> lockedFor(Tally tally, Instant now) {
    if (tally == null || tally.lockedUntil() == null || !now.isBefore(tally.lockedUntil())) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, tally.lockedUntil()));
  }

  boolean forgotten(Tally tally, Instant now) {
    return !now.isBefore(tally.lastFailure().plus(forgetAfter));
  }

  /** The length of the {@code n}th lockout: the first, doubled for each one after it, capped. */
  Duration lockout(int n) {
    Duration d = firstLockout;
    for (int i = 1; i < n && d.compareTo(maxLockout) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxLockout) > 0 ? maxLockout : d;
  }
}
