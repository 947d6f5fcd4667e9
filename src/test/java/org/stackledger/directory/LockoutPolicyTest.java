package org.stackledger.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The lockout arithmetic without a server: thresholds, windows, growth, forgetting, and address units. */
class LockoutPolicyTest {
  private static final LockoutPolicy POLICY = LockoutPolicy.PRINCIPAL;
  private static final Instant T0 = Instant.parse("2026-11-03T10:00:00Z");

  private static LockoutPolicy.Tally fail(int times, LockoutPolicy.Tally start, Instant at) {
    LockoutPolicy.Tally t = start;
    for (int i = 0; i < times; i++) {
      t = POLICY.failed(t, at);
    }
    return t;
  }

  @Test
  void nineFailuresLeaveThePrincipalFreeAndTheTenthLocksItForAMinute() {
    LockoutPolicy.Tally nine = fail(9, null, T0);
    assertThat(POLICY.lockedFor(nine, T0)).isEmpty();
    LockoutPolicy.Tally ten = POLICY.failed(nine, T0);
    assertThat(POLICY.lockedFor(ten, T0)).contains(Duration.ofMinutes(1));
    assertThat(POLICY.lockedFor(ten, T0.plusSeconds(60))).isEmpty();
  }

  @Test
  void failuresSpreadBeyondTheWindowDoNotAddUp() {
    LockoutPolicy.Tally nine = fail(9, null, T0);
    LockoutPolicy.Tally later = POLICY.failed(nine, T0.plus(POLICY.window()));
    assertThat(later.failures()).isEqualTo(1);
    assertThat(POLICY.lockedFor(later, T0.plus(POLICY.window()))).isEmpty();
  }

  @Test
  void eachFailureAfterALockoutLocksAgainForTwiceAsLongUpToHalfAnHour() {
    LockoutPolicy.Tally t = fail(10, null, T0);
    Instant now = T0;
    Duration expected = Duration.ofMinutes(1);
    for (int lockout = 2; lockout <= 8; lockout++) {
      now = t.lockedUntil();
      t = POLICY.failed(t, now);
      expected = expected.multipliedBy(2).compareTo(Duration.ofMinutes(30)) > 0 ? Duration.ofMinutes(30)
          : expected.multipliedBy(2);
      assertThat(POLICY.lockedFor(t, now)).as("lockout %d", lockout).contains(expected);
    }
    assertThat(expected).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void anHourWithoutFailuresForgetsEarlierLockouts() {
    LockoutPolicy.Tally locked = fail(10, null, T0);
    Instant muchLater = locked.lastFailure().plus(POLICY.forgetAfter());
    LockoutPolicy.Tally fresh = POLICY.failed(locked, muchLater);
    assertThat(fresh.lockouts()).isZero();
    assertThat(fresh.failures()).isEqualTo(1);
    assertThat(POLICY.lockedFor(fresh, muchLater)).isEmpty();
  }

  @Test
  void anIpv6ClientIsCountedByItsSlash64AndAMappedIpv4ByItsIpv4Address() {
    assertThat(SignInGuard.addressKey("2001:db8:1:2:aaaa::1"))
        .isEqualTo(SignInGuard.addressKey("[2001:db8:1:2:bbbb::9]"))
        .isEqualTo("2001:db8:1:2:0:0:0:0/64");
    assertThat(SignInGuard.addressKey("2001:db8:1:3::1")).isNotEqualTo(SignInGuard.addressKey("2001:db8:1:2::1"));
    assertThat(SignInGuard.addressKey("::ffff:192.0.2.7")).isEqualTo("192.0.2.7");
    assertThat(SignInGuard.addressKey("192.0.2.7")).isEqualTo("192.0.2.7");
  }
}
