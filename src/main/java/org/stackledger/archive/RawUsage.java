package org.stackledger.archive;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.store.Blobs;

/**
 * The raw usage log's table as retention sees it: whole months of batches, read in sequence order,
 * removed in one statement, put back batch by batch. The usage feature's own port has no delete on
 * purpose (raw events are never changed by the usage path); retention is the one writer that removes,
 * and only months it has archived.
 */
final class RawUsage {
  /** One stored batch, as the usage log keeps it. */
  record Batch(long sequence, Instant reportedAt, int eventCount, byte[] events, byte[] keys) {}

  /** A month's share of the log: how many batches and events it holds. */
  record Extent(YearMonth month, long batches, long events) {}

  /**
   * The usage log's segment partitions on the embedded store are this kind and the batch's month (as the
   * usage log names them when it appends).
   */
  static final String PARTITION = "usage";

  private final Jdbi jdbi;

  RawUsage(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** The earliest reported hour held, if any. */
  Optional<Instant> firstHour() {
    return jdbi.withHandle(h -> h.createQuery("SELECT MIN(reported_hour) FROM usage_batches")
        .map((rs, ctx) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)).map(OffsetDateTime::toInstant))
        .list().get(0));
  }

  /** The month of the newest batch (highest sequence), if any. */
  Optional<YearMonth> newestBatchMonth() {
    return jdbi.withHandle(h -> h.createQuery("SELECT reported_hour FROM usage_batches WHERE batch_seq = "
            + "(SELECT MAX(batch_seq) FROM usage_batches)")
        .map((rs, ctx) -> YearMonth.from(rs.getObject(1, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC)))
        .findFirst());
  }

  /** Whether some batch of the month has its events in the Kafka usage log (which retention does not archive). */
  boolean inKafka(YearMonth month) {
    return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM usage_batches WHERE reported_hour >= :from "
            + "AND reported_hour < :to AND events_kafka IS NOT NULL LIMIT 1")
        .bind("from", start(month)).bind("to", start(month.plusMonths(1))).mapTo(Integer.class).findOne().isPresent());
  }

  Extent extent(YearMonth month) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*), COALESCE(SUM(event_count), 0) FROM usage_batches "
            + "WHERE reported_hour >= :from AND reported_hour < :to")
        .bind("from", start(month)).bind("to", start(month.plusMonths(1)))
        .map((rs, ctx) -> new Extent(month, rs.getLong(1), rs.getLong(2))).one());
  }

  /**
   * The reported hours of the month that hold usage but that the bridge has not shipped (no outbox
   * row in state Shipped): the cloud may still need them read from the log.
   */
  List<Instant> unshippedHours(YearMonth month) {
    return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT b.reported_hour FROM usage_batches b "
            + "WHERE b.reported_hour >= :from AND b.reported_hour < :to AND NOT EXISTS (SELECT 1 FROM bridge_outbox o "
            + "WHERE o.reported_hour = b.reported_hour AND o.state = 'Shipped') ORDER BY b.reported_hour")
        .bind("from", start(month)).bind("to", start(month.plusMonths(1)))
        .map((rs, ctx) -> rs.getObject(1, OffsetDateTime.class).toInstant()).list());
  }

  /**
   * The month's batches in sequence order, streamed (a month may hold millions of events): in a
   * transaction, since PostgreSQL's driver honours the fetch size only outside auto-commit and would
   * otherwise load the whole month into memory.
   */
  void read(YearMonth month, Consumer<Batch> sink) {
    jdbi.useTransaction(h -> {
      Blobs blobs = Blobs.of(h);
      h.createQuery("SELECT b.batch_seq, b.reported_at, b.event_count, b.events, b.events_ref, k.event_keys, "
              + "k.event_keys_ref FROM usage_batches b JOIN usage_batch_keys k ON k.batch_seq = b.batch_seq "
              + "WHERE b.reported_hour >= :from AND b.reported_hour < :to ORDER BY b.batch_seq")
          .bind("from", start(month)).bind("to", start(month.plusMonths(1))).setFetchSize(64)
          .map((rs, ctx) -> new Batch(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getInt(3),
              blobs.get(rs, 4, 5), blobs.get(rs, 6, 7)))
          .forEach(sink);
    });
  }

  /** Removes the month's batches, and their keys, within the caller's transaction; answers how many were removed. */
  static int delete(Handle h, YearMonth month) {
    h.createUpdate("DELETE FROM usage_batch_keys WHERE reported_hour >= :from AND reported_hour < :to")
        .bind("from", start(month)).bind("to", start(month.plusMonths(1))).execute();
    return h.createUpdate("DELETE FROM usage_batches WHERE reported_hour >= :from AND reported_hour < :to")
        .bind("from", start(month)).bind("to", start(month.plusMonths(1))).execute();
  }

  /**
   * Removes the embedded store's segment files of the months before {@code before} that hold no batch:
   * at the end of an archive run, once {@link #delete}'s transactions have committed (a row never names a
   * removed file); a run stopped before it leaves the files to the next run's.
   */
  void dropSegmentsBefore(YearMonth before) {
    Blobs blobs = Blobs.of(jdbi);
    for (String partition : blobs.partitions()) {
      if (partition.startsWith(PARTITION + "-")) {
        YearMonth month = YearMonth.parse(partition.substring(PARTITION.length() + 1));
        if (month.isBefore(before) && extent(month).batches() == 0) {
          blobs.drop(partition);
        }
      }
    }
  }

  /** The stored events of a batch, or empty when the log does not hold that sequence. */
  static Optional<byte[]> events(Handle h, long sequence) {
    Blobs blobs = Blobs.of(h);
    return h.createQuery("SELECT events, events_ref FROM usage_batches WHERE batch_seq = :seq").bind("seq", sequence)
        .map((rs, ctx) -> blobs.get(rs, 1, 2)).findFirst();
  }

  /** Whether the log holds exactly this batch (same sequence, same events). */
  static boolean holds(Handle h, Batch batch) {
    return events(h, batch.sequence()).map(stored -> Arrays.equals(stored, batch.events())).orElse(false);
  }

  /** Puts a batch back, its keys beside it (the usage log's two tables), within the caller's transaction. */
  static void insert(Handle h, Batch b) {
    OffsetDateTime hour = utc(b.reportedAt().truncatedTo(java.time.temporal.ChronoUnit.HOURS));
    Blobs blobs = Blobs.of(h);
    String partition = Blobs.monthly(PARTITION, b.reportedAt());
    Blobs.Stored events = blobs.put(partition, b.events());
    Blobs.Stored keys = blobs.put(partition, b.keys());
    h.createUpdate("INSERT INTO usage_batches (batch_seq, reported_at, reported_hour, event_count, events, events_ref) "
            + "VALUES (:seq, :at, :hour, :n, :events, :eventsRef)")
        .bind("seq", b.sequence()).bind("at", utc(b.reportedAt())).bind("hour", hour).bind("n", b.eventCount())
        .bind("events", events.inline()).bind("eventsRef", events.ref()).execute();
    h.createUpdate("INSERT INTO usage_batch_keys (batch_seq, reported_hour, event_keys, event_keys_ref) "
            + "VALUES (:seq, :hour, :keys, :keysRef)")
        .bind("seq", b.sequence()).bind("hour", hour).bind("keys", keys.inline()).bind("keysRef", keys.ref()).execute();
  }

  static OffsetDateTime start(YearMonth month) {
    return month.atDay(1).atStartOfDay().atOffset(ZoneOffset.UTC);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
