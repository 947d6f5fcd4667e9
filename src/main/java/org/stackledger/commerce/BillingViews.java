package org.stackledger.commerce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.access.AccessControl;
import org.stackledger.access.RoleAssignment;
import org.stackledger.access.RoleAssignments;
import org.stackledger.access.RoleDefinition;
import org.stackledger.arm.Arm;
import org.stackledger.arm.Subscriptions;
import org.stackledger.directory.Directory;
import org.stackledger.directory.Principal;
import org.stackledger.http.Guids;
import org.stackledger.identity.Caller;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.partnercenter.PartnerCenter;
import org.stackledger.problem.Problem;

/**
 * Billing across subscriptions as one caller may see it: the invoices, the reconciliation file and
 * the month's reports of the billing subscriptions the caller may read, and the operator's
 * chargeback. This is the one place that decides who reads which bill: the ARM routes
 * ({@link BillingViewRoutes}) and the console call these methods with the signed-in {@link Caller}
 * and only render what they answer, so there is no second authorization path.
 *
 * <p>Which billing subscriptions a caller may read follows its principal, as Partner Center does:
 * those where it holds a role allowing invoice reads at the subscription itself (its own
 * subscriptions, and a partner's customers' through the Owner role admin-on-behalf-of gives it) in a
 * directory it belongs to, whichever of its directories issued the token; the operator (a root role
 * allowing invoice reads) reads every one. Chargeback and markups are the operator's alone: anyone
 * else is refused with 403 {@code AuthorizationFailed} naming only the root scope.
 */
public final class BillingViews {
  /** A markup between a full discount and ten times the price: anything beyond is a typing error. */
  static final BigDecimal MIN_MARKUP = BigDecimal.valueOf(-100);
  static final BigDecimal MAX_MARKUP = BigDecimal.valueOf(1000);

  private final Jdbi jdbi;
  private final Subscriptions subscriptions;
  private final AccessControl access;
  private final Commerce commerce;
  private final PartnerCenter partnerCenter;
  private final RoleAssignments roles;
  private final Directory directory;
  private final Reconciliation reconciliation;
  private final Chargeback chargeback;

  public BillingViews(Arm arm, Commerce commerce, PartnerCenter partnerCenter, RoleAssignments roles,
      Directory directory) {
    this.jdbi = arm.jdbi();
    this.subscriptions = arm.subscriptions();
    this.access = AccessControl.of(arm);
    this.commerce = commerce;
    this.partnerCenter = partnerCenter;
    this.roles = roles;
    this.directory = directory;
    this.reconciliation = new Reconciliation(jdbi);
    this.chargeback = new Chargeback(jdbi, arm.clock());
  }

  /**
   * The invoices (totals, no lines) of every billing subscription the caller may read, of
   * {@code month} or of every month when empty; by billing subscription id, each one's newest first.
   */
  public List<Invoice> invoices(Caller caller, Optional<YearMonth> month) {
    String m = month.map(YearMonth::toString).orElse(null);
    List<Invoice> out = new ArrayList<>();
    for (String s : billingSubscriptions(m, readable(caller))) {
      for (Invoice i : commerce.invoices(s)) {
        if (m == null || m.equals(i.month())) {
          out.add(i);
        }
      }
    }
    return out;
  }

  /** The month's reconciliation file (CSV, see {@link Reconciliation}) of the invoices the caller may read. */
  public String reconciliation(Caller caller, YearMonth month) {
    return reconciliation.csv(invoicesOf(month.toString(), readable(caller)), payers());
  }

  /**
   * The month's usage or cost report (see {@link MonthReport}) of exactly the invoices
   * {@link #invoices} lets the caller read: the same predicate, no second path.
   */
  public ObjectNode report(Caller caller, MonthReport.Kind kind, MonthReport.By by, YearMonth month) {
    MonthReport report = new MonthReport(payers(), directory::tenant, MeterCatalogue.standard()::find);
    return report.render(kind, by, month.toString(), invoicesOf(month.toString(), readable(caller)));
  }

  /** The operator's chargeback statement of the month, over every invoice. */
  public Chargeback.Statement chargeback(Caller caller, YearMonth month) {
    access.requireRoot(caller, BillingViewRoutes.CHARGEBACK_READ);
    return chargeback.statement(month.toString(), invoicesOf(month.toString(), s -> true), payers());
  }

  /** The operator's markups, by customer id ({@value Chargeback#DEFAULT} among them when set). */
  public List<Chargeback.Markup> markups(Caller caller) {
    access.requireRoot(caller, BillingViewRoutes.CHARGEBACK_READ);
    return chargeback.markups();
  }

