package org.stackledger.commerce;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.csv.CsvFile;

/**
 * The reconciliation file of a month: one CSV row per invoice line and resource. A line sums many
 * resources' records; the file splits its quantity per resource URI, but not its amount, which is
 * rounded once per line (never per resource): the line's amount stands on its first row and the
 * line's other rows leave it empty. So the amounts of the file add up, per billing subscription, to
 * exactly the invoices' totals, and the quantities of a line's rows add up to the line's quantity.
 */
final class Reconciliation {
  static final List<String> COLUMNS = List.of("customer", "customerId", "billingSubscriptionId", "invoiceMonth",
      "invoiceState", "line", "cloudId", "localSubscriptionId", "meterId", "commerceMeterId", "quantity", "unitPrice",
      "unitDivisor", "amount", "currency", "adjustment", "usageMonth", "usageFrom", "usageTo", "resourceUri");
  static final String HEADER = String.join(",", COLUMNS);

  private final Jdbi jdbi;

  Reconciliation(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** One resource's part of a line: its summed quantity and the usage period of its records. */
  private record Share(String resourceUri, BigDecimal quantity, Instant from, Instant to) {}

  /**
   * The file for these invoices, each read with its lines. Customer names and resource URIs are
   * chosen by partners and tenants: they are text cells, guarded against formulas by {@link CsvFile}.
   */
  String csv(List<Invoice> invoices, Payers payers) {
    List<List<Object>> rows = new ArrayList<>();
    for (Invoice i : invoices) {
      Payers.Payer payer = payers.of(i.billingSubscriptionId());
      Map<LineKey, List<Share>> shares = shares(i);
      for (Invoice.Line l : i.lines()) {
        List<Share> of = shares.get(key(l.cloudId(), l.localSubscriptionId(), l.tenantId(), l.meterId(),
            l.commerceMeterId(), l.usageMonth(), l.adjustment(), l.unitPrice(), l.unitDivisor()));
        if (of == null) {
          // Every line is made of records; should one ever not be found, the line still stands whole.
          of = List.of(new Share("", l.quantity(), l.usageFrom(), l.usageTo()));
        }
        for (int n = 0; n < of.size(); n++) {
          rows.add(row(payer, i, l, of.get(n), n == 0));
        }
      }
    }
    return CsvFile.text(COLUMNS, rows);
  }

  private static List<Object> row(Payers.Payer payer, Invoice i, Invoice.Line l, Share s, boolean first) {
    return CsvFile.row(payer.name(), payer.customerId(), i.billingSubscriptionId(), i.month(), i.state().name(),
        l.number(), l.cloudId(), l.localSubscriptionId(), l.meterId(), l.commerceMeterId(), s.quantity(), l.unitPrice(),
        l.unitDivisor(), first ? l.amount() : null, i.currency(), l.adjustment(), l.usageMonth(), s.from(), s.to(),
        s.resourceUri());
  }

  /**
   * The records of an invoice summed per line key and resource. The records on an invoice are those
   * of its lines, for a final one too: usage arriving after finalization goes to a later invoice.
   */
  private Map<LineKey, List<Share>> shares(Invoice i) {
    Map<LineKey, List<Share>> out = new HashMap<>();
    jdbi.useHandle(h -> h.createQuery("SELECT cloud_id, local_subscription_id, tenant_id, meter_id, commerce_meter_id, "
            + "usage_month, adjustment, unit_price, unit_divisor, resource_uri, SUM(quantity) AS quantity, "
            + "MIN(usage_start) AS usage_from, MAX(usage_end) AS usage_to FROM commerce_usage_records "
            + "WHERE billing_subscription_id = :s AND invoice_month = :m "
            + "GROUP BY cloud_id, local_subscription_id, tenant_id, meter_id, commerce_meter_id, usage_month, adjustment, "
            + "unit_price, unit_divisor, resource_uri ORDER BY resource_uri")
        .bind("s", i.billingSubscriptionId()).bind("m", i.month())
        .map((rs, ctx) -> {
          LineKey key = key(rs.getString("cloud_id"), rs.getString("local_subscription_id"), rs.getString("tenant_id"),
              rs.getString("meter_id"), rs.getString("commerce_meter_id"), rs.getString("usage_month"),
              rs.getBoolean("adjustment"), rs.getBigDecimal("unit_price"), rs.getInt("unit_divisor"));
          out.computeIfAbsent(key, k -> new ArrayList<>()).add(new Share(rs.getString("resource_uri"),
              rs.getBigDecimal("quantity").stripTrailingZeros(),
              rs.getObject("usage_from", OffsetDateTime.class).toInstant(),
              rs.getObject("usage_to", OffsetDateTime.class).toInstant()));
          return key;
        })
        .list());
    return out;
  }

  /** What makes records one invoice line; the price is compared by value, whatever its scale. */
  private record LineKey(String cloudId, String localSubscriptionId, String tenantId, String meterId,
      String commerceMeterId, String usageMonth, boolean adjustment, BigDecimal unitPrice, int divisor) {}

  private static LineKey key(String cloudId, String localSubscriptionId, String tenantId, String meterId,
      String commerceMeterId, String usageMonth, boolean adjustment, BigDecimal unitPrice, int divisor) {
    return new LineKey(cloudId, localSubscriptionId, tenantId, meterId, commerceMeterId, usageMonth, adjustment,
        unitPrice.stripTrailingZeros(), divisor);
  }
}
