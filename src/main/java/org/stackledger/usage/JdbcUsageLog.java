package org.stackledger.usage;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.store.Blobs;
import org.stackledger.store.Database;

/**
 * The usage log in the deployment's database, one row a batch. A batch of a thousand events is one
 * row insert and one commit, whatever the engine: the per-event cost is the encoding, not the
 * database.
 *
 * <p>On PostgreSQL a batch's events (some 150 KB) are stored out of line and compressed by the
 * server; its default compressor (pglz) took more of the server's time than everything else an
 * append does, so the log asks for lz4 where the server has it (see {@link #preferLz4}).
 */
final class JdbcUsageLog implements UsageLog {
  /** The embedded store's segments of the log, a month each (retention removes months; see {@link Blobs}). */
  static final String USAGE_PARTITION = "usage";

  private final Jdbi jdbi;

  JdbcUsageLog(Jdbi jdbi) {
    this.jdbi = jdbi;
    preferLz4(jdbi);
  }

  /**
   * Has PostgreSQL compress the events column with lz4: in the bench, intake went from 151k to
   * some 290k events/s on the same machine, and the log's bytes on disk fell by a third. Not a
   * migration: H2 runs the same migrations and has no such clause, and a server built without lz4
   * refuses it. Once per store (the column keeps the setting); values already stored stay as they
   * are. A server that refuses keeps pglz: slower, equally correct.
   */
  private static void preferLz4(Jdbi jdbi) {
    jdbi.useHandle(h -> {
      if (!Database.isPostgreSQL(h)) {
        return;
      }
      boolean lz4 = h.createQuery("SELECT attcompression = 'l' FROM pg_attribute "
              + "WHERE attrelid = 'usage_batches'::regclass AND attname = 'events'")
          .mapTo(Boolean.class).findOne().orElse(true);
      if (!lz4) {
        try {
          h.execute("ALTER TABLE usage_batches ALTER COLUMN events SET COMPRESSION lz4");
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException notBuiltWithLz4) {
          // pglz stays.
        }
      }
    });
  }

  @Override
  public void append(List<Batch> batches) {
    jdbi.useTransaction(h -> {
      var insert = h.prepareBatch("INSERT INTO usage_batches (batch_seq, reported_at, reported_hour, "
          + "event_count, events, events_ref) VALUES (:seq, :at, :hour, :n, :events, :eventsRef)");
      var keys = h.prepareBatch("INSERT INTO usage_batch_keys (batch_seq, reported_hour, event_keys, event_keys_ref) "
          + "VALUES (:seq, :hour, :keys, :keysRef)");
      Blobs blobs = Blobs.of(h);
      for (Batch batch : batches) {
        OffsetDateTime hour = utc(batch.reportedAt().truncatedTo(ChronoUnit.HOURS));
        String partition = Blobs.monthly(USAGE_PARTITION, batch.reportedAt());
        Blobs.Stored events = blobs.put(partition, batch.events());
        Blobs.Stored eventKeys = blobs.put(partition, batch.keys());
        insert.bind("seq", batch.sequence()).bind("at", utc(batch.reportedAt())).bind("hour", hour)
            .bind("n", batch.eventCount()).bind("events", events.inline()).bind("eventsRef", events.ref()).add();
        keys.bind("seq", batch.sequence()).bind("hour", hour).bind("keys", eventKeys.inline())
            .bind("keysRef", eventKeys.ref()).add();
      }
      insert.execute();
      keys.execute();
    });
  }

  @Override
  public long lastSequence() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(batch_seq), 0) FROM usage_batches")
        .mapTo(Long.class).one());
  }

  @Override
  public List<Instant> reportedHours(Instant from, Instant to) {
    return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT reported_hour FROM usage_batches "
            + "WHERE reported_hour >= :from AND reported_hour < :to ORDER BY reported_hour")
        .bind("from", utc(from)).bind("to", utc(to))
        .map((rs, ctx) -> rs.getObject(1, OffsetDateTime.class).toInstant()).list());
  }

  @Override
  public void readHour(Instant hour, Consumer<Batch> sink) {
    jdbi.useHandle(h -> {
      Blobs blobs = Blobs.of(h);
      h.createQuery("SELECT b.batch_seq, b.reported_at, b.event_count, b.events, b.events_ref, k.event_keys, "
              + "k.event_keys_ref FROM usage_batches b JOIN usage_batch_keys k ON k.batch_seq = b.batch_seq "
              + "WHERE b.reported_hour = :hour ORDER BY b.batch_seq")
          .bind("hour", utc(hour))
          .map((rs, ctx) -> new Batch(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getInt(3),
              blobs.get(rs, 4, 5), blobs.get(rs, 6, 7)))
          .forEach(sink);
    });
  }

  @Override
  public void readKeys(Instant from, Instant to, java.util.function.BiConsumer<Instant, byte[]> sink) {
    // By reported hour, on the (reported_hour, batch_seq) index of the keys' own table: a restart
    // reads the window's keys, whatever the history holds, and none of their events. One query for
    // the window, streamed: in a transaction, since PostgreSQL's driver honours the fetch size only
    // outside auto-commit; and in binary, since its text form of bytea is hex, twice the bytes to
    // send and to decode (2.5 M keys: 60 MB).
    jdbi.useTransaction(h -> {
      Blobs blobs = Blobs.of(h);
      h.createQuery("SELECT reported_hour, event_keys, event_keys_ref FROM usage_batch_keys "
              + "WHERE reported_hour >= :from AND reported_hour < :to ORDER BY reported_hour, batch_seq")
          .bind("from", utc(from)).bind("to", utc(to)).addCustomizer(BINARY_RESULTS)
          .setFetchSize(256)
          .map((rs, ctx) -> java.util.Map.entry(rs.getObject(1, OffsetDateTime.class).toInstant(), blobs.get(rs, 2, 3)))
          .forEach(batch -> sink.accept(batch.getKey(), batch.getValue()));
    });
  }

  /**
   * Asks PostgreSQL's driver for results in binary from the first execution (a prepare threshold of
   * -1); it otherwise takes text until a statement has run five times. Nothing on H2.
   */
  private static final org.jdbi.v3.core.statement.StatementCustomizer BINARY_RESULTS =
      new org.jdbi.v3.core.statement.StatementCustomizer() {
        @Override
        public void beforeExecution(java.sql.PreparedStatement stmt, org.jdbi.v3.core.statement.StatementContext ctx)
            throws java.sql.SQLException {
          if (stmt.isWrapperFor(org.postgresql.PGStatement.class)) {
            stmt.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);
          }
        }
      };

  @Override
  public long eventCount() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(event_count), 0) FROM usage_batches")
        .mapTo(Long.class).one());
  }

  @Override
  public Optional<Instant> lastReportedAt() {
    // Within the latest reported hour, found on the hour index: a MAX over every row would read the
    // whole log at each start. MAX of no rows is one row holding NULL, which list() keeps and one()
    // would refuse.
    return jdbi.withHandle(h -> h.createQuery("SELECT MAX(reported_at) FROM usage_batches WHERE reported_hour = "
            + "(SELECT MAX(reported_hour) FROM usage_batches)")
        .map((rs, ctx) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant))
        .list().get(0));
  }

  static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