  /**
   * One markup by its key: {@value Chargeback#DEFAULT} or a Partner Center customer id;
   * 404 {@code MarkupNotFound} when none is set.
   */
  public Chargeback.Markup markup(Caller caller, String customerId) {
    access.requireRoot(caller, BillingViewRoutes.CHARGEBACK_READ);
    String id = markupKey(customerId);
    return chargeback.markup(id).orElseThrow(() -> Problem.notFound("MarkupNotFound",
        "No markup is set for '" + id + "'."));
  }

  /**
   * Sets a customer's (or the default) markup in percent; true when it is new. The percent is
   * {@code null} when the request gave none, which is refused as invalid like any other bad value.
   */
  public boolean putMarkup(Caller caller, String customerId, BigDecimal percent) {
    access.requireRoot(caller, BillingViewRoutes.CHARGEBACK_WRITE);
    String id = markupKey(customerId);
    if (!id.equals(Chargeback.DEFAULT) && partnerCenter.customer(id).isEmpty()) {
      throw Problem.notFound("CustomerNotFound", "Partner Center has no customer '" + id + "'.");
    }
    if (percent == null) {
      throw Problem.invalid("InvalidMarkup", "properties.markupPercent",
          "properties.markupPercent is required: the markup in percent, a number such as 12.5.");
    }
    BigDecimal p = Chargeback.plain(percent);
    if (p.compareTo(MIN_MARKUP) < 0 || p.compareTo(MAX_MARKUP) > 0 || p.scale() > 4) {
      throw Problem.invalid("InvalidMarkup", "properties.markupPercent", "properties.markupPercent must be "
          + "between -100 and 1000 with at most 4 decimals; it is " + p.toPlainString() + ".");
    }
    return chargeback.put(id, p, caller.objectId());
  }

  /** Removes a markup; true when there was one. */
  public boolean removeMarkup(Caller caller, String customerId) {
    access.requireRoot(caller, BillingViewRoutes.CHARGEBACK_WRITE);
    return chargeback.remove(markupKey(customerId));
  }

  /** {@code default}, or a Partner Center customer id (a GUID), lower-case. */
  static String markupKey(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    if (!v.equals(Chargeback.DEFAULT) && !Guids.isGuid(v)) {
      throw Problem.invalid("InvalidCustomerId", "customerId",
          "The customerId must be a Partner Center customer id (a GUID) or 'default'.");
    }
    return v;
  }

  private Payers payers() {
    return new Payers(partnerCenter, subscriptions, jdbi);
  }

  /** The month's invoices, with their lines, of the billing subscriptions the predicate lets through. */
  private List<Invoice> invoicesOf(String month, Predicate<String> readable) {
    List<Invoice> out = new ArrayList<>();
    for (String s : billingSubscriptions(month, readable)) {
      commerce.invoice(s, month).ifPresent(out::add);
    }
    return out;
  }

  /** The billing subscriptions that have an invoice (of the month, when given), in id order. */
  private List<String> billingSubscriptions(String month, Predicate<String> readable) {
    return jdbi.withHandle(h -> h.createQuery("SELECT DISTINCT billing_subscription_id FROM invoices"
            + (month == null ? "" : " WHERE invoice_month = :m") + " ORDER BY billing_subscription_id")
        .bindMap(month == null ? Map.of() : Map.of("m", month)).mapTo(String.class).list())
        .stream().filter(readable).toList();
  }

  /**
   * Whose invoices the caller reads: every one for the operator; else the subscriptions where its
   * principal holds, at the subscription itself, a role allowing invoice reads, in a directory the
   * principal is at home or a guest in. A role at a resource group inside does not reveal the bill.
   */
  private Predicate<String> readable(Caller caller) {
    if (access.holdsRoot(caller, CommerceRoutes.INVOICE_READ)) {
      return s -> true;
    }
    Set<String> held = new HashSet<>();
    for (RoleAssignment a : roles.forPrincipal(caller.objectId())) {
      String scope = a.scope().toLowerCase(Locale.ROOT);
      boolean subscription = scope.startsWith("/subscriptions/") && scope.indexOf('/', "/subscriptions/".length()) < 0;
      if (subscription && RoleDefinition.find(a.roleDefinitionId()).map(r -> r.permits(CommerceRoutes.INVOICE_READ))
          .orElse(false)) {
        held.add(scope.substring("/subscriptions/".length()));
      }
    }
    String home = directory.principal(caller.objectId()).map(Principal::tenantId).orElse(caller.tenantId());
    return s -> held.contains(s) && subscriptions.find(s).map(sub -> sub.tenantId().equalsIgnoreCase(home)
        || sub.tenantId().equalsIgnoreCase(caller.tenantId()) || directory.isGuest(sub.tenantId(), caller.objectId()))
        .orElse(false);
  }
}
