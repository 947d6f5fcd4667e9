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
import org.jdbi.v3.core.statement.PreparedBatch;

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

  static void insert(Handle h, List<RatedRecord> records, String source, String batchId, Instant now) {
    if (records.isEmpty()) {
      return;
    }
    PreparedBatch batch = h.prepareBatch("INSERT INTO commerce_usage_records (record_key, cloud_id, reported_hour, "
        + "usage_hour, usage_start, usage_end, local_subscription_id, tenant_id, meter_id, resource_uri, location, "
        + "quantity, registration_id, billing_subscription_id, attribution_rule, customer_mapped_from, billing_model, "
        + "commerce_meter_id, currency, unit_price, unit_divisor, usage_month, invoice_month, adjustment, source, "
        + "batch_id, received_at) VALUES (:key, :cloud, :reported, :hour, :start, :end, :sub, :tenant, :meter, :uri, "
        + ":location, :quantity, :registration, :payer, :rule, :mappedFrom, :model, :commerceMeter, :currency, :price, "
        + ":divisor, :usageMonth, :invoiceMonth, :adjustment, :source, :batch, :now)");
    OffsetDateTime received = at(now);
    for (RatedRecord r : records) {
      UsageRecord u = r.usage();
      Attribution.Attributed a = r.attributed();
      batch.bind("key", r.key()).bind("cloud", u.cloudId()).bind("reported", at(u.reportedHour()))
          .bind("hour", at(u.usageHour())).bind("start", at(u.usageStart())).bind("end", at(u.usageEnd()))
          .bind("sub", u.subscriptionId()).bind("tenant", u.tenantId()).bind("meter", u.meterId())
          .bind("uri", u.resourceUri()).bind("location", u.location()).bind("quantity", u.quantity())
          .bind("registration", a.registrationId()).bind("payer", a.billingSubscriptionId())
          .bind("rule", a.rule().name())
          .bind("mappedFrom", a.mapping() == null ? null : at(a.mapping().effectiveFrom()))
          .bind("model", r.model().name()).bind("commerceMeter", r.commerceMeterId()).bind("currency", r.currency())
          .bind("price", r.unitPrice()).bind("divisor", r.unitDivisor()).bind("usageMonth", r.usageMonth())
          .bind("invoiceMonth", r.invoiceMonth()).bind("adjustment", r.adjustment()).bind("source", source)
          .bind("batch", batchId).bind("now", received).add();
    }
    batch.execute();
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
