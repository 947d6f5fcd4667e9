package org.stackledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.testing.Engine;

/** The Flyway migrations and the start-up fast path that skips Flyway when the store is current. */
@Tag("storage")
class MigrationsTest {
  private static final Pattern VERSIONED = Pattern.compile("V(\\d+(?:[._]\\d+)*)__.+\\.sql");
  private static final List<String> TABLES = List.of("subscriptions", "provider_registrations", "arm_resources",
      "settings");

  @TempDir
  Path tempDir;

  /** A row of {@code flyway_schema_history}, in the columns that must not change on reopen. */
  private record Applied(int rank, String version, String script, Integer checksum, boolean success,
      String installedOn) {}

  @ParameterizedTest
  @EnumSource(Engine.class)
  void migrationsApplyOnAFreshDatabaseAndReopeningChangesNothing(Engine engine) throws Exception {
    StoreFixture store = StoreFixture.fresh(engine, tempDir);
    List<Applied> first;
    try (Database db = store.open()) {
      assertThat(db.engine()).isEqualTo(store.expectedEngine());
      assertThat(Database.schemaVersion(db.dataSource())).isEqualTo(Database.LATEST_MIGRATION);
      first = history(db);
      // Flyway may add a schema-creation marker row without a version; count the versioned rows.
      assertThat(first.stream().filter(a -> a.version() != null).map(Applied::script).toList())
          .as("one history row per migration file, in version order (history: %s)", first)
          .containsExactlyElementsOf(migrationFiles().keySet());
      assertThat(first).allSatisfy(a -> assertThat(a.success()).as(a.script()).isTrue());
      for (String table : TABLES) {
        assertThat(count(db, table)).as("table %s exists and is empty", table).isZero();
      }
    }

    try (Database db = store.open()) {
      assertThat(history(db)).as("reopening must neither re-run nor add migrations").isEqualTo(first);
      // The fast path skipped Flyway above; Flyway itself must also agree there is nothing to do.
      MigrateResult again = Flyway.configure().dataSource(db.dataSource()).locations("classpath:db/migration")
          .load().migrate();
      assertThat(again.migrationsExecuted).as("migrations Flyway still wants to run").isZero();
      assertThat(history(db)).isEqualTo(first);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void schemaVersionIsMinusOneOnAnEmptyDatabaseSoTheFastPathCannotSkipMigrating(Engine engine) {
    StoreFixture empty = StoreFixture.fresh(engine, tempDir);
    String url = engine == Engine.H2
        ? "jdbc:h2:file:" + empty.dataDir().toAbsolutePath().resolve("bare") + ";MODE=PostgreSQL"
        : empty.url();
    try (com.zaxxer.hikari.HikariDataSource raw = new com.zaxxer.hikari.HikariDataSource(hikari(url))) {
      assertThat(Database.schemaVersion(raw)).isEqualTo(-1);
    }
  }

  @Test
  void latestMigrationConstantEqualsTheNewestMigrationFile() throws Exception {
    Map<String, List<Integer>> files = migrationFiles();
    assertThat(files).as("migration files on the classpath under db/migration").isNotEmpty();
    List<Integer> newest = files.values().stream().max(MigrationsTest::compareVersions).orElseThrow();
    // The fast path compares only the major part of the applied version, so the newest file must be
    // a whole number: a V<n>_1__ file above it would be skipped on every store already at <n>.
    assertThat(newest).as("newest migration version (files: %s)", files.keySet())
        .containsExactly(Database.LATEST_MIGRATION);
    assertThat(new TreeSet<>(files.values().stream().map(List::toString).toList()))
        .as("migration versions must be unique: %s", files.keySet()).hasSize(files.size());

    Path sourceTree = Path.of("src", "main", "resources", "db", "migration");
    if (Files.isDirectory(sourceTree)) {
      try (Stream<Path> source = Files.list(sourceTree)) {
        assertThat(source.map(p -> p.getFileName().toString()).filter(n -> VERSIONED.matcher(n).matches()))
            .as("the classpath copy must match the source tree (stale target/classes?)")
            .containsExactlyInAnyOrderElementsOf(files.keySet());
      }
    }
  }

  /** Versioned migration files under {@code db/migration} on the classpath, in version order. */
  static Map<String, List<Integer>> migrationFiles() throws IOException, URISyntaxException {
    URL url = Database.class.getClassLoader().getResource("db/migration");
    assertThat(url).as("db/migration on the classpath").isNotNull();
    URI uri = url.toURI();
    List<String> names = new ArrayList<>();
    if (uri.getScheme().equals("jar")) {
      try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of()); Stream<Path> s = Files.list(jar.getPath("db/migration"))) {
        s.forEach(p -> names.add(p.getFileName().toString()));
      }
    } else {
      try (Stream<Path> s = Files.list(Path.of(uri))) {
        s.forEach(p -> names.add(p.getFileName().toString()));
      }
    }
    Map<String, List<Integer>> versions = new java.util.LinkedHashMap<>();
    names.stream().map(VERSIONED::matcher).filter(Matcher::matches)
        .sorted(Comparator.comparing((Matcher m) -> parse(m.group(1)), MigrationsTest::compareVersions))
        .forEach(m -> versions.put(m.group(0), parse(m.group(1))));
    return versions;
  }

  private static List<Integer> parse(String version) {
    return Arrays.stream(version.split("[._]")).map(Integer::valueOf).toList();
  }

  private static int compareVersions(List<Integer> a, List<Integer> b) {
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      int x = i < a.size() ? a.get(i) : 0;
      int y = i < b.size() ? b.get(i) : 0;
      if (x != y) {
        return Integer.compare(x, y);
      }
    }
    return 0;
  }

  private static com.zaxxer.hikari.HikariConfig hikari(String url) {
    com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(1);
    return config;
  }

  private static List<Applied> history(Database db) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT installed_rank, version, script, checksum, success, "
            + "CAST(installed_on AS VARCHAR(64)) AS installed_on FROM flyway_schema_history ORDER BY installed_rank")
        .map((rs, ctx) -> new Applied(rs.getInt(1), rs.getString(2), rs.getString(3),
            (Integer) rs.getObject(4), rs.getBoolean(5), rs.getString(6)))
        .list());
  }

  private static long count(Database db, String table) {
    return db.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
  }
}
