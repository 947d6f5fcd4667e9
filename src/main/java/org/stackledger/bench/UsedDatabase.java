package org.stackledger.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A benchmark's database already holds a stackledger store. A benchmark makes its own operator,
 * subscriptions and usage on an empty store; on a used one the store keeps the operator of its first
 * start, so the benchmark's could not sign in, and its figures would mix with the earlier run's data.
 * Refused before anything is opened, in one line.
 */
public final class UsedDatabase extends Exception {
  private static final long serialVersionUID = 1L;

  private UsedDatabase(String message) {
    super(message, null, false, false);
  }

  /** Refuses a database that holds a store (its migration history), or that cannot be opened. */
  static void refuseUsed(String jdbcUrl) throws UsedDatabase {
    String shown = withoutQuery(jdbcUrl);
    try (Connection c = DriverManager.getConnection(jdbcUrl)) {
      int migrations;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM flyway_schema_history")) {
        rs.next();
        migrations = rs.getInt(1);
      } catch (SQLException noHistory) {
        return;
      }
      if (migrations > 0) {
        throw new UsedDatabase("the database " + shown + " already holds a stackledger store (from an earlier "
            + "benchmark or a server); a benchmark needs an empty database: drop and create it, or name another");
      }
    } catch (SQLException e) {
      throw new UsedDatabase("cannot open the database " + shown + ": " + e.getMessage());
    }
  }

  /** The URL as it may be shown: without its query, where a password may be. */
  private static String withoutQuery(String jdbcUrl) {
    int q = jdbcUrl.indexOf('?');
    int semi = jdbcUrl.startsWith("jdbc:h2:") ? jdbcUrl.indexOf(';') : -1;
    int cut = q >= 0 ? q : semi;
    return cut >= 0 ? jdbcUrl.substring(0, cut) : jdbcUrl;
  }
}
