package org.stackledger.commerce;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Chargeback: what the operator charges each customer for a month — the month's invoices of the
 * customer's CSP subscriptions plus the operator's markup, the customer's own or the default one —
 * and what no customer pays (registration subscriptions), which stays the operator's own cost.
 */
public final class Chargeback {
  /** The key of the markup of every customer that has none of its own. */
  public static final String DEFAULT = "default";

  /** A markup in percent (12.5 is 12.5 %) for a Partner Center customer, or {@link #DEFAULT}. */
  public record Markup(String customerId, BigDecimal percent, Instant updatedAt, String updatedBy) {}

  /**
   * One customer's charge in one currency.
   *
   * @param markupFrom {@code customer}, {@code default}, or {@code none} (no markup set: 0 %)
   */
  public record Charge(String customerId, String customer, String currency, BigDecimal invoiced, BigDecimal markupPercent,
      String markupFrom, BigDecimal amount, List<String> subscriptions) {}

  /** A billing subscription whose invoice no customer pays. */
  public record OwnCost(String billingSubscriptionId, String payer, String currency, BigDecimal invoiced) {}

  public record Statement(String month, List<Charge> customers, List<OwnCost> operator) {}

  private final Jdbi jdbi;
  private final Clock clock;

  Chargeback(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  Optional<Markup> markup(String customerId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM chargeback_markups WHERE customer_id = :c")
        .bind("c", customerId).map((rs, ctx) -> row(rs)).findOne());
  }

  List<Markup> markups() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM chargeback_markups ORDER BY customer_id")
        .map((rs, ctx) -> row(rs)).list());
  }

  /** Sets a markup; true when it is new, false when it replaced one. */
  boolean put(String customerId, BigDecimal percent, String by) {
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    return jdbi.inTransaction(h -> {
      int updated = h.createUpdate("UPDATE chargeback_markups SET markup_percent = :p, updated_at = :now, "
              + "updated_by = :by WHERE customer_id = :c")
          .bind("p", percent).bind("now", now).bind("by", by).bind("c", customerId).execute();
      if (updated > 0) {
        return false;
      }
      h.createUpdate("INSERT INTO chargeback_markups (customer_id, markup_percent, updated_at, updated_by) "
              + "VALUES (:c, :p, :now, :by)")
          .bind("c", customerId).bind("p", percent).bind("now", now).bind("by", by).execute();
      return true;
    });
  }

  boolean remove(String customerId) {
    return jdbi.withHandle(h -> h.createUpdate("DELETE FROM chargeback_markups WHERE customer_id = :c")
        .bind("c", customerId).execute()) > 0;
  }

  /** A customer's charges in one currency: statements list them by customer, then currency. */
  private record CustomerCurrency(String customerId, String currency) implements Comparable<CustomerCurrency> {
    private static final java.util.Comparator<CustomerCurrency> ORDER =
        java.util.Comparator.comparing(CustomerCurrency::customerId).thenComparing(CustomerCurrency::currency);

    @Override
    public int compareTo(CustomerCurrency other) {
      return ORDER.compare(this, other);
    }
  }

  /** The month's statement from its invoices (every billing subscription's, Draft or Final). */
  Statement statement(String month, List<Invoice> invoices, Payers payers) {
    Map<String, Markup> markups = new TreeMap<>();
    markups().forEach(m -> markups.put(m.customerId(), m));
    // Per customer and currency: the invoiced sum and the subscriptions it came from.
    Map<CustomerCurrency, Charge> byCustomer = new TreeMap<>();
    List<OwnCost> own = new ArrayList<>();
    for (Invoice i : invoices) {
      Payers.Payer payer = payers.of(i.billingSubscriptionId());
      if (payer.customerId() == null) {
        own.add(new OwnCost(i.billingSubscriptionId(), payer.name(), i.currency(), i.total()));
        continue;
      }
      byCustomer.merge(new CustomerCurrency(payer.customerId(), i.currency()), new Charge(payer.customerId(),
          payer.name(), i.currency(), i.total(), null, null, null, List.of(i.billingSubscriptionId())), (a, b) -> new Charge(
          a.customerId(), a.customer(), a.currency(), a.invoiced().add(b.invoiced()), null, null, null,
          concat(a.subscriptions(), b.subscriptions())));
    }
    List<Charge> charges = new ArrayList<>();
    for (Charge c : byCustomer.values()) {
      Markup customerOwn = markups.get(c.customerId());
      Markup markup = customerOwn != null ? customerOwn : markups.get(DEFAULT);
      BigDecimal percent = markup == null ? BigDecimal.ZERO : markup.percent();
      String from = customerOwn != null ? "customer" : markup != null ? DEFAULT : "none";
      charges.add(new Charge(c.customerId(), c.customer(), c.currency(), c.invoiced(), percent, from,
          charge(c.invoiced(), percent, c.currency()), c.subscriptions()));
    }
    return new Statement(month, charges, own);
  }

  /**
   * invoiced × (1 + percent ÷ 100): the product is exact, and is rounded once, half-even, to the
   * currency's minor unit — as an invoice line is.
   */
  static BigDecimal charge(BigDecimal invoiced, BigDecimal percent, String currency) {
    return invoiced.multiply(BigDecimal.ONE.add(percent.movePointLeft(2)))
        .setScale(MinorUnit.digits(currency), RoundingMode.HALF_EVEN);
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  /** Without trailing zeros, never in exponent form (100, not 1E+2). */
  static BigDecimal plain(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  private static Markup row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Markup(rs.getString("customer_id"), plain(rs.getBigDecimal("markup_percent")),
        rs.getObject("updated_at", OffsetDateTime.class).toInstant(), rs.getString("updated_by"));
  }
}
