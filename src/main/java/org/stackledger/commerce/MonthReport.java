package org.stackledger.commerce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.stackledger.directory.DirectoryTenant;
import org.stackledger.http.Json;
import org.stackledger.meters.Meter;
import org.stackledger.problem.Problem;

/**
 * The usage and cost reports of a month: "who used the most", by directory tenant, by customer or by
 * meter, with names. Built from the lines of the month's invoices and nothing else, so a report's
 * amounts are sums of invoice line amounts — rounded once, on the line — and its totals equal the
 * invoices' totals to the cent. A tenant never mapped to a customer subscription is there too: its
 * lines are on the registration subscription's invoice, and it is named as billed to it.
 *
 * <p>A {@code cost} row is a group and currency, largest amount first. A {@code usage} row is a group
 * and meter (quantities of different meters are in different units and never added), by meter name
 * and then largest quantity first.
 */
public final class MonthReport {
  /** What a report sums: usage quantities per meter, or invoiced cost per currency. */
  public enum Kind { usage, cost }

  /** What a report groups by. */
  public enum By { tenant, customer, meter }

  private final Payers payers;
  private final Function<String, Optional<DirectoryTenant>> tenants;
  private final Function<String, Optional<Meter>> meters;

  MonthReport(Payers payers, Function<String, Optional<DirectoryTenant>> tenants,
      Function<String, Optional<Meter>> meters) {
    this.payers = payers;
    this.tenants = tenants;
    this.meters = meters;
  }

  /** The grouping named {@code value} (any case); 400 {@code InvalidParameter} on {@code by} otherwise. */
  public static By by(String value) {
    try {
      return By.valueOf(value.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw Problem.invalid("InvalidParameter", "by", "The report is by 'tenant', 'customer' or 'meter', not '"
          + value + "'.");
    }
  }

  /** One group's sums. The head holds the fields that name the group; they are written first. */
  private static final class Row {
    final ObjectNode head;
    final String currency;
    final String meterName;
    BigDecimal amount;
    BigDecimal quantity = BigDecimal.ZERO;
    long records;
    final Map<String, ObjectNode> billedTo = new TreeMap<>();

    Row(ObjectNode head, String currency, String meterName) {
      this.head = head;
      this.currency = currency;
      this.meterName = meterName;
      this.amount = MinorUnit.zero(currency);
    }
  }

  ObjectNode render(Kind kind, By by, String month, List<Invoice> invoices) {
    boolean perMeter = kind == Kind.usage || by == By.meter;
    record RowKey(String group, String currency, String meterId) {}
    Map<RowKey, Row> rows = new LinkedHashMap<>();
    for (Invoice i : invoices) {
      Payers.Payer payer = payers.of(i.billingSubscriptionId());
      for (Invoice.Line l : i.lines()) {
        String group = switch (by) {
          case tenant -> l.tenantId();
          case customer -> payer.customerId() != null ? "c:" + payer.customerId() : "s:" + i.billingSubscriptionId();
          case meter -> l.meterId().toUpperCase(Locale.ROOT);
        };
        RowKey key = new RowKey(group, i.currency(), perMeter ? l.meterId().toUpperCase(Locale.ROOT) : null);
        Row row = rows.computeIfAbsent(key, k -> newRow(by, perMeter, i, payer, l));
        row.amount = row.amount.add(l.amount());
        row.quantity = row.quantity.add(l.quantity());
        row.records += l.records();
        row.billedTo.computeIfAbsent(i.billingSubscriptionId(), s -> payerNode(s, payer));
      }
    }
    List<Row> sorted = new ArrayList<>(rows.values());
    sorted.sort(kind == Kind.cost
        ? Comparator.comparing((Row r) -> r.amount).reversed().thenComparing(r -> r.head.toString())
        : Comparator.comparing((Row r) -> r.meterName).thenComparing((Row r) -> r.quantity, Comparator.reverseOrder())
            .thenComparing(r -> r.head.toString()));
    ObjectNode out = Json.object();
    out.put("month", month);
    out.put("report", kind.name());
    out.put("by", by.name());
    ArrayNode value = out.putArray("value");
    for (Row r : sorted) {
      value.add(write(r, by, perMeter));
    }
    out.set("totals", totals(sorted, kind));
    return out;
  }

  private Row newRow(By by, boolean perMeter, Invoice i, Payers.Payer payer, Invoice.Line l) {
    ObjectNode head = Json.object();
    switch (by) {
      case tenant -> {
        Optional<DirectoryTenant> t = tenants.apply(l.tenantId());
        head.put("tenantId", l.tenantId());
        head.put("tenant", t.map(d -> d.displayName() == null || d.displayName().isBlank() ? d.domain()
            : d.displayName()).orElse(l.tenantId()));
        head.put("domain", t.map(DirectoryTenant::domain).orElse(""));
      }
      case customer -> {
        head.put("customer", payer.name());
        if (payer.customerId() == null) {
          head.putNull("customerId");
        } else {
          head.put("customerId", payer.customerId());
        }
      }
      case meter -> { }
    }
    Optional<Meter> meter = meters.apply(l.meterId());
    String meterName = meter.map(Meter::name).orElse(l.meterId());
    if (perMeter) {
      head.put("meterId", l.meterId());
      head.put("meter", meterName);
      head.put("unit", meter.map(Meter::unit).orElse(""));
    }
    return new Row(head, i.currency(), meterName);
  }

  private static ObjectNode payerNode(String billingSubscriptionId, Payers.Payer payer) {
    ObjectNode p = Json.object();
    p.put("billingSubscriptionId", billingSubscriptionId);
    p.put("payer", payer.name());
    if (payer.customerId() == null) {
      p.putNull("customerId");
    } else {
      p.put("customerId", payer.customerId());
    }
    return p;
  }

  private static ObjectNode write(Row r, By by, boolean perMeter) {
    ObjectNode o = r.head.deepCopy();
    if (perMeter) {
      o.put("quantity", Chargeback.plain(r.quantity));
    }
    o.put("currency", r.currency);
    o.put("amount", r.amount);
    o.put("records", r.records);
    if (by != By.customer) {
      ArrayNode billed = o.putArray("billedTo");
      r.billedTo.values().forEach(billed::add);
    } else {
      ArrayNode subs = o.putArray("billingSubscriptionIds");
      r.billedTo.keySet().forEach(subs::add);
    }
    return o;
  }

  /** Per currency for cost; per meter and currency for usage (a meter's quantities add up, across meters not). */
  private static ArrayNode totals(List<Row> rows, Kind kind) {
    Map<String, Row> sums = new TreeMap<>();
    for (Row r : rows) {
      String key = kind == Kind.cost ? r.currency : r.meterName + "|" + r.head.path("meterId").asText() + "|" + r.currency;
      Row sum = sums.computeIfAbsent(key, k -> {
        ObjectNode head = Json.object();
        if (kind == Kind.usage) {
          head.put("meterId", r.head.path("meterId").asText());
          head.put("meter", r.meterName);
          head.put("unit", r.head.path("unit").asText());
        }
        return new Row(head, r.currency, r.meterName);
      });
      sum.amount = sum.amount.add(r.amount);
      sum.quantity = sum.quantity.add(r.quantity);
      sum.records += r.records;
    }
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (Row s : sums.values()) {
      ObjectNode o = s.head.deepCopy();
      if (kind == Kind.usage) {
        o.put("quantity", Chargeback.plain(s.quantity));
      }
      o.put("currency", s.currency);
      o.put("amount", s.amount);
      o.put("records", s.records);
      out.add(o);
    }
    return out;
  }
}
