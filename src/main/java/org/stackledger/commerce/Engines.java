package org.stackledger.commerce;

import java.sql.SQLException;
import org.jdbi.v3.core.Handle;

/**
 * Which engine a handle talks to, for the few statements commerce writes differently on PostgreSQL:
 * there each statement costs a trip to another process, so locks and upserts that the embedded store
 * takes in two statements are one.
 */
final class Engines {
  private Engines() {}

  static boolean isPostgres(Handle h) {
    try {
      // The driver answers from the connection, without a trip to the server.
      return "PostgreSQL".equals(h.getConnection().getMetaData().getDatabaseProductName());
    } catch (SQLException e) {
      throw new IllegalStateException("the store's connection does not say what it is", e);
    }
  }
}
