package org.stackledger.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.stackledger.store.Database;

/**
 * The bytes a store takes on disk, by table (each with its indexes) and in all. H2 answers
 * {@code DISK_SPACE_USED} per table, and the whole is its data folder, where the MVStore also keeps
 * pages no table uses any more until it compacts them; PostgreSQL answers {@code pg_total_relation_size}
 * (heap, TOAST and indexes) and {@code pg_database_size}. The whole minus the tables' sum is what the
 * engine holds beyond live rows: free pages, the catalogue, WAL is not counted on PostgreSQL. The
 * embedded store's segment files (the append-only tables' large values) count as one more table.
 */
record StoreSize(Map<String, Long> tables, long total) {
  static StoreSize of(Database db, Path dataDir) {
    Map<String, Long> tables = new TreeMap<>();
    boolean h2 = db.engine() == Database.Engine.H2;
    String size = h2 ? "DISK_SPACE_USED(table_schema || '.' || table_name)"
        : "pg_total_relation_size(quote_ident(table_schema) || '.' || quote_ident(table_name))";
    db.jdbi().useHandle(h -> h.createQuery("SELECT table_name, " + size + " AS bytes FROM information_schema.tables "
            + "WHERE table_type = 'BASE TABLE' AND table_schema = current_schema()")
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
        .forEach(e -> tables.put(e.getKey(), e.getValue())));
    if (db.blobs().segmented()) {
      // The large values of the append-only tables, beside the embedded store (counted as a table here).
      tables.put("(segment files)", db.blobs().bytes());
    }
    long total = h2 ? folder(dataDir.resolve("db"))
        : db.jdbi().withHandle(h -> h.createQuery("SELECT pg_database_size(current_database())").mapTo(Long.class).one());
    return new StoreSize(Map.copyOf(tables), total);
  }

  long tablesTotal() {
    return tables.values().stream().mapToLong(Long::longValue).sum();
  }

  private static long folder(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException gone) {
          return 0; // a temporary file the store removed while we walked
        }
      }).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
