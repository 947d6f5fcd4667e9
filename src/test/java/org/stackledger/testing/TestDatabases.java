package org.stackledger.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.stackledger.store.Database;

/**
 * Hands out a fresh, empty database per call: nothing for H2 (the server makes its own file store in
 * its data folder), a new PostgreSQL database otherwise. One PostgreSQL server serves the whole test
 * JVM: an embedded one started on first use, or the external one in {@code stackledger.test.pg.url}.
 */
public final class TestDatabases {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static volatile String adminUrl;
  private static EmbeddedPostgres embedded;

  private TestDatabases() {}

  /** A JDBC URL of a new empty database, or {@code null} for the embedded H2 store. */
  public static String fresh(Engine engine) {
    return create(engine, false);
  }

  /**
   * Like {@link #fresh}, but a PostgreSQL database already at the newest migration (see
   * {@link DataFolderTemplate} for H2's).
   */
  public static String freshMigrated(Engine engine) {
    return create(engine, true);
  }

  private static String create(Engine engine, boolean migrated) {
    if (engine == Engine.H2) {
      // CI's second pass runs the storage tests against a packaged PostgreSQL only: their H2 rows ran in
      // the first pass, so here they are skipped (reported as such), not run twice.
      if ("postgresql".equalsIgnoreCase(System.getProperty("stackledger.test.engine", ""))) {
        org.junit.jupiter.api.Assumptions.abort("this run is PostgreSQL's (stackledger.test.engine); H2 ran before");
      }
      return null;
    }
    String admin = adminUrl();
    String name = "sl_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    String sql = "CREATE DATABASE " + name + (migrated ? " TEMPLATE " + postgresTemplate(admin) : "");
    try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database on " + admin, e);
    }
    return withDatabase(admin, name);
  }

  /** Which PostgreSQL the tests use, for test names and failure messages. */
  public static String describePostgres() {
    String external = System.getProperty("stackledger.test.pg.url", "");
    return external.isBlank() ? "embedded PostgreSQL (zonky)" : external;
  }

  private static String withDatabase(String url, String database) {
    int q = url.indexOf('?');
    String base = q < 0 ? url : url.substring(0, q);
    String params = q < 0 ? "" : url.substring(q);
    return base.substring(0, base.lastIndexOf('/') + 1) + database + params;
  }

  /**
   * A store of the current schema and nothing else, migrated once per test JVM and copied for each
   * server: a store already at the newest migration starts without Flyway, which was a tenth of the
   * suite's CPU. The migrations themselves still run here, once per engine and JVM, and a store a
   * server makes from nothing (the CLI's, the child processes') runs them as always.
   */
  private static String postgresTemplate;

  private static synchronized String postgresTemplate(String admin) {
    if (postgresTemplate == null) {
      String name = "sl_" + ProcessHandle.current().pid() + "_template";
      try (Connection c = DriverManager.getConnection(admin); Statement s = c.createStatement()) {
        s.execute("CREATE DATABASE " + name);
      } catch (SQLException e) {
        throw new IllegalStateException("cannot create the template database on " + admin, e);
      }
      // Closed before use: PostgreSQL copies a template only while nobody is connected to it.
      Database.open(withDatabase(admin, name), null, null).close();
      postgresTemplate = name;
    }
    return postgresTemplate;
  }

  private static synchronized String adminUrl() {
    if (adminUrl != null) {
      return adminUrl;
    }
    String external = System.getProperty("stackledger.test.pg.url", "");
    if (!external.isBlank()) {
      adminUrl = external;
      return adminUrl;
    }
    try {
      embedded = EmbeddedPostgres.builder().start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL", e);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        embedded.close();
      } catch (IOException ignored) {
        // The JVM is exiting; the temporary cluster goes with it.
      }
    }));
    adminUrl = "jdbc:postgresql://localhost:" + embedded.getPort() + "/postgres?user=postgres";
    return adminUrl;
  }
}
