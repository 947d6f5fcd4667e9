package org.stackledger.commerce;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.problem.Problem;
import org.stackledger.store.Database;

/**
 * The invoices: opening them as usage arrives, reading them, finalizing them. Arrival and
 * finalization both take the invoice's row lock, so a record is either on the invoice when it is
 * frozen or lands, as an adjustment, on the next open one — never lost between the two.
 */
final class Invoices {
  private final Jdbi jdbi;
  private final Clock clock;

  Invoices(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  /**
   * The month whose open invoice takes usage of {@code usageMonth} for a billing subscription: that
   * month's own while it is a draft, else the first later one still a draft (opened if need be). Takes
   * the row lock of the invoice returned, for the rest of the caller's transaction.
   */
  static String openMonthFor(Handle h, String subscriptionId, String usageMonth, String currency, Instant now) {
    YearMonth month = YearMonth.parse(usageMonth);
    while (true) {
      String m = month.toString();
      h.createUpdate("INSERT INTO invoices (billing_subscription_id, invoice_month, currency, state, created_at) "
              + "VALUES (:s, :m, :c, 'Draft', :now) ON CONFLICT DO NOTHING")
          .bind("s", subscriptionId).bind("m", m).bind("c", currency).bind("now", RecordStore.at(now)).execute();
      String state = h.createQuery("SELECT state FROM invoices WHERE billing_subscription_id = :s AND invoice_month = :m "
          + "FOR UPDATE").bind("s", subscriptionId).bind("m", m).mapTo(String.class).one();
      if (Invoice.State.Draft.name().equals(state)) {
        return m;
      }
      month = month.plusMonths(1);
    }
  }

  /** The invoice a record goes on, ordered so that every batch locks invoices in the same order. */
  record Key(String billingSubscriptionId, String month) implements Comparable<Key> {
    private static final java.util.Comparator<Key> ORDER =
        java.util.Comparator.comparing(Key::billingSubscriptionId).thenComparing(Key::month);

    @Override
    public int compareTo(Key other) {
      return ORDER.compare(this, other);
    }
  }

  /**
   * {@link #openMonthFor} for the invoices of a batch at once: the missing drafts made in one statement,
   * the row locks taken in one, in key order so that concurrent batches never wait in a circle (a batch
   * feeds dozens of invoices; one round trip each was most of an upload's time on PostgreSQL). An
   * invoice already final takes the one-by-one path to its next open month.
   *
   * @param months the invoices by usage month; each value is set to the month whose draft takes them
   */
  static void openMonthsFor(Handle h, java.util.SortedMap<Key, String> months, String currency, Instant now) {
    if (months.isEmpty()) {
      return;
    }
    Map<Key, String> state = Database.isPostgreSQL(h) ? upsertAndLock(h, months.keySet(), currency, now)
        : insertAndLock(h, months.keySet(), currency, now);
    for (Map.Entry<Key, String> e : months.entrySet()) {
      Key k = e.getKey();
      e.setValue(Invoice.State.Draft.name().equals(state.get(k)) ? k.month()
          : openMonthFor(h, k.billingSubscriptionId(), k.month(), currency, now));
    }
  }

  /**
   * PostgreSQL: the drafts made and every row locked in one statement, whose text does not depend on
   * how many invoices there are (ON CONFLICT DO UPDATE locks the row it meets, in the order given).
   */
  private static Map<Key, String> upsertAndLock(Handle h, java.util.Set<Key> months, String currency, Instant now) {
    String[] subscriptions = months.stream().map(Key::billingSubscriptionId).toArray(String[]::new);
    String[] invoiceMonths = months.stream().map(Key::month).toArray(String[]::new);
    Map<Key, String> state = new java.util.HashMap<>();
    h.createQuery("INSERT INTO invoices (billing_subscription_id, invoice_month, currency, state, created_at) "
            + "SELECT s, m, :c, 'Draft', :now FROM unnest(:s, :m) AS i(s, m) ORDER BY s, m "
            + "ON CONFLICT (billing_subscription_id, invoice_month) DO UPDATE SET state = invoices.state "
            + "RETURNING billing_subscription_id, invoice_month, state")
        .bind("c", currency).bind("now", RecordStore.at(now)).bindArray("s", String.class, (Object[]) subscriptions)
        .bindArray("m", String.class, (Object[]) invoiceMonths)
        .map((rs, ctx) -> state.put(new Key(rs.getString(1), rs.getString(2)), rs.getString(3))).list();
    return state;
  }

  /** The embedded store: the missing drafts made in one statement, the rows locked in another. */
  private static Map<Key, String> insertAndLock(Handle h, java.util.Set<Key> months, String currency, Instant now) {
    var insert = h.prepareBatch("INSERT INTO invoices (billing_subscription_id, invoice_month, currency, state, "
        + "created_at) VALUES (:s, :m, :c, 'Draft', :now) ON CONFLICT DO NOTHING");
    StringBuilder which = new StringBuilder();
    List<Key> keys = List.copyOf(months);
    for (int i = 0; i < keys.size(); i++) {
      insert.bind("s", keys.get(i).billingSubscriptionId()).bind("m", keys.get(i).month()).bind("c", currency)
          .bind("now", RecordStore.at(now)).add();
      which.append(i == 0 ? "" : " OR ").append("(billing_subscription_id = :s").append(i)
          .append(" AND invoice_month = :m").append(i).append(')');
    }
    insert.execute();
    var lock = h.createQuery("SELECT billing_subscription_id, invoice_month, state FROM invoices WHERE " + which
        + " ORDER BY billing_subscription_id, invoice_month FOR UPDATE");
    for (int i = 0; i < keys.size(); i++) {
      lock.bind("s" + i, keys.get(i).billingSubscriptionId()).bind("m" + i, keys.get(i).month());
    }
    Map<Key, String> state = new java.util.HashMap<>();
    lock.map((rs, ctx) -> state.put(new Key(rs.getString(1), rs.getString(2)), rs.getString(3))).list();
    return state;
  }

  /** The invoices of a billing subscription, newest month first, without their lines. */
  List<Invoice> list(String subscriptionId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM invoices WHERE billing_subscription_id = :s "
            + "ORDER BY invoice_month DESC").bind("s", subscriptionId).map((rs, ctx) -> header(rs)).list())
        .stream().map(i -> i.state() == Invoice.State.Final ? i : withLines(i, draftLines(i), false)).toList();
  }

  Optional<Invoice> find(String subscriptionId, String month) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM invoices WHERE billing_subscription_id = :s "
            + "AND invoice_month = :m").bind("s", subscriptionId).bind("m", month).map((rs, ctx) -> header(rs)).findOne())
        .map(i -> withLines(i, i.state() == Invoice.State.Final ? finalLines(i) : draftLines(i), true));
  }

  /**
   * Freezes an invoice: its lines as they are now, its total. A month not yet over cannot be
   * finalized; finalizing a final invoice changes nothing and answers it as it is.
   */
  Invoice finalizeInvoice(String subscriptionId, String month, String by) {
    Instant now = clock.instant();
    YearMonth ym = YearMonth.parse(month);
    if (now.isBefore(ym.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC))) {
      throw Problem.conflict("InvoicePeriodNotEnded",
          "The invoice of " + month + " cannot be finalized before the month is over.");
    }
    jdbi.useTransaction(h -> {
      Optional<String> state = h.createQuery("SELECT state FROM invoices WHERE billing_subscription_id = :s "
          + "AND invoice_month = :m FOR UPDATE").bind("s", subscriptionId).bind("m", month).mapTo(String.class).findOne();
      if (state.isEmpty()) {
        throw notFound(subscriptionId, month);
      }
      if (Invoice.State.Final.name().equals(state.get())) {
        return;
      }
      Invoice draft = h.createQuery("SELECT * FROM invoices WHERE billing_subscription_id = :s AND invoice_month = :m")
          .bind("s", subscriptionId).bind("m", month).map((rs, ctx) -> header(rs)).one();
      List<Invoice.Line> lines = lines(h, draft.billingSubscriptionId(), draft.month(), draft.currency());
      var insert = h.prepareBatch("INSERT INTO invoice_lines (billing_subscription_id, invoice_month, line_number, "
          + "cloud_id, local_subscription_id, tenant_id, meter_id, commerce_meter_id, usage_month, adjustment, quantity, "
          + "unit_price, unit_divisor, amount, usage_from, usage_to, records) VALUES (:s, :m, :n, :cloud, :sub, :tenant, "
          + ":meter, :cmeter, :um, :adj, :q, :p, :d, :a, :from, :to, :records)");
      for (Invoice.Line l : lines) {
        insert.bind("s", subscriptionId).bind("m", month).bind("n", l.number()).bind("cloud", l.cloudId())
            .bind("sub", l.localSubscriptionId()).bind("tenant", l.tenantId()).bind("meter", l.meterId())
            .bind("cmeter", l.commerceMeterId()).bind("um", l.usageMonth()).bind("adj", l.adjustment())
            .bind("q", l.quantity()).bind("p", l.unitPrice()).bind("d", l.unitDivisor()).bind("a", l.amount())
            .bind("from", RecordStore.at(l.usageFrom())).bind("to", RecordStore.at(l.usageTo()))
            .bind("records", l.records()).add();
      }
      if (!lines.isEmpty()) {
        insert.execute();
      }
      h.createUpdate("UPDATE invoices SET state = 'Final', finalized_at = :now, finalized_by = :by, total = :total "
              + "WHERE billing_subscription_id = :s AND invoice_month = :m")
          .bind("now", RecordStore.at(now)).bind("by", by).bind("total", total(lines, draft.currency()))
          .bind("s", subscriptionId).bind("m", month).execute();
    });
    return find(subscriptionId, month).orElseThrow();
  }

  /** Finalizes every draft whose month ended more than {@code grace} ago; answers how many. */
  int finalizeDue(Duration grace, String by) {
    Instant now = clock.instant();
    record Draft(String billingSubscriptionId, String month) {}
    List<Draft> drafts = jdbi.withHandle(h -> h.createQuery("SELECT billing_subscription_id, invoice_month FROM "
            + "invoices WHERE state = 'Draft' ORDER BY invoice_month, billing_subscription_id")
        .map((rs, ctx) -> new Draft(rs.getString(1), rs.getString(2))).list());
    int done = 0;
    for (Draft d : drafts) {
      Instant end = YearMonth.parse(d.month()).plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
      if (!end.plus(grace).isAfter(now)) {
        finalizeInvoice(d.billingSubscriptionId(), d.month(), by);
        done++;
      }
    }
    return done;
  }

  static Problem notFound(String subscriptionId, String month) {
    return Problem.notFound("InvoiceNotFound",
        "The subscription '" + subscriptionId + "' has no invoice for " + month + ".");
  }

  private List<Invoice.Line> draftLines(Invoice i) {
    return jdbi.withHandle(h -> lines(h, i.billingSubscriptionId(), i.month(), i.currency()));
  }

  /** The lines of the records now on an invoice: sums per line key, each amount rounded once. */
  private static List<Invoice.Line> lines(Handle h, String subscriptionId, String month, String currency) {
    int digits = MinorUnit.digits(currency);
    Map<LineKey, LineSum> sums = new TreeMap<>();
    for (StoredRecord r : RecordStore.onInvoice(h, subscriptionId, month)) {
      sums.computeIfAbsent(LineKey.of(r), k -> new LineSum()).add(r);
    }
    List<Invoice.Line> lines = new ArrayList<>(sums.size());
    sums.forEach((k, sum) -> {
      BigDecimal q = sum.quantity.stripTrailingZeros();
      lines.add(new Invoice.Line(0, k.cloudId(), k.localSubscriptionId(), k.tenantId(), k.meterId(),
          k.commerceMeterId(), k.usageMonth(), k.adjustment(), q, k.unitPrice(), k.unitDivisor(),
          amount(q, k.unitPrice(), k.unitDivisor(), digits), sum.from, sum.to, sum.records));
    });
    List<Invoice.Line> numbered = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      Invoice.Line l = lines.get(i);
      numbered.add(new Invoice.Line(i + 1, l.cloudId(), l.localSubscriptionId(), l.tenantId(), l.meterId(),
          l.commerceMeterId(), l.usageMonth(), l.adjustment(), l.quantity(), l.unitPrice(), l.unitDivisor(), l.amount(),
          l.usageFrom(), l.usageTo(), l.records()));
    }
    return numbered;
  }

  /** quantity × price ÷ divisor: the product is exact, the division rounds once to the minor unit. */
  static BigDecimal amount(BigDecimal quantity, BigDecimal unitPrice, int divisor, int digits) {
    return quantity.multiply(unitPrice).divide(BigDecimal.valueOf(divisor), digits, RoundingMode.HALF_EVEN);
  }

  private List<Invoice.Line> finalLines(Invoice i) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM invoice_lines WHERE billing_subscription_id = :s "
            + "AND invoice_month = :m ORDER BY line_number").bind("s", i.billingSubscriptionId()).bind("m", i.month())
        .map((rs, ctx) -> new Invoice.Line(rs.getInt("line_number"), rs.getString("cloud_id"),
            rs.getString("local_subscription_id"), rs.getString("tenant_id"), rs.getString("meter_id"),
            rs.getString("commerce_meter_id"), rs.getString("usage_month"), rs.getBoolean("adjustment"),
            rs.getBigDecimal("quantity").stripTrailingZeros(), rs.getBigDecimal("unit_price").stripTrailingZeros(),
            rs.getInt("unit_divisor"), MinorUnit.of(rs.getBigDecimal("amount"), i.currency()), instant(rs.getObject("usage_from", OffsetDateTime.class)),
            instant(rs.getObject("usage_to", OffsetDateTime.class)), rs.getLong("records")))
        .list());
  }

  private static Invoice withLines(Invoice i, List<Invoice.Line> lines, boolean keepLines) {
    BigDecimal total = i.state() == Invoice.State.Final ? i.total() : total(lines, i.currency());
    return new Invoice(i.billingSubscriptionId(), i.month(), i.currency(), i.state(), i.createdAt(), i.finalizedAt(),
        i.finalizedBy(), keepLines ? lines : List.of(), total);
  }

  /** The sum of the lines' amounts; an invoice without lines totals {@code 0.00}, not {@code 0}. */
  private static BigDecimal total(List<Invoice.Line> lines, String currency) {
    BigDecimal sum = MinorUnit.zero(currency);
    for (Invoice.Line l : lines) {
      sum = sum.add(l.amount());
    }
    return sum;
  }

  private static Invoice header(java.sql.ResultSet rs) throws java.sql.SQLException {
    String currency = rs.getString("currency");
    BigDecimal total = rs.getBigDecimal("total");
    return new Invoice(rs.getString("billing_subscription_id"), rs.getString("invoice_month"), currency,
        Invoice.State.valueOf(rs.getString("state")), instant(rs.getObject("created_at", OffsetDateTime.class)),
        instant(rs.getObject("finalized_at", OffsetDateTime.class)), rs.getString("finalized_by"), List.of(),
        total == null ? null : MinorUnit.of(total, currency));
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
