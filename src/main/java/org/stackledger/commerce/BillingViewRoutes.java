package org.stackledger.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.stackledger.access.RoleAssignment;
import org.stackledger.access.RoleAssignments;
import org.stackledger.access.RoleDefinition;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.directory.Directory;
import org.stackledger.directory.Principal;
import org.stackledger.http.Exchange;
import org.stackledger.http.Guids;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.identity.Caller;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.partnercenter.PartnerCenter;
import org.stackledger.problem.Problem;

/**
 * The partner's and the operator's views of billing on the cloud ARM endpoint:
 * <ul>
 *   <li>{@code GET /providers/Stackledger.Billing/invoices[?month=yyyy-MM]} — the invoices of every
 *       billing subscription the caller may read;</li>
 *   <li>{@code GET /providers/Stackledger.Billing/reconciliation?month=yyyy-MM} — their lines as the
 *       month's reconciliation file (CSV, see {@link Reconciliation});</li>
 *   <li>{@code GET /providers/Stackledger.Billing/reports/usage|cost?month=yyyy-MM[&by=tenant|customer|meter]} —
 *       the month's invoices summed by directory tenant, customer or meter, with names (see {@link MonthReport});</li>
 *   <li>{@code GET /providers/Stackledger.Billing/chargeback?month=yyyy-MM} and
 *       {@code …/chargeback/markups[/{customerId|default}]} (GET, PUT, DELETE) — the operator's.</li>
 * </ul>
 * Which billing subscriptions a caller may read follows its principal, as Partner Center does: those
 * where it holds a role allowing invoice reads at the subscription itself (its own subscriptions, and
 * a partner's customers' through the Owner role admin-on-behalf-of gives it) in a directory it belongs
 * to, whichever of its directories issued the token; the operator (a root role) reads every one.
 */
public final class BillingViewRoutes {
  static final String BASE = "/providers/Stackledger.Billing";
  static final String MARKUPS = BASE + "/chargeback/markups";
  static final ApiVersions CHARGEBACK_VERSIONS = ApiVersions.of("Stackledger.Billing/chargeback", "2026-11-01");
  static final String CHARGEBACK_READ = "Stackledger.Billing/chargeback/read";
  static final String CHARGEBACK_WRITE = "Stackledger.Billing/chargeback/write";
  /** A markup between a full discount and ten times the price: anything beyond is a typing error. */
  static final BigDecimal MIN_MARKUP = BigDecimal.valueOf(-100);
  static final BigDecimal MAX_MARKUP = BigDecimal.valueOf(1000);

  private final Arm arm;
  private final Commerce commerce;
  private final PartnerCenter partnerCenter;
  private final RoleAssignments roles;
  private final Directory directory;
  private final Reconciliation reconciliation;
  private final Chargeback chargeback;

  public BillingViewRoutes(Arm arm, Commerce commerce, PartnerCenter partnerCenter, RoleAssignments roles,
      Directory directory) {
    this.arm = arm;
    this.commerce = commerce;
    this.partnerCenter = partnerCenter;
    this.roles = roles;
    this.directory = directory;
    this.reconciliation = new Reconciliation(arm.jdbi());
    this.chargeback = new Chargeback(arm.jdbi(), arm.clock());
  }

  public void register(Router router) {
    router.get(BASE + "/invoices", this::invoices);
    router.get(BASE + "/reconciliation", this::reconciliation);
    router.get(BASE + "/reports/usage", ex -> report(ex, MonthReport.Kind.usage));
    router.get(BASE + "/reports/cost", ex -> report(ex, MonthReport.Kind.cost));
    router.get(BASE + "/chargeback", this::chargeback);
    router.get(MARKUPS, this::markups);
    router.get(MARKUPS + "/{customerId}", this::markup);
    router.put(MARKUPS + "/{customerId}", this::putMarkup);
    router.delete(MARKUPS + "/{customerId}", this::deleteMarkup);
  }

