package org.stackledger.commerce;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Moves the records a release before V14 stored one row each ({@code commerce_usage_records}) into the
 * compact form, when the cloud plane starts: a migration SQL cannot write, since the form is binary.
 * A chunk at a time, each in one transaction that writes its blocks, keys and origins and deletes its
 * old rows, so a move cut off half way goes on where it stopped at the next start and no record is
 * ever in both forms or in neither. A store written by this release has no such rows: one cheap query.
 */
final class LegacyRecords {
  private static final int CHUNK = 5_000;

  private LegacyRecords() {}

  /** Moves every old row; answers how many. */
  static long move(Jdbi jdbi) {
    long moved = 0;
    while (true) {
      int n = jdbi.inTransaction(LegacyRecords::moveChunk);
      if (n == 0) {
        return moved;
      }
      moved += n;
    }
  }

  private static int moveChunk(Handle h) {
    record Upload(String cloudId, String source, String batchId, Instant receivedAt) {}
    Map<Upload, List<StoredRecord>> records = new LinkedHashMap<>();
    Map<Upload, List<RecordStore.Key>> keys = new LinkedHashMap<>();
    long[] last = {Long.MIN_VALUE};
    h.createQuery("SELECT * FROM commerce_usage_records ORDER BY record_seq LIMIT " + CHUNK).map((rs, ctx) -> {
      last[0] = rs.getLong("record_seq");
      String cloudId = rs.getString("cloud_id");
      UsageRecord u = new UsageRecord(cloudId, instant(rs, "reported_hour"), instant(rs, "usage_start"),
          instant(rs, "usage_end"), rs.getString("local_subscription_id"), rs.getString("tenant_id"),
          rs.getString("meter_id"), rs.getString("resource_uri"), rs.getString("location"),
          rs.getBigDecimal("quantity").stripTrailingZeros());
      StoredRecord s = new StoredRecord(u, rs.getString("registration_id"), rs.getString("billing_subscription_id"),
          Attribution.Rule.valueOf(rs.getString("attribution_rule")), instant(rs, "customer_mapped_from"),
          rs.getString("billing_model"), rs.getString("commerce_meter_id"), rs.getString("currency"),
          rs.getBigDecimal("unit_price").stripTrailingZeros(), rs.getInt("unit_divisor"), rs.getString("usage_month"),
          rs.getString("invoice_month"), rs.getBoolean("adjustment"));
      Upload upload = new Upload(cloudId, rs.getString("source"), rs.getString("batch_id"), instant(rs, "received_at"));
      records.computeIfAbsent(upload, k -> new ArrayList<>()).add(s);
      keys.computeIfAbsent(upload, k -> new ArrayList<>()).add(RecordStore.Key.of(rs.getString("record_key")));
      return s;
    }).list();
    if (records.isEmpty()) {
      return 0;
    }
    int n = 0;
    for (Map.Entry<Upload, List<StoredRecord>> e : records.entrySet()) {
      Upload u = e.getKey();
      RecordStore.insert(h, u.cloudId(), e.getValue(), keys.get(u), u.source(), u.batchId(), u.receivedAt());
      n += e.getValue().size();
    }
    h.createUpdate("DELETE FROM commerce_usage_records WHERE record_seq <= :last").bind("last", last[0]).execute();
    return n;
  }

  private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
