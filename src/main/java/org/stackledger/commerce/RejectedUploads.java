package org.stackledger.commerce;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * The queued uploads the store refused ({@code commerce_rejected_uploads}), for the operator: each
 * once, under its upload id, however often the topic delivered it.
 */
final class RejectedUploads {
  private static final int MAX_MESSAGE = 2000;

  /** One refused upload: whose, which batch, why, and when it arrived and was refused. */
  record Rejection(String uploadId, String registrationId, String batchId, int records, String source, String code,
      String message, Instant receivedAt, Instant rejectedAt) {}

  private final Jdbi jdbi;

  RejectedUploads(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  void record(Rejection r) {
    String message = r.message() == null ? "" : r.message();
    jdbi.useHandle(h -> h.createUpdate("INSERT INTO commerce_rejected_uploads (upload_id, registration_id, batch_id, "
            + "records, source, code, message, received_at, rejected_at) VALUES (:id, :registration, :batch, :records, "
            + ":source, :code, :message, :received, :rejected) ON CONFLICT DO NOTHING")
        .bind("id", r.uploadId()).bind("registration", r.registrationId()).bind("batch", r.batchId())
        .bind("records", r.records()).bind("source", r.source()).bind("code", r.code())
        .bind("message", message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message)
        .bind("received", utc(r.receivedAt())).bind("rejected", utc(r.rejectedAt())).execute());
  }

  /** The newest {@code limit} rejections, newest first. */
  List<Rejection> newest(int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT upload_id, registration_id, batch_id, records, source, code, "
            + "message, received_at, rejected_at FROM commerce_rejected_uploads ORDER BY rejected_at DESC, upload_id "
            + "LIMIT :limit").bind("limit", limit)
        .map((rs, ctx) -> new Rejection(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
            rs.getString(5), rs.getString(6), rs.getString(7), rs.getObject(8, OffsetDateTime.class).toInstant(),
            rs.getObject(9, OffsetDateTime.class).toInstant())).list());
  }

  private static OffsetDateTime utc(Instant t) {
    return t.atOffset(ZoneOffset.UTC);
  }
}
