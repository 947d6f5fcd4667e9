package org.stackledger.commerce;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
        List<Share> of = shares.get(LineKey.of(l));
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
    Map<LineKey, Map<String, LineSum>> sums = new HashMap<>();
    for (StoredRecord r : jdbi.withHandle(h -> RecordStore.onInvoice(h, i.billingSubscriptionId(), i.month()))) {
      sums.computeIfAbsent(LineKey.of(r), k -> new TreeMap<>())
          .computeIfAbsent(r.usage().resourceUri(), k -> new LineSum()).add(r);
    }
    Map<LineKey, List<Share>> out = new HashMap<>();
    sums.forEach((key, byUri) -> {
      List<Share> shares = new ArrayList<>(byUri.size());
      byUri.forEach((uri, sum) -> shares.add(new Share(uri, sum.quantity.stripTrailingZeros(), sum.from, sum.to)));
      out.put(key, shares);
    });
    return out;
  }
}
