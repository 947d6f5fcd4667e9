package org.stackledger.bridge;

import java.time.Duration;
import java.util.Random;

/**
 * How long to wait before the next attempt at an hour: a second after the first failure, doubling to
 * five minutes, each delay drawn from its upper quarter ({@code [¾·d, d]}) so that deployments that
 * lost the cloud together do not all come back in the same second. The random source is seeded, so a
 * test sees the same delays every run.
 */
final class Backoff {
  static final Duration FIRST = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofMinutes(5);

  private final Random random;

  Backoff(long seed) {
    this.random = new Random(seed);
  }

  /** The delay after the {@code attempts}-th failed attempt in a row (1 for the first). */
  Duration after(int attempts) {
    long millis = FIRST.toMillis() << Math.min(Math.max(attempts - 1, 0), 20);
    return jittered(Math.min(millis, MAX.toMillis()));
  }

  /** The longest delay: for a refusal that retrying soon would only repeat. */
  Duration longest() {
    return jittered(MAX.toMillis());
  }

  private Duration jittered(long millis) {
    long quarter = millis / 4;
    synchronized (random) {
      return Duration.ofMillis(millis - quarter + (quarter == 0 ? 0 : (long) (random.nextDouble() * quarter)));
    }
  }
}