  private Reply invoices(Exchange ex) {
    CommerceRoutes.BILLING_VERSIONS.require(ex);
    Optional<String> month = ex.query("month").map(BillingViewRoutes::month);
    ObjectNode out = Json.object();
    ArrayNode value = out.putArray("value");
    for (String s : billingSubscriptions(month.orElse(null), readable(ex))) {
      for (Invoice i : commerce.invoices(s)) {
        if (month.isEmpty() || month.get().equals(i.month())) {
          value.add(InvoiceJson.render(i, false));
        }
      }
    }
    return Reply.json(200, out);
  }

  private Reply reconciliation(Exchange ex) {
    CommerceRoutes.BILLING_VERSIONS.require(ex);
    String month = requiredMonth(ex);
    List<Invoice> invoices = invoicesOf(month, readable(ex));
    return Reply.text(200, reconciliation.csv(invoices, payers()), "text/csv; charset=utf-8")
        .header("Content-Disposition", "attachment; filename=\"reconciliation-" + month + ".csv\"");
  }

  /** A report reads exactly what the invoice views let the caller read: the same predicate, no second path. */
  private Reply report(Exchange ex, MonthReport.Kind kind) {
    CommerceRoutes.BILLING_VERSIONS.require(ex);
    String month = requiredMonth(ex);
    MonthReport.By by = MonthReport.by(ex.query("by").orElse(MonthReport.By.customer.name()));
    MonthReport report = new MonthReport(payers(), directory::tenant, MeterCatalogue.standard()::find);
    return Reply.json(200, report.render(kind, by, month, invoicesOf(month, readable(ex))));
  }

  private Reply chargeback(Exchange ex) {
    operator(ex, CHARGEBACK_READ);
    String month = requiredMonth(ex);
    Chargeback.Statement statement = chargeback.statement(month, invoicesOf(month, s -> true), payers());
    ObjectNode out = Json.object();
    out.put("month", month);
    ArrayNode value = out.putArray("value");
    for (Chargeback.Charge c : statement.customers()) {
      ObjectNode o = value.addObject();
      o.put("customerId", c.customerId());
      o.put("customer", c.customer());
      o.put("currency", c.currency());
      o.put("invoiced", c.invoiced());
      o.put("markupPercent", c.markupPercent());
      o.put("markupFrom", c.markupFrom());
      o.put("amount", c.amount());
      ArrayNode subs = o.putArray("billingSubscriptions");
      c.subscriptions().forEach(subs::add);
    }
    ArrayNode own = out.putArray("operatorCost");
    for (Chargeback.OwnCost c : statement.operator()) {
      ObjectNode o = own.addObject();
      o.put("billingSubscriptionId", c.billingSubscriptionId());
      o.put("payer", c.payer());
      o.put("currency", c.currency());
      o.put("invoiced", c.invoiced());
    }
    return Reply.json(200, out);
  }

  private Reply markups(Exchange ex) {
    operator(ex, CHARGEBACK_READ);
    ObjectNode out = Json.object();
    ArrayNode value = out.putArray("value");
    chargeback.markups().forEach(m -> value.add(render(m)));
    return Reply.json(200, out);
  }

  private Reply markup(Exchange ex) {
    operator(ex, CHARGEBACK_READ);
    String id = markupKey(ex.pathParam("customerId"));
    return Reply.json(200, render(chargeback.markup(id).orElseThrow(() -> Problem.notFound("MarkupNotFound",
        "No markup is set for '" + id + "'."))));
  }

  private Reply putMarkup(Exchange ex) throws IOException {
    operator(ex, CHARGEBACK_WRITE);
    String id = markupKey(ex.pathParam("customerId"));
    if (!id.equals(Chargeback.DEFAULT) && partnerCenter.customer(id).isEmpty()) {
      throw Problem.notFound("CustomerNotFound", "Partner Center has no customer '" + id + "'.");
    }
    JsonNode percent = arm.body().required(ex).path("properties").path("markupPercent");
    if (!percent.isNumber()) {
      throw Problem.invalid("InvalidMarkup", "properties.markupPercent",
          "properties.markupPercent is required: the markup in percent, a number such as 12.5.");
    }
    BigDecimal p = Chargeback.plain(percent.decimalValue());
    if (p.compareTo(MIN_MARKUP) < 0 || p.compareTo(MAX_MARKUP) > 0 || p.scale() > 4) {
      throw Problem.invalid("InvalidMarkup", "properties.markupPercent", "properties.markupPercent must be "
          + "between -100 and 1000 with at most 4 decimals; it is " + p.toPlainString() + ".");
    }
    boolean created = chargeback.put(id, p, ex.attribute(Caller.class).map(Caller::objectId).orElse("operator"));
    return Reply.json(created ? 201 : 200, render(chargeback.markup(id).orElseThrow()));
  }

