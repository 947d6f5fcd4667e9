package org.stackledger.usage;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;

/**
 * The usage log in the deployment's database, one row a batch. A batch of a thousand events is one
 * row insert and one commit, whatever the engine: the per-event cost is the encoding, not the
 * database.
 */
final class JdbcUsageLog implements UsageLog {
  private final Jdbi jdbi;

  JdbcUsageLog(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void append(List<Batch> batches) {
    jdbi.useTransaction(h -> {
      var insert = h.prepareBatch("INSERT INTO usage_batches (batch_seq, reported_at, reported_hour, "
          + "event_count, events, event_keys) VALUES (:seq, :at, :hour, :n, :events, :keys)");
      for (Batch batch : batches) {
        insert.bind("seq", batch.sequence()).bind("at", utc(batch.reportedAt()))
            .bind("hour", utc(batch.reportedAt().truncatedTo(ChronoUnit.HOURS))).bind("n", batch.eventCount())
            .bind("events", batch.events()).bind("keys", batch.keys()).add();
      }
      insert.execute();
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
    jdbi.useHandle(h -> h.createQuery("SELECT batch_seq, reported_at, event_count, events, event_keys "
            + "FROM usage_batches WHERE reported_hour = :hour ORDER BY batch_seq")
        .bind("hour", utc(hour))
        .map((rs, ctx) -> new Batch(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getInt(3),
            rs.getBytes(4), rs.getBytes(5)))
        .forEach(sink));
  }

  @Override
  public void readKeys(Instant from, Instant to, Consumer<byte[]> sink) {
    // By reported hour, on the (reported_hour, batch_seq) index: a restart reads the window's
    // batches, whatever the history holds.
    jdbi.useHandle(h -> h.createQuery("SELECT event_keys FROM usage_batches WHERE reported_hour >= :from "
            + "AND reported_hour < :to ORDER BY reported_hour, batch_seq")
        .bind("from", utc(from)).bind("to", utc(to))
        .setFetchSize(64).map((rs, ctx) -> rs.getBytes(1)).forEach(sink));
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
