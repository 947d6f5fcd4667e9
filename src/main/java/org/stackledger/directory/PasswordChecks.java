package org.stackledger.directory;

import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks passwords against their PBKDF2 hashes on a small pool of its own. A hash costs tens of
 * milliseconds of CPU by design; on the request threads, a few clients sending wrong passwords
 * would take every core and stall the whole server. Here at most {@link #threads()} hashes run at
 * once (half the cores), at most {@link #queueLimit()} wait, and a check beyond that is refused
 * with {@link Busy} at once rather than queued without end.
 *
 * <p>A sign-in of a name that does not exist is checked against a fixed dummy hash with the same
 * parameters, so it costs the same work and takes the same time as a wrong password for a real
 * user: the answer's timing does not tell which names exist.
 */
final class PasswordChecks {
  /** Waiting checks allowed per hashing thread: about half a second of work each at 210,000 iterations. */
  static final int QUEUE_PER_THREAD = 8;

  private final ThreadPoolExecutor pool;
  private final AtomicLong hashesComputed = new AtomicLong();

  /** The pool is full: every hashing thread is busy and the queue is at its limit. */
  static final class Busy extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Busy() {
      super("every password hashing thread is busy and the queue is full", null, false, false);
    }
  }

  PasswordChecks() {
    this(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
  }

  PasswordChecks(int threads) {
    this(threads, threads * QUEUE_PER_THREAD);
  }

  PasswordChecks(int threads, int queueLimit) {
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread t = new Thread(r, "password-hash-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(queueLimit),
        factory, new ThreadPoolExecutor.AbortPolicy());
    // Idle threads end, so a server (or a test's many servers) holds none while nobody signs in.
    pool.allowCoreThreadTimeOut(true);
  }

  /**
   * True when {@code password} matches {@code storedHash}; with no stored hash (an unknown user, or
   * one without a password) the same work is spent on the dummy hash and the answer is false.
   *
   * @throws Busy when the pool cannot take the check now
   */
  boolean matches(String password, Optional<String> storedHash) {
    String against = storedHash.orElse(Dummy.HASH);
    boolean ok = run(() -> {
      hashesComputed.incrementAndGet();
      return Secrets.checkPassword(password, against);
    });
    return ok && storedHash.isPresent();
  }

  /** Runs {@code work} on the pool and waits for it; package-private so tests can occupy the pool. */
  <T> T run(Callable<T> work) {
    Future<T> future;
    try {
      future = pool.submit(work);
    } catch (RejectedExecutionException e) {
      throw new Busy();
    }
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new Busy();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
  }

  /** How many password hashes have been computed, real or dummy: what timing equalization is asserted by. */
  long hashesComputed() {
    return hashesComputed.get();
  }

  int threads() {
    return pool.getMaximumPoolSize();
  }

  int queueLimit() {
    return pool.getQueue().size() + pool.getQueue().remainingCapacity();
  }

  /** Checks waiting for a thread. */
  int queued() {
    return pool.getQueue().size();
  }

  /** Made once per process, with the current parameters; no password matches it. */
  private static final class Dummy {
    static final String HASH = Secrets.unmatchableHash();
  }
}
