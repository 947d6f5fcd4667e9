package org.stackledger.store;

import java.sql.SQLException;
import java.time.Duration;
import org.stackledger.problem.Problem;

/**
 * Recognises a write that failed because the disk under the store is full, and names the answer a
 * client gets: 503 {@code InsufficientStorage} with a {@code Retry-After}. A full disk is a passing
 * condition (an operator frees space), not a defect, so it must not surface as a 500; the write was
 * refused whole (it ran in one transaction), so the client retries and nothing is counted twice.
 * H2 reports it as an {@code IOException: No space left on device} somewhere in the cause chain
 * (wrapped in its MVStore or JDBC exceptions); PostgreSQL as SQLSTATE {@code 53100 disk_full}.
 */
public final class OutOfSpace {

  /** How long a refused client should wait: long enough for an operator to act, short enough to catch up. */
  public static final Duration RETRY_AFTER = Duration.ofSeconds(30);

  private static final String POSTGRES_DISK_FULL = "53100";
  private static final String NO_SPACE = "No space left on device";
  private static final int CHAIN_LIMIT = 32;

  private OutOfSpace() {
  }

  /** True when {@code failure} or any of its causes says the disk is full. */
  public static boolean causedBy(Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < CHAIN_LIMIT; depth++, t = t.getCause()) {
      if (t instanceof SQLException sql && POSTGRES_DISK_FULL.equals(sql.getSQLState())) {
        return true;
      }
      String message = t.getMessage();
      if (message != null && message.contains(NO_SPACE)) {
        return true;
      }
    }
    return false;
  }

  /** The problem a refused write answers with. */
  public static Problem problem() {
    return Problem.unavailable("InsufficientStorage",
        "The server's storage is full; nothing from this request was recorded. Retry later.", RETRY_AFTER);
  }
}
