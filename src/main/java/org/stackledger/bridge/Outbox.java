package org.stackledger.bridge;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The bridge's durable outbox ({@code bridge_outbox}): one row per closed reported hour, Pending until
 * the cloud acknowledged every part, then Shipped. It holds no usage — only what to ship, how far it
 * got and why the last attempt failed — so it stays a few hundred bytes an hour.
 */
final class Outbox {
  static final String PENDING = "Pending";
  static final String SHIPPED = "Shipped";

  private final Jdbi jdbi;

  Outbox(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** A pending hour; {@code failure} is the bridge's code for its last failed attempt, or null. */
  record Row(Instant hour, int attempts, Instant nextAttemptAt, String failure, String errorCode, String error) {}

  /** The outbox's totals, and its oldest pending hour (the one that holds the others up). */
  record Summary(long pendingHours, long shippedHours, long shippedRecords, Instant lastShippedAt, Row oldestPending) {}

  /** The latest hour the outbox holds, in any state. */
  Optional<Instant> latestHour() {
    return jdbi.withHandle(h -> h.createQuery("SELECT MAX(reported_hour) FROM bridge_outbox")
        .map((rs, ctx) -> instant(rs.getObject(1, OffsetDateTime.class))).list().stream()
        .filter(java.util.Objects::nonNull).findFirst());
  }

  /** Adds these hours as pending, due now; an hour already held stays as it is. */
  void enqueue(List<Instant> hours, Instant now) {
    if (hours.isEmpty()) {
      return;
    }
    try {
      insert(hours, now);
    } catch (org.jdbi.v3.core.JdbiException e) {
      // Several processes of a deployment (on Kafka) find the same closed hours: the one that lost the
      // race finds the hours held now, and adds none of them.
      if (!org.stackledger.store.Database.isUniqueViolation(e)) {
        throw e;
      }
      insert(hours, now);
    }
  }

  private void insert(List<Instant> hours, Instant now) {
    jdbi.useTransaction(h -> {
      var insert = h.prepareBatch("INSERT INTO bridge_outbox (reported_hour, state, attempts, next_attempt_at, found_at) "
          + "SELECT :hour, :state, 0, :now, :now WHERE NOT EXISTS "
          + "(SELECT 1 FROM bridge_outbox WHERE reported_hour = :hour)");
      for (Instant hour : hours) {
        insert.bind("hour", utc(hour)).bind("state", PENDING).bind("now", utc(now)).add();
      }
      insert.execute();
    });
  }

  /** Every pending hour, oldest first. */
  List<Row> pending() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM bridge_outbox WHERE state = :state ORDER BY reported_hour")
        .bind("state", PENDING).map(Outbox::row).list());
  }

  void shipped(Instant hour, int parts, long records, Instant at) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE bridge_outbox SET state = :state, parts = :parts, records = :records, "
            + "attempts = attempts + 1, shipped_at = :at, failure = NULL, last_error_code = NULL, last_error = NULL "
            + "WHERE reported_hour = :hour")
        .bind("state", SHIPPED).bind("parts", parts).bind("records", records).bind("at", utc(at))
        .bind("hour", utc(hour)).execute());
  }

  void failed(Instant hour, Integer parts, Long records, Instant next, String failure, String errorCode, String error) {
    jdbi.useHandle(h -> h.createUpdate("UPDATE bridge_outbox SET parts = COALESCE(:parts, parts), "
            + "records = COALESCE(:records, records), attempts = attempts + 1, next_attempt_at = :next, "
            + "failure = :failure, last_error_code = :code, last_error = :error WHERE reported_hour = :hour")
        .bind("parts", parts).bind("records", records).bind("next", utc(next)).bind("failure", failure)
        .bind("code", errorCode).bind("error", clip(error)).bind("hour", utc(hour)).execute());
  }

  Summary summary() {
    return jdbi.withHandle(h -> {
      var totals = h.createQuery("SELECT "
              + "COUNT(CASE WHEN state = :pending THEN 1 END), COUNT(CASE WHEN state = :shipped THEN 1 END), "
              + "COALESCE(SUM(CASE WHEN state = :shipped THEN records END), 0), MAX(shipped_at) FROM bridge_outbox")
          .bind("pending", PENDING).bind("shipped", SHIPPED)
          .map((rs, ctx) -> new Summary(rs.getLong(1), rs.getLong(2), rs.getLong(3),
              instant(rs.getObject(4, OffsetDateTime.class)), null)).one();
      Row oldest = h.createQuery("SELECT * FROM bridge_outbox WHERE state = :state ORDER BY reported_hour "
              + "FETCH FIRST 1 ROWS ONLY")
          .bind("state", PENDING).map(Outbox::row).findFirst().orElse(null);
      return new Summary(totals.pendingHours(), totals.shippedHours(), totals.shippedRecords(), totals.lastShippedAt(),
          oldest);
    });
  }

  private static Row row(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Row(rs.getObject("reported_hour", OffsetDateTime.class).toInstant(), rs.getInt("attempts"),
        rs.getObject("next_attempt_at", OffsetDateTime.class).toInstant(), rs.getString("failure"),
        rs.getString("last_error_code"), rs.getString("last_error"));
  }

  /** The column holds 2,000 characters; a cloud's message is rarely a tenth of that. */
  private static String clip(String error) {
    return error == null || error.length() <= 2000 ? error : error.substring(0, 1997) + "...";
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
