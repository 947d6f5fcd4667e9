package org.stackledger.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

/**
 * The program's one database: an embedded H2 file store under the data folder by default, or a
 * PostgreSQL server given by JDBC URL. Both run the same Flyway migrations and the same SQL; features
 * reach it through {@link #jdbi()}.
 *
 * <p>The embedded store is opened with {@code WRITE_DELAY=0} so a commit reaches the file before it
 * returns, and every connection given back has the store written once more ({@link EmbeddedDurability}:
 * with concurrent commits H2 alone now and then left one out): an acknowledged write survives the
 * process being killed. Its pages are compressed
 * ({@code COMPRESS=TRUE}, LZF): a benchmark year's rows took less than half the bytes. The large
 * values of its append-only tables are kept out of its pages, in segment files ({@link Blobs}).
 */
public final class Database implements AutoCloseable {
  /** The storage engine behind a database; SQL that differs between them asks for it. */
  public enum Engine { H2, POSTGRESQL }

  private final HikariDataSource dataSource;
  private final Engine engine;
  private final Jdbi jdbi;
  private final Blobs blobs;

  private Database(HikariDataSource dataSource, Engine engine, Blobs blobs) {
    this.dataSource = dataSource;
    this.engine = engine;
    this.blobs = blobs;
    this.jdbi = Jdbi.create(engine == Engine.H2 ? EmbeddedDurability.wrap(dataSource) : dataSource);
    jdbi.getConfig(Blobs.Config.class).blobs(blobs);
  }

  /** The embedded store in {@code dataDir/db}. */
  public static Database embedded(Path dataDir) {
    String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db").resolve("stackledger")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;COMPRESS=TRUE";
    return open(url, null, null, Blobs.segments(dataDir.toAbsolutePath().resolve("db").resolve("segments")));
  }

  /**
   * Opens a database by JDBC URL and migrates it. User and password may also be in the URL, as the
   * PostgreSQL driver allows.
   */
  public static Database open(String url, String user, String password) {
    return open(url, user, password, Blobs.inline());
  }

  private static Database open(String url, String user, String password, Blobs blobs) {
    Engine engine = url.toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:") ? Engine.POSTGRESQL : Engine.H2;
    if (!url.startsWith("jdbc:h2:") && engine != Engine.POSTGRESQL) {
      throw new IllegalArgumentException("unsupported JDBC URL (use jdbc:postgresql: or jdbc:h2:): " + url);
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    if (user != null) {
      config.setUsername(user);
    }
    if (password != null) {
      config.setPassword(password);
    }
    config.setPoolName("stackledger");
    config.setMaximumPoolSize(engine == Engine.H2 ? 8 : 16);
    config.setMinimumIdle(1);
    config.setInitializationFailTimeout(10_000);
    config.setExceptionOverrideClassName(EvictOnStoreFailure.class.getName());
    HikariDataSource dataSource = new HikariDataSource(config);
    try {
      migrate(dataSource);
    } catch (RuntimeException e) {
      dataSource.close();
      blobs.close();
      throw e;
    }
    return new Database(dataSource, engine, blobs);
  }

  /**
   * The newest migration under {@code db/migration}. A test keeps it equal to the newest file, so
   * that a store already at this version starts without loading Flyway (half a second of start-up).
   */
  static final int LATEST_MIGRATION = 22;

  private static void migrate(DataSource dataSource) {
    if (schemaVersion(dataSource) == LATEST_MIGRATION) {
      return;
    }
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .loggers("slf4j")
        .load()
        .migrate();
  }

  /** The newest successfully applied migration, or -1 when there is none or no history table. */
  static int schemaVersion(DataSource dataSource) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM flyway_schema_history WHERE success = TRUE")) {
      int newest = -1;
      while (rs.next()) {
        String version = rs.getString(1);
        if (version != null) {
          newest = Math.max(newest, Integer.parseInt(version.split("\\.")[0]));
        }
      }
      return newest;
    } catch (SQLException | NumberFormatException e) {
      return -1;
    }
  }

  /** SQLSTATE of a unique or primary key violation, in H2 and PostgreSQL alike. */
  private static final String UNIQUE_VIOLATION = "23505";

  /**
   * Whether {@code h} talks to PostgreSQL, for the few statements a feature writes differently there
   * (each statement costs a trip to another process). The driver answers from the connection, without
   * a trip to the server.
   */
  public static boolean isPostgreSQL(org.jdbi.v3.core.Handle h) {
    try {
      return "PostgreSQL".equals(h.getConnection().getMetaData().getDatabaseProductName());
    } catch (SQLException e) {
      throw new IllegalStateException("the store's connection does not say what it is", e);
    }
  }

  /**
   * Whether a failure (or one of its causes) is a unique-key violation: the sign that a concurrent
   * writer inserted the same key first, which callers answer by reading the winner's row.
   */
  public static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** SQLSTATE class of every integrity constraint violation: unique, foreign key, not null, check. */
  private static final String INTEGRITY_VIOLATION_CLASS = "23";

  /**
   * Whether a failure (or one of its causes) is any integrity constraint violation: besides a unique
   * key, a foreign key whose row a concurrent writer deleted between our check and our insert. Both
   * mean another writer won a race; callers answer with a conflict.
   */
  public static boolean isIntegrityViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && sql.getSQLState() != null
          && sql.getSQLState().startsWith(INTEGRITY_VIOLATION_CLASS)) {
        return true;
      }
    }
    return false;
  }

  /** True when the database answers a trivial query: what {@code /healthz} reports. */
  public boolean answers() {
    try {
      jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public Engine engine() {
    return engine;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  /** Where the append-only tables' large values live: segment files for the embedded store, else the rows. */
  public Blobs blobs() {
    return blobs;
  }

  @Override
  public void close() {
    try {
      dataSource.close();
    } finally {
      blobs.close();
    }
  }
}
