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
  /** Where the events are when they are not in the row: a Kafka topic ({@code serve --kafka}); else null. */
  private final org.stackledger.kafka.TopicStore kafka;
  /** Whether the store is PostgreSQL: statements that go together are sent together (one round trip). */
  private final boolean postgres;

  JdbcUsageLog(Jdbi jdbi) {
    this(jdbi, null);
  }

  /**
   * The log with its events in a Kafka topic: each batch's events are appended there (and acknowledged
   * by every in-sync replica) before its row, which names their position, is committed; a batch whose
   * row never commits leaves events in the topic that no row names and nothing reads. A batch is of one
   * partition (the intake splits what it is given by the partition of each event's subscription), and
   * goes to the topic's partition of that number.
   */
  JdbcUsageLog(Jdbi jdbi, org.stackledger.kafka.TopicStore kafka) {
    this.jdbi = jdbi;
    this.kafka = kafka;
    this.postgres = jdbi.withHandle(Database::isPostgreSQL);
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
      // Asked first, not tried: the refusal of a server built without lz4 (SQLSTATE 0A000) makes the pool
      // close the connection and log it with a stack trace, at every start.
      boolean available = h.createQuery("SELECT COUNT(*) FROM pg_settings WHERE name = 'default_toast_compression' "
              + "AND 'lz4' = ANY(enumvals)").mapTo(Integer.class).one() > 0;
      if (!lz4 && available) {
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
    // Outside the transaction: no connection is held while the cluster acknowledges.
    List<long[]> positions = kafka == null ? null : toKafka(batches);
    jdbi.useTransaction(h -> insertRows(h, batches, positions));
  }

  /**
   * With the events on Kafka the log is the scale-out one, which several intake nodes may append to:
   * the decision and the append run under the lock row every node takes ({@code usage_log_lock}, one
   * row, {@code SELECT … FOR UPDATE} on either engine), after reading the keys the other nodes
   * committed since this one last looked. A batch's row is only written once every in-sync replica
   * holds its events: staged events are acknowledged before the lock is taken (the intake awaits them),
   * and the fresh events of a batch found to hold duplicates are appended under it; the next node's
   * decision sees this batch's keys only once its row is committed.
   */
  @Override
  public void appendDeciding(long known, java.util.function.Function<Catchup, List<Batch>> decide) {
    if (kafka == null) {
      UsageLog.super.appendDeciding(known, decide);
      return;
    }
    jdbi.useTransaction(h -> {
      Locked locked = lockedLastSequence(h);
      long last = locked.lastSequence();
      List<Batch> others = last > known ? keysAfter(h, known) : List.of();
      List<Batch> batches = decide.apply(new Catchup(last, others, locked.closedBefore()));
      if (!batches.isEmpty()) {
        insertRows(h, batches, toKafka(batches));
      }
    });
  }

  private static final String LOCK = "SELECT closed_before FROM usage_log_lock WHERE id = 1 FOR UPDATE";
  private static final String LAST_SEQUENCE = "SELECT COALESCE(MAX(batch_seq), 0) FROM usage_batches";

  /** What the lock row and the log say once the lock is held: the last sequence, and no stamp before this. */
  private record Locked(long lastSequence, Instant closedBefore) {}

  /**
   * Takes the lock every node decides under and reads the log's last sequence after it is held. Two
   * statements: one that locked and read would read with the snapshot it started with, before the wait,
   * and miss the batch the lock's last holder committed (tried: IntakeNodesTest then counts every event
   * twice). On PostgreSQL both go in one message, one round trip instead of two, and each still takes
   * its own snapshot (read committed): the decision runs one at a time across every node, and on a busy
   * machine each round trip is also a wait for a core, twice.
   */
  private Locked lockedLastSequence(org.jdbi.v3.core.Handle h) {
    if (!postgres) {
      Instant closedBefore = lockRow(h);
      return new Locked(h.createQuery(LAST_SEQUENCE).mapTo(Long.class).one(), closedBefore);
    }
    try (java.sql.Statement both = h.getConnection().createStatement()) {
      both.execute(LOCK + "; " + LAST_SEQUENCE);
      Instant closedBefore;
      try (java.sql.ResultSet rs = both.getResultSet()) {
        rs.next();
        closedBefore = instantOrEpoch(rs.getObject(1, OffsetDateTime.class));
      }
      if (!both.getMoreResults()) {
        throw new IllegalStateException("the log's last sequence was not answered");
      }
      try (java.sql.ResultSet rs = both.getResultSet()) {
        rs.next();
        return new Locked(rs.getLong(1), closedBefore);
      }
    } catch (java.sql.SQLException e) {
      throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(e, null);
    }
  }

  /** Takes the writers' lock row; answers the hour boundary before which no batch may be stamped any more. */
  private static Instant lockRow(org.jdbi.v3.core.Handle h) {
    return h.createQuery(LOCK).map((rs, ctx) -> instantOrEpoch(rs.getObject(1, OffsetDateTime.class))).one();
  }

  private static Instant instantOrEpoch(OffsetDateTime t) {
    return t == null ? Instant.EPOCH : t.toInstant();
  }

  @Override
  public void awaitWriters(Instant closing) {
    if (kafka != null) {
      jdbi.useTransaction(h -> {
        // Written once an hour, by the first node to call the hour closed; the others only pass the lock.
        if (lockRow(h).isBefore(closing)) {
          h.createUpdate("UPDATE usage_log_lock SET closed_before = :closing WHERE id = 1")
              .bind("closing", utc(closing)).execute();
        }
      });
    }
  }

  /** The batches after {@code known}, with their keys and reported times (not their events), in order. */
  private static List<Batch> keysAfter(org.jdbi.v3.core.Handle h, long known) {
    Blobs blobs = Blobs.of(h);
    return h.createQuery("SELECT b.batch_seq, b.reported_at, b.event_count, k.event_keys, k.event_keys_ref "
            + "FROM usage_batches b JOIN usage_batch_keys k ON k.batch_seq = b.batch_seq WHERE b.batch_seq > :known "
            + "ORDER BY b.batch_seq")
        .bind("known", known)
        .map((rs, ctx) -> new Batch(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getInt(3), null,
            blobs.get(rs, 4, 5)))
        .list();
  }

  @Override
  public boolean holds(Batch batch) {
    return jdbi.withHandle(h -> {
      Blobs blobs = Blobs.of(h);
      return h.createQuery("SELECT event_keys, event_keys_ref FROM usage_batch_keys WHERE batch_seq = :seq")
          .bind("seq", batch.sequence()).map((rs, ctx) -> blobs.get(rs, 1, 2)).findFirst()
          .map(keys -> java.util.Arrays.equals(keys, batch.keys())).orElse(false);
    });
  }

  /**
   * Appends the events of the batches not yet staged to the topic and answers every batch's position,
   * once every in-sync replica has them (the staged ones' too: their acknowledgement is awaited here).
   */
  private List<long[]> toKafka(List<Batch> batches) {
    List<org.stackledger.kafka.TopicStore.Value> unstaged = new java.util.ArrayList<>();
    for (Batch b : batches) {
      int keyAt = 0;
      for (Part part : partsOf(b)) {
        if (part.staged() == null) {
          unstaged.add(new org.stackledger.kafka.TopicStore.Value(key(b.keys(), keyAt), part.partition(),
              part.events()));
        }
        keyAt += part.eventCount();
      }
    }
    java.util.Iterator<Long> appended = kafka.appendAll(unstaged).iterator();
    List<long[]> positions = new java.util.ArrayList<>(batches.size());
    for (Batch b : batches) {
      List<Part> parts = partsOf(b);
      long[] at = new long[parts.size()];
      for (int i = 0; i < at.length; i++) {
        at[i] = parts.get(i).staged() != null ? parts.get(i).staged().position() : appended.next();
      }
      positions.add(at);
    }
    return positions;
  }

  /** A batch's parts: its own, or the one it is. */
  private static List<Part> partsOf(Batch b) {
    return b.parts() != null ? b.parts() : List.of(new Part(b.partition(), b.eventCount(), b.events(), b.staged()));
  }

  /** A multi-part batch's parts as its row keeps them: partition, event count and position, each. */
  private static byte[] encodeParts(List<Part> parts, long[] positions) {
    java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(4 + parts.size() * 16);
    out.putInt(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      out.putInt(parts.get(i).partition()).putInt(parts.get(i).eventCount()).putLong(positions[i]);
    }
    return out.array();
  }

  /** One part as a row names it: its partition, events, position, and where its keys start in the row's. */
  private record StoredPart(int partition, int eventCount, long position, int keyAt) {}

  private static List<StoredPart> decodeParts(byte[] bytes) {
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
    int n = in.getInt();
    List<StoredPart> out = new java.util.ArrayList<>(n);
    int keyAt = 0;
    for (int i = 0; i < n; i++) {
      StoredPart part = new StoredPart(in.getInt(), in.getInt(), in.getLong(), keyAt);
      out.add(part);
      keyAt += part.eventCount();
    }
    return out;
  }

  /** The topic's partitions with the events on Kafka; one without. */
  @Override
  public int partitions() {
    return kafka == null ? 1 : kafka.partitions();
  }

  /**
   * With the events on Kafka, a batch's events are sent as soon as it is checked and encoded, by the
   * thread that brought it, side by side with other batches; their acknowledgement is awaited only when
   * the batch is appended, so it overlaps the wait for the lock and the decision, which then only names
   * them.
   */
  @Override
  public Staged stage(int partition, byte[] key, byte[] events) {
    if (kafka == null) {
      return null;
    }
    return kafka.append(new org.stackledger.kafka.TopicStore.Value(key, partition, events))::position;
  }

  private static final String BATCH_ROW = "INSERT INTO usage_batches (batch_seq, reported_at, reported_hour, "
      + "event_count, events, events_ref, events_kafka, log_partition, log_parts) VALUES (:seq, :at, :hour, :n, "
      + ":events, :eventsRef, :eventsKafka, :partition, :parts)";
  private static final String KEYS_ROW = "INSERT INTO usage_batch_keys (batch_seq, reported_hour, event_keys, "
      + "event_keys_ref) VALUES (:seq, :hour, :keys, :keysRef)";

  /**
   * A row and a keys row for each batch. On PostgreSQL both inserts are one statement, so that the
   * rows of every batch of a group go in one round trip rather than one a table (see {@link #lockedLastSequence}).
   */
  private void insertRows(org.jdbi.v3.core.Handle h, List<Batch> batches, List<long[]> positions) {
    boolean together = postgres;
    // One statement on PostgreSQL, the batch's row inserted by a data-modifying WITH of the keys' insert.
    var rows = h.prepareBatch(together ? "WITH row AS (" + BATCH_ROW + ") " + KEYS_ROW : BATCH_ROW);
    var keys = together ? rows : h.prepareBatch(KEYS_ROW);
    Blobs blobs = Blobs.of(h);
    for (int i = 0; i < batches.size(); i++) {
      Batch batch = batches.get(i);
      OffsetDateTime hour = utc(batch.reportedAt().truncatedTo(ChronoUnit.HOURS));
      String partition = Blobs.monthly(USAGE_PARTITION, batch.reportedAt());
      long[] inKafka = positions == null ? null : positions.get(i);
      boolean several = batch.parts() != null && batch.parts().size() > 1;
      Blobs.Stored events = inKafka != null ? new Blobs.Stored(null, null) : blobs.put(partition, batch.events());
      Blobs.Stored eventKeys = blobs.put(partition, batch.keys());
      rows.bind("seq", batch.sequence()).bind("at", utc(batch.reportedAt())).bind("hour", hour)
          .bind("n", batch.eventCount()).bind("events", events.inline()).bind("eventsRef", events.ref())
          .bind("eventsKafka", inKafka == null || several ? null : inKafka[0])
          .bind("partition", several ? -1 : partsOf(batch).get(0).partition())
          .bind("parts", several ? encodeParts(batch.parts(), inKafka) : null);
      keys.bind("seq", batch.sequence()).bind("hour", hour).bind("keys", eventKeys.inline())
          .bind("keysRef", eventKeys.ref());
      rows.add();
      if (!together) {
        keys.add();
      }
    }
    rows.execute();
    if (!together) {
      keys.execute();
    }
  }

  /** From the batches' rows alone, by the reported-hour index: their events stay where they are (or in Kafka). */
  @Override
  public List<HourTally> tally(Instant from, Instant to) {
    return jdbi.withHandle(h -> h.createQuery("SELECT reported_hour, SUM(event_count), COUNT(*) FROM usage_batches "
            + "WHERE reported_hour >= :from AND reported_hour < :to GROUP BY reported_hour ORDER BY reported_hour")
        .bind("from", utc(from)).bind("to", utc(to))
        .map((rs, ctx) -> new HourTally(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getLong(2), rs.getLong(3)))
        .list());
  }

  @Override
  public long lastSequence() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COALESCE(MAX(batch_seq), 0) FROM usage_batches")
        .mapTo(Long.class).one());
  }

  @Override
  public List<Instant> reportedHours(Instant from, Instant to) {
    return reportedHours(null, from, to);
  }

  @Override
  public List<Instant> reportedHours(int partition, Instant from, Instant to) {
    return reportedHours((Integer) partition, from, to);
  }

  /** @param partition null: every partition's */
  private List<Instant> reportedHours(Integer partition, Instant from, Instant to) {
    return jdbi.withHandle(h -> {
      var query = h.createQuery("SELECT DISTINCT reported_hour FROM usage_batches "
              + "WHERE reported_hour >= :from AND reported_hour < :to"
              + (partition == null ? "" : " AND log_partition IN (:partition, -1)") + " ORDER BY reported_hour")
          .bind("from", utc(from)).bind("to", utc(to));
      if (partition != null) {
        query.bind("partition", partition.intValue());
      }
      return query.map((rs, ctx) -> rs.getObject(1, OffsetDateTime.class).toInstant()).list();
    });
  }

  @Override
  public void readHour(Instant hour, Consumer<Batch> sink) {
    readHour(null, hour, sink);
  }

  @Override
  public void readHour(int partition, Instant hour, Consumer<Batch> sink) {
    readHour((Integer) partition, hour, sink);
  }

  /** @param partition null: every partition's batches */
  private void readHour(Integer partition, Instant hour, Consumer<Batch> sink) {
    // A row of several partitions' events is one batch here for each of its parts (of the partition asked).
    record Row(long seq, Instant at, int count, byte[] events, Long kafka, byte[] keys, int partition) {}
    List<Row> rows = new java.util.ArrayList<>();
    jdbi.useHandle(h -> {
      Blobs blobs = Blobs.of(h);
      var query = h.createQuery("SELECT b.batch_seq, b.reported_at, b.event_count, b.events, b.events_ref, "
              + "b.events_kafka, k.event_keys, k.event_keys_ref, b.log_partition, b.log_parts FROM usage_batches b "
              + "JOIN usage_batch_keys k ON k.batch_seq = b.batch_seq WHERE b.reported_hour = :hour"
              + (partition == null ? "" : " AND b.log_partition IN (:partition, -1)") + " ORDER BY b.batch_seq")
          .bind("hour", utc(hour));
      if (partition != null) {
        query.bind("partition", partition.intValue());
      }
      query.map((rs, ctx) -> {
        long seq = rs.getLong(1);
        Instant at = rs.getObject(2, OffsetDateTime.class).toInstant();
        byte[] parts = rs.getBytes(10);
        if (parts != null) {
          byte[] keys = blobs.get(rs, 7, 8);
          for (StoredPart p : decodeParts(parts)) {
            if (partition == null || p.partition() == partition) {
              rows.add(new Row(seq, at, p.eventCount(), null, p.position(), java.util.Arrays.copyOfRange(keys,
                  p.keyAt() * 24, (p.keyAt() + p.eventCount()) * 24), p.partition()));
            }
          }
          return seq;
        }
        long kafkaPosition = rs.getLong(6);
        Long inKafka = rs.wasNull() ? null : kafkaPosition;
        rows.add(new Row(seq, at, rs.getInt(3), inKafka != null ? null : blobs.get(rs, 4, 5), inKafka,
            blobs.get(rs, 7, 8), rs.getInt(9)));
        return seq;
      }).list();
    });
    java.util.Map<Long, byte[]> fromKafka = java.util.Map.of();
    if (rows.stream().anyMatch(r -> r.kafka() != null)) {
      if (kafka == null) {
        throw new IllegalStateException("the usage log holds batches whose events are in Kafka; start the server "
            + "with --kafka to read them");
      }
      java.util.Map<Long, byte[]> keys = new java.util.HashMap<>();
      rows.stream().filter(r -> r.kafka() != null).forEach(r -> keys.put(r.kafka(), key(r.keys())));
      fromKafka = kafka.read(keys);
    }
    for (Row r : rows) {
      sink.accept(new Batch(r.seq(), r.at(), r.count(), r.kafka() != null ? fromKafka.get(r.kafka()) : r.events(),
          r.keys(), null, r.partition()));
    }
  }

  /**
   * A batch's record key in the topic, which a read checks against the row: the first 16 bytes of its
   * keys, its first event's identity (no other batch holds that event).
   */
  static byte[] key(byte[] keys) {
    return key(keys, 0);
  }

  /** The record key of the part whose events' keys start at event {@code eventAt} of the batch's keys. */
  static byte[] key(byte[] keys, int eventAt) {
    int from = eventAt * 24;
    return java.util.Arrays.copyOfRange(keys, from, Math.min(from + 16, keys.length));
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
  public long offsetAfter(int partition, Instant from, Instant to) {
    if (kafka == null) {
      return -1;
    }
    long[] last = {-1};
    jdbi.useHandle(h -> h.createQuery("SELECT events_kafka, log_parts FROM usage_batches "
            + "WHERE reported_hour >= :from AND reported_hour < :to AND log_partition IN (:p, -1)")
        .bind("from", utc(from)).bind("to", utc(to)).bind("p", partition)
        .map((rs, ctx) -> {
          byte[] parts = rs.getBytes(2);
          if (parts != null) {
            for (StoredPart p : decodeParts(parts)) {
              if (p.partition() == partition) {
                last[0] = Math.max(last[0], p.position());
              }
            }
          } else {
            long position = rs.getLong(1);
            if (!rs.wasNull()) {
              last[0] = Math.max(last[0], position);
            }
          }
          return 0;
        }).list());
    return last[0] < 0 ? -1 : org.stackledger.kafka.TopicStore.offsetOf(last[0]) + 1;
  }

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
