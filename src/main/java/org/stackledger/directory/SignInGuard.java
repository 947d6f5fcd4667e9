package org.stackledger.directory;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Throttles failed sign-ins at the token endpoint, per principal and per client address, in the
 * manner of Entra ID's smart lockout. A principal's failures are counted in two buckets: those from
 * its <em>familiar</em> addresses (where it signed in successfully in the last {@link #FAMILIAR_FOR})
 * and those from anywhere else, so an attacker elsewhere locks only the "elsewhere" bucket and the
 * owner keeps signing in from home. An address's failures are counted across every principal, which
 * stops a spray of one password over many names. Principals are named by the caller (client id or
 * user name, known or not: an unknown name locks like a real one, so lockouts do not tell which
 * names exist).
 *
 * <p>State lives only in memory, bounded in size and expiring with the {@link LockoutPolicy}'s
 * memory; a restart forgets it, which costs an attacker nothing it could not get by waiting. The
 * injected clock drives every window, so tests move time rather than sleep.
 */
final class SignInGuard {
  /** How long a successful sign-in makes its address familiar to the principal. */
  static final Duration FAMILIAR_FOR = Duration.ofDays(14);
  /** Keys kept per table; beyond this the least useful are evicted, so memory stays bounded under a flood. */
  private static final long MAX_KEYS = 100_000;

  /** Why a sign-in is refused before its credentials are checked. */
  enum Reason { PRINCIPAL_LOCKED, ADDRESS_BLOCKED }

  /** A refusal and when the caller may try again. */
  record Refusal(Reason reason, Duration retryAfter) {
    /** Whole seconds, rounded up, for {@code Retry-After}. */
    long retryAfterSeconds() {
      long s = retryAfter.getSeconds() + (retryAfter.getNano() > 0 ? 1 : 0);
      return Math.max(1, s);
    }
  }

  private final LockoutPolicy principalPolicy;
  private final LockoutPolicy addressPolicy;
  private final Clock clock;
  private final Cache<String, LockoutPolicy.Tally> principals;
  private final Cache<String, LockoutPolicy.Tally> addresses;
  private final Cache<String, Boolean> familiar;

  SignInGuard(LockoutPolicy principalPolicy, LockoutPolicy addressPolicy, Clock clock) {
    this.principalPolicy = principalPolicy;
    this.addressPolicy = addressPolicy;
    this.clock = clock;
    Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    this.principals = Caffeine.newBuilder().ticker(ticker).maximumSize(MAX_KEYS)
        .expireAfterWrite(principalPolicy.forgetAfter()).build();
    this.addresses = Caffeine.newBuilder().ticker(ticker).maximumSize(MAX_KEYS)
        .expireAfterWrite(addressPolicy.forgetAfter()).build();
    this.familiar = Caffeine.newBuilder().ticker(ticker).maximumSize(MAX_KEYS).expireAfterWrite(FAMILIAR_FOR).build();
  }

  /** Whether a sign-in of {@code principal} from {@code address} must be refused without looking at its credentials. */
  Optional<Refusal> refusal(String principal, String address) {
    var now = clock.instant();
    Optional<Refusal> blocked = addressPolicy.lockedFor(addresses.getIfPresent(addressKey(address)), now)
        .map(d -> new Refusal(Reason.ADDRESS_BLOCKED, d));
    if (blocked.isPresent()) {
      return blocked;
    }
    return principalPolicy.lockedFor(principals.getIfPresent(bucket(principal, address)), now)
        .map(d -> new Refusal(Reason.PRINCIPAL_LOCKED, d));
  }

  /** Counts a failed sign-in against the principal's bucket for that address and against the address. */
  void failed(String principal, String address) {
    var now = clock.instant();
    principals.asMap().compute(bucket(principal, address), (k, t) -> principalPolicy.failed(t, now));
    addresses.asMap().compute(addressKey(address), (k, t) -> addressPolicy.failed(t, now));
  }

  /**
   * A successful sign-in: the address becomes familiar to the principal and the bucket it signed in
   * through starts afresh. The address's own count is left alone, or an attacker holding one valid
   * credential could wipe it between guesses at others.
   */
  void succeeded(String principal, String address) {
    String bucket = bucket(principal, address);
    familiar.put(familiarKey(principal, address), Boolean.TRUE);
    principals.invalidate(bucket);
  }

  private String bucket(String principal, String address) {
    boolean known = familiar.getIfPresent(familiarKey(principal, address)) != null;
    return principal + (known ? "\n(familiar)" : "\n(elsewhere)");
  }

  private static String familiarKey(String principal, String address) {
    return principal + "\n" + addressKey(address);
  }

  /**
   * The unit an address is counted in: the IPv4 address, or the /64 prefix of an IPv6 address,
   * since one subscriber usually holds a whole /64 and could otherwise step through it.
   */
  static String addressKey(String address) {
    String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
    if (a.indexOf(':') < 0) {
      return a;
    }
    try {
      // A literal address: no name lookup happens.
      InetAddress parsed = InetAddress.getByName(a);
      if (parsed instanceof Inet6Address) {
        byte[] prefix = Arrays.copyOf(parsed.getAddress(), 16);
        Arrays.fill(prefix, 8, 16, (byte) 0);
        return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
      }
      return parsed.getHostAddress();
    } catch (UnknownHostException e) {
      return a;
    }
  }
}
