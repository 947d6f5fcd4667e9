package org.stackledger.store;

import com.zaxxer.hikari.SQLExceptionOverride;
import java.sql.SQLException;

/**
 * Tells the connection pool to drop a connection whose store failed under it. H2 closes its
 * database when a write fails, a full disk included, and every pooled connection then answers
 * "database has been closed" (error 90098) until it is replaced; dropping those connections lets
 * the next one reopen the file once space has returned, so the server recovers without a restart.
 */
public final class EvictOnStoreFailure implements SQLExceptionOverride {
  private static final int H2_DATABASE_IS_CLOSED = 90098;

  @java.lang.Override
  public Override adjudicate(SQLException failure) {
    boolean dead = failure.getErrorCode() == H2_DATABASE_IS_CLOSED || OutOfSpace.causedBy(failure);
    return dead ? Override.MUST_EVICT : Override.CONTINUE_EVICT;
  }
}