  private Reply deleteMarkup(Exchange ex) {
    operator(ex, CHARGEBACK_WRITE);
    return Reply.empty(chargeback.remove(markupKey(ex.pathParam("customerId"))) ? 200 : 204);
  }

  private ObjectNode render(Chargeback.Markup m) {
    ObjectNode o = Json.object();
    o.put("id", MARKUPS + "/" + m.customerId());
    o.put("name", m.customerId());
    o.put("type", "Stackledger.Billing/chargeback/markups");
    ObjectNode p = o.putObject("properties");
    p.put("customerId", m.customerId());
    if (!m.customerId().equals(Chargeback.DEFAULT)) {
      partnerCenter.customer(m.customerId()).ifPresent(c -> p.put("companyName", c.companyName()));
    }
    p.put("markupPercent", m.percent());
    p.put("updatedAt", m.updatedAt().toString());
    p.put("updatedBy", m.updatedBy());
    return o;
  }

  /** Every chargeback route is the operator's: the api-version, then a root-scope role allowing the action. */
  private void operator(Exchange ex, String action) {
    CHARGEBACK_VERSIONS.require(ex);
    arm.authorizeRoot(ex, action);
  }

  /** {@code default}, or a Partner Center customer id (a GUID), lower-case. */
  private static String markupKey(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    if (!v.equals(Chargeback.DEFAULT) && !Guids.isGuid(v)) {
      throw Problem.invalid("InvalidCustomerId", "customerId",
          "The customerId must be a Partner Center customer id (a GUID) or 'default'.");
    }
    return v;
  }

  private Payers payers() {
    return new Payers(partnerCenter, arm.subscriptions(), arm.jdbi());
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
    return arm.jdbi().withHandle(h -> h.createQuery("SELECT DISTINCT billing_subscription_id FROM invoices"
            + (month == null ? "" : " WHERE invoice_month = :m") + " ORDER BY billing_subscription_id")
        .bindMap(month == null ? java.util.Map.of() : java.util.Map.of("m", month)).mapTo(String.class).list())
        .stream().filter(readable).toList();
  }

  /**
   * Whose invoices the caller reads: every one for the operator; else the subscriptions where its
   * principal holds, at the subscription itself, a role allowing invoice reads, in a directory the
   * principal is at home or a guest in. A role at a resource group inside does not reveal the bill.
   */
  private Predicate<String> readable(Exchange ex) {
    try {
      arm.authorizeRoot(ex, CommerceRoutes.INVOICE_READ);
      return s -> true;
    } catch (Problem e) {
      if (e.kind() != Problem.Kind.FORBIDDEN) {
        throw e;
      }
    }
    Caller caller = ex.attribute(Caller.class).orElseThrow();
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
    return s -> held.contains(s) && arm.subscriptions().find(s).map(sub -> sub.tenantId().equalsIgnoreCase(home)
        || sub.tenantId().equalsIgnoreCase(caller.tenantId()) || directory.isGuest(sub.tenantId(), caller.objectId()))
        .orElse(false);
  }

  private static String requiredMonth(Exchange ex) {
    return month(ex.query("month").orElseThrow(() -> Problem.invalid("MissingParameter", "month",
        "The query parameter 'month' (yyyy-MM) is required.")));
  }

  private static String month(String value) {
    try {
      return YearMonth.parse(value).toString();
    } catch (DateTimeParseException e) {
      throw Problem.invalid("InvalidParameter", "month", "The month '" + value
          + "' must be a calendar month written yyyy-MM.");
    }
  }
}
