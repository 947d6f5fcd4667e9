package org.stackledger.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.stackledger.access.AccessControl;
import org.stackledger.access.RoleAssignments;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.directory.Directory;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.identity.Caller;
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
 * Each route parses the request, asks {@link BillingViews} as the request's caller and renders the
 * answer; which bills a caller reads is decided there, for these routes and the console alike.
 */
public final class BillingViewRoutes {
  static final String BASE = "/providers/Stackledger.Billing";
  static final String MARKUPS = BASE + "/chargeback/markups";
  static final ApiVersions CHARGEBACK_VERSIONS = ApiVersions.of("Stackledger.Billing/chargeback", "2026-11-01");
  static final String CHARGEBACK_READ = "Stackledger.Billing/chargeback/read";
  static final String CHARGEBACK_WRITE = "Stackledger.Billing/chargeback/write";

  private final Arm arm;
  private final PartnerCenter partnerCenter;
  private final BillingViews views;

  public BillingViewRoutes(Arm arm, Commerce commerce, PartnerCenter partnerCenter, RoleAssignments roles,
      Directory directory) {
    this.arm = arm;
    this.partnerCenter = partnerCenter;
    this.views = new BillingViews(arm, commerce, partnerCenter, roles, directory);
  }

  /** The billing views these routes answer from, for a front end that renders them another way. */
  public BillingViews views() {
    return views;
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
    Optional<YearMonth> month = ex.query("month").map(BillingViewRoutes::month);
    ObjectNode out = Json.object();
    ArrayNode value = out.putArray("value");
    for (Invoice i : views.invoices(AccessControl.caller(ex), month)) {
      value.add(InvoiceJson.render(i, false));
    }
    return Reply.json(200, out);
  }

  private Reply reconciliation(Exchange ex) {
    CommerceRoutes.BILLING_VERSIONS.require(ex);
    YearMonth month = requiredMonth(ex);
    return Reply.text(200, views.reconciliation(AccessControl.caller(ex), month), "text/csv; charset=utf-8")
        .header("Content-Disposition", "attachment; filename=\"reconciliation-" + month + ".csv\"");
  }

  private Reply report(Exchange ex, MonthReport.Kind kind) {
    CommerceRoutes.BILLING_VERSIONS.require(ex);
    YearMonth month = requiredMonth(ex);
    MonthReport.By by = MonthReport.by(ex.query("by").orElse(MonthReport.By.customer.name()));
    return Reply.json(200, views.report(AccessControl.caller(ex), kind, by, month));
  }

  private Reply chargeback(Exchange ex) {
    operator(ex, CHARGEBACK_READ);
    YearMonth month = requiredMonth(ex);
    Chargeback.Statement statement = views.chargeback(AccessControl.caller(ex), month);
    ObjectNode out = Json.object();
    out.put("month", month.toString());
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
    views.markups(AccessControl.caller(ex)).forEach(m -> value.add(render(m)));
    return Reply.json(200, out);
  }

  private Reply markup(Exchange ex) {
    operator(ex, CHARGEBACK_READ);
    return Reply.json(200, render(views.markup(AccessControl.caller(ex), ex.pathParam("customerId"))));
  }

  private Reply putMarkup(Exchange ex) throws IOException {
    operator(ex, CHARGEBACK_WRITE);
    Caller caller = AccessControl.caller(ex);
    String id = BillingViews.markupKey(ex.pathParam("customerId"));
    JsonNode percent = arm.body().required(ex).path("properties").path("markupPercent");
    boolean created = views.putMarkup(caller, id, percent.isNumber() ? percent.decimalValue() : null);
    return Reply.json(created ? 201 : 200, render(views.markup(caller, id)));
  }

  private Reply deleteMarkup(Exchange ex) {
    operator(ex, CHARGEBACK_WRITE);
    return Reply.empty(views.removeMarkup(AccessControl.caller(ex), ex.pathParam("customerId")) ? 200 : 204);
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

  /**
   * Every chargeback route is the operator's: the api-version, then the ARM root-scope check, so a
   * request is answered in ARM's order (who, then what) before its month is read; the view checks
   * the caller again, for callers that do not come through these routes.
   */
  private void operator(Exchange ex, String action) {
    CHARGEBACK_VERSIONS.require(ex);
    arm.authorizeRoot(ex, action);
  }

  private static YearMonth requiredMonth(Exchange ex) {
    return month(ex.query("month").orElseThrow(() -> Problem.invalid("MissingParameter", "month",
        "The query parameter 'month' (yyyy-MM) is required.")));
  }

  private static YearMonth month(String value) {
    try {
      return YearMonth.parse(value);
    } catch (DateTimeParseException e) {
      throw Problem.invalid("InvalidParameter", "month", "The month '" + value
          + "' must be a calendar month written yyyy-MM.");
    }
  }
}
