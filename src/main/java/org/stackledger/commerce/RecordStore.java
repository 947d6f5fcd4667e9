package org.stackledger.commerce;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** The stored usage records: which keys are known, and adding new ones. Runs in the caller's transaction. */
final class RecordStore {
  private static final int KEYS_PER_QUERY = 1_000;

  private RecordStore() {}

  /** The stored quantity of each of these keys that is already stored. */
  static Map<String, BigDecimal> known(Handle h, List<String> keys) {
    Map<String, BigDecimal> found = new HashMap<>();
    for (int from = 0; from < keys.size(); from += KEYS_PER_QUERY) {
      List<String> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_QUERY));
      h.createQuery("SELECT record_key, quantity FROM commerce_usage_records WHERE record_key IN (<keys>)")
          .bindList("keys", chunk)
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getBigDecimal(2)))
          .forEach(e -> found.put(e.getKey(), e.getValue()));
    }
    return found;
  }

  /**
   * Adds the records in one JDBC batch, bound by position: at a million records the per-row cost of
   * binding 27 parameters by name is most of the time the insert takes.
   */
  static void insert(Handle h, List<RatedRecord> records, String source, String batchId, Instant now) {
    if (records.isEmpty()) {
      return;
    }
    String sql = "INSERT INTO commerce_usage_records (record_key, cloud_id, reported_hour, usage_hour, usage_start, "
        + "usage_end, local_subscription_id, tenant_id, meter_id, resource_uri, location, quantity, registration_id, "
        + "billing_subscription_id, attribution_rule, customer_mapped_from, billing_model, commerce_meter_id, currency, "
        + "unit_price, unit_divisor, usage_month, invoice_month, adjustment, source, batch_id, received_at, origin_key) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    OffsetDateTime received = at(now);
    try (java.sql.PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
      for (RatedRecord r : records) {
        UsageRecord u = r.usage();
        Attribution.Attributed a = r.attributed();
        int i = 1;
        ps.setString(i++, r.key());
        ps.setString(i++, u.cloudId());
        ps.setObject(i++, at(u.reportedHour()));
        ps.setObject(i++, at(u.usageHour()));
        ps.setObject(i++, at(u.usageStart()));
        ps.setObject(i++, at(u.usageEnd()));
        ps.setString(i++, u.subscriptionId());
        ps.setString(i++, u.tenantId());
        ps.setString(i++, u.meterId());
        ps.setString(i++, u.resourceUri());
        ps.setString(i++, u.location());
        ps.setBigDecimal(i++, u.quantity());
        ps.setString(i++, a.registrationId());
        ps.setString(i++, a.billingSubscriptionId());
        ps.setString(i++, a.rule().name());
        ps.setObject(i++, a.mapping() == null ? null : at(a.mapping().effectiveFrom()),
            java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
        ps.setString(i++, r.model().name());
        ps.setString(i++, r.commerceMeterId());
        ps.setString(i++, r.currency());
        ps.setBigDecimal(i++, r.unitPrice());
        ps.setInt(i++, r.unitDivisor());
        ps.setString(i++, r.usageMonth());
        ps.setString(i++, r.invoiceMonth());
        ps.setBoolean(i++, r.adjustment());
        ps.setString(i++, source);
        ps.setString(i++, batchId);
        ps.setObject(i++, received);
        ps.setLong(i, u.originKey());
        ps.addBatch();
      }
      ps.executeBatch();
    } catch (java.sql.SQLException e) {
      throw new org.jdbi.v3.core.statement.UnableToExecuteStatementException(e, null);
    }
  }

  static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  static List<String> keys(List<RatedRecord> records) {
    List<String> keys = new ArrayList<>(records.size());
    for (RatedRecord r : records) {
      keys.add(r.key());
    }
    return keys;
  }
}
