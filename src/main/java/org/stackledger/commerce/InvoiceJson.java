package org.stackledger.commerce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.stackledger.csv.CsvFile;
import org.stackledger.http.Json;

/** The JSON and CSV forms of an invoice. Amounts and quantities are written as plain decimals. */
final class InvoiceJson {
  static final List<String> CSV_COLUMNS = List.of("invoiceMonth", "billingSubscriptionId", "line", "adjustment",
      "usageMonth", "cloudId", "localSubscriptionId", "tenantId", "meterId", "commerceMeterId", "quantity", "unitPrice",
      "unitDivisor", "amount", "currency", "usageFrom", "usageTo", "records");
  static final String CSV_HEADER = String.join(",", CSV_COLUMNS);

  private InvoiceJson() {}

  static ObjectNode render(Invoice i, boolean withLines) {
    ObjectNode o = Json.object();
    o.put("id", "/subscriptions/" + i.billingSubscriptionId() + "/providers/Stackledger.Billing/invoices/" + i.month());
    o.put("name", i.month());
    o.put("type", "Stackledger.Billing/invoices");
    ObjectNode p = o.putObject("properties");
    p.put("billingSubscriptionId", i.billingSubscriptionId());
    p.put("month", i.month());
    p.put("currency", i.currency());
    p.put("state", i.state().name());
    p.put("total", i.total());
    p.put("createdAt", i.createdAt().toString());
    if (i.finalizedAt() != null) {
      p.put("finalizedAt", i.finalizedAt().toString());
      p.put("finalizedBy", i.finalizedBy());
    }
    if (withLines) {
      ArrayNode lines = p.putArray("lines");
      for (Invoice.Line l : i.lines()) {
        lines.add(renderLine(l));
      }
    }
    return o;
  }

  static ObjectNode renderLine(Invoice.Line l) {
    ObjectNode x = Json.object();
    x.put("line", l.number());
    x.put("adjustment", l.adjustment());
    x.put("usageMonth", l.usageMonth());
    x.put("cloudId", l.cloudId());
    x.put("localSubscriptionId", l.localSubscriptionId());
    x.put("tenantId", l.tenantId());
    x.put("meterId", l.meterId());
    x.put("commerceMeterId", l.commerceMeterId());
    x.put("quantity", l.quantity());
    x.put("unitPrice", l.unitPrice());
    x.put("unitDivisor", l.unitDivisor());
    x.put("amount", l.amount());
    x.put("usageFrom", l.usageFrom().toString());
    x.put("usageTo", l.usageTo().toString());
    x.put("records", l.records());
    return x;
  }

  static String csv(Invoice i) {
    return CsvFile.text(CSV_COLUMNS, i.lines().stream().map(l -> CsvFile.row(i.month(), i.billingSubscriptionId(),
        l.number(), l.adjustment(), l.usageMonth(), l.cloudId(), l.localSubscriptionId(), l.tenantId(), l.meterId(),
        l.commerceMeterId(), l.quantity(), l.unitPrice(), l.unitDivisor(), l.amount(), i.currency(), l.usageFrom(),
        l.usageTo(), l.records())).toList());
  }
}
