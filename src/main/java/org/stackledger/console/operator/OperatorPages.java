package org.stackledger.console.operator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.stackledger.console.api.ApiClient;
import org.stackledger.console.api.ApiRefusal;
import org.stackledger.console.invoices.InvoicePages;
import org.stackledger.console.partner.Registrations;
import org.stackledger.console.web.Block;
import org.stackledger.console.web.Block.Cell;
import org.stackledger.console.web.Html;
import org.stackledger.console.web.Page;
import org.stackledger.console.web.Views;
import org.stackledger.console.web.Visit;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;

/** The dashboard and the directory view; the money views are in {@link MoneyPages}. */
public final class OperatorPages {
  static final String BRIDGE = "/providers/Microsoft.AzureBridge.Admin";

  private OperatorPages() {}

  /** {@code GET /admin}: every call starts at once; the page waits for all of them. */
  public static Reply dashboard(Visit v) {
    YearMonth lastMonth = YearMonth.from(v.today()).minusMonths(1);
    LocalDate today = v.today();
    CompletableFuture<ApiClient.Answer> stamp = v.start(v.apis().stackAdmin(), BRIDGE + "/stampInfo?api-version=2016-01-01");
    CompletableFuture<ApiClient.Answer> bridge = v.start(v.apis().stackAdmin(),
        "/providers/Stackledger.Bridge/status?api-version=2026-11-01");
    CompletableFuture<ApiClient.Answer> drafts = v.start(v.apis().cloud(),
        "/providers/Stackledger.Billing/invoices?api-version=2026-11-01&month=" + lastMonth);
    CompletableFuture<ApiClient.Answer> usage = v.start(v.apis().stackAdmin(), "/subscriptions/"
        + v.apis().operatorSubscriptionId() + "/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates"
        + "?api-version=2015-06-01-preview&aggregationGranularity=Daily&showDetails=false&reportedStartTime="
        + today.minusDays(1) + "T00:00:00Z&reportedEndTime=" + today + "T00:00:00Z");
    CompletableFuture<ApiClient.Answer> intake = v.start(v.apis().stackAdmin(),
        "/providers/Stackledger.Usage/usageIntake/default?api-version=2026-11-01");
    CompletableFuture<ApiClient.Answer> subscriptions = Registrations.start(v);
    JsonNode s = v.json(stamp).path("properties");
    JsonNode r = s.path("registration");
    Page.Builder page = v.page("Dashboard", "/admin").section("Deployment", InvoicePages.facts(List.of(
        "CloudId", s.path("cloudId").asText(), "Region", s.path("region").asText(),
        "Identity system", s.path("identitySystem").asText(), "Registration", s.path("registrationStatus").asText(),
        "Registration id", r.path("registrationId").asText("—"), "Billing model", r.path("billingModel").asText("—"),
        "Activation expires", r.path("expiresOn").asText("—"))));
    page.section("Deployments registered with the cloud", deploymentsBlock(v, subscriptions,
        s.path("cloudId").asText()));
    page.section("Usage bridge", bridgeBlock(v, bridge));
    page.section("Events today", intakeBlock(v, intake));
    page.section("Usage yesterday", usageBlock(v, usage), new Block.Links(List.of(new Page.Link("Explore yesterday's usage",
        "/admin/usage?from=" + today.minusDays(1) + "&to=" + today))));
    page.section("Invoices of " + lastMonth + " awaiting finalization", draftsBlock(v, drafts, lastMonth));
    return Html.page(200, page.build());
  }

  private static Block bridgeBlock(Visit v, CompletableFuture<ApiClient.Answer> call) {
    try {
      JsonNode b = v.json(call);
      return InvoicePages.facts(List.of("State", b.path("state").asText(), "Why", b.path("reason").asText(""),
          "Lag", b.path("lagSeconds").asLong() + " s", "Hours waiting", b.path("pendingHours").asText(),
          "Hours shipped", b.path("shippedHours").asText(), "Records shipped", b.path("shippedRecords").asText(),
          "Last shipped", b.path("lastShippedAt").asText("never"),
          "Last error", b.path("lastError").isObject() ? b.path("lastError").path("code").asText() + ": "
              + b.path("lastError").path("message").asText() : "none"));
    } catch (ApiRefusal refused) {
      return Views.notice(refused);
    }
  }

  /** Every registration the operator reads in the cloud (Owner at its root), this deployment's marked. */
  private static Block deploymentsBlock(Visit v, CompletableFuture<ApiClient.Answer> subscriptions, String ownCloudId) {
    try {
      List<List<Cell>> rows = new ArrayList<>();
      for (Registrations.Found f : Registrations.of(v, subscriptions)) {
        JsonNode p = f.registration().path("properties");
        String cloudId = p.path("cloudId").asText();
        rows.add(List.of(Cell.text(f.registration().path("name").asText()), Cell.text(cloudId
            + (cloudId.equalsIgnoreCase(ownCloudId) ? " (this deployment)" : "")), Cell.text(p.path("billingModel").asText()),
            Cell.text(f.subscriptionId()), Cell.text(p.path("multiTenancyApproved").asBoolean() ? "approved" : "not approved")));
      }
      return new Block.Table(null, List.of("Registration", "CloudId", "Billing model", "Subscription", "Multi-tenancy"),
          rows, "No deployment is registered with the cloud yet.");
    } catch (ApiRefusal refused) {
      return Views.notice(refused);
    }
  }

  /** What the intake took today: the usage API's count, and its reported hours. */
  private static Block intakeBlock(Visit v, CompletableFuture<ApiClient.Answer> call) {
    try {
      JsonNode p = v.json(call).path("properties");
      List<List<Cell>> hours = new ArrayList<>();
      for (JsonNode h : p.path("hours")) {
        hours.add(List.of(Cell.text(h.path("hour").asText().replace('T', ' ').replace("Z", " UTC")),
            Cell.number(String.format("%,d", h.path("events").asLong())), Cell.number(h.path("batches").asText())));
      }
      return new Block.Table("Events " + String.format("%,d", p.path("eventsToday").asLong()) + " in "
          + p.path("batchesToday").asText() + " batches on " + p.path("day").asText() + " (UTC); last batch "
          + p.path("lastReportedAt").asText("never"), List.of("Reported hour", "Events", "Batches"), hours,
          "No usage batch yet today.");
    } catch (ApiRefusal refused) {
      return Views.notice(refused);
    }
  }

  private static Block usageBlock(Visit v, CompletableFuture<ApiClient.Answer> call) {
    try {
      JsonNode rows = v.json(call).path("value");
      java.util.Set<String> subscriptions = new java.util.TreeSet<>();
      rows.forEach(row -> subscriptions.add(row.path("properties").path("subscriptionId").asText()));
      return new Block.Facts(List.of(new Block.Fact("Subscriptions with usage", Integer.toString(subscriptions.size())),
          new Block.Fact("Usage rows (subscription × meter)", Integer.toString(rows.size())
              + (v.json(call).hasNonNull("nextLink") ? "+" : ""))));
    } catch (ApiRefusal refused) {
      return Views.notice(refused);
    }
  }

  private static Block draftsBlock(Visit v, CompletableFuture<ApiClient.Answer> call, YearMonth month) {
    try {
      List<List<Cell>> rows = new ArrayList<>();
      for (JsonNode i : v.json(call).path("value")) {
        JsonNode p = i.path("properties");
        if (p.path("state").asText().equals("Draft")) {
          rows.add(List.of(Cell.text(p.path("billingSubscriptionId").asText()),
              Cell.number(p.path("total").asText() + " " + p.path("currency").asText())));
        }
      }
      return new Block.Table(null, List.of("Billing subscription", "Total"), rows,
          "Every invoice of " + month + " is final.");
    } catch (ApiRefusal refused) {
      return Views.notice(refused);
    }
  }

  /** {@code GET /admin/tenants}: the directory's tenants, the deployment's guest directories and user subscriptions. */
  public static Reply tenants(Visit v) {
    String op = v.apis().operatorSubscriptionId();
    CompletableFuture<ApiClient.Answer> stamp = v.start(v.apis().stackAdmin(), BRIDGE + "/stampInfo?api-version=2016-01-01");
    CompletableFuture<ApiClient.Answer> directory = v.start(v.apis().cloud(),
        "/providers/Stackledger.Identity/tenants?api-version=2026-11-01&$top=100");
    CompletableFuture<ApiClient.Answer> subscriptions = v.start(v.apis().stackAdmin(), "/subscriptions/" + op
        + "/providers/Microsoft.Subscriptions.Admin/subscriptions?api-version=2015-11-01&$top=100");
    String region = v.json(stamp).path("properties").path("region").asText("local");
    JsonNode guests = v.get(v.apis().stackAdmin(), "/subscriptions/" + op + "/resourceGroups/system." + region
        + "/providers/Microsoft.Subscriptions.Admin/directoryTenants?api-version=2015-11-01");
    List<List<Cell>> tenantRows = new ArrayList<>();
    for (JsonNode t : v.json(directory).path("value")) {
      JsonNode p = t.path("properties");
      tenantRows.add(List.of(Cell.text(p.path("domain").asText()), Cell.text(p.path("tenantId").asText()),
          Cell.text(p.path("displayName").asText("")), Cell.text(p.path("isHomeTenant").asBoolean() ? "home" : "")));
    }
    List<List<Cell>> guestRows = new ArrayList<>();
    for (JsonNode g : guests.path("value")) {
      guestRows.add(List.of(Cell.text(g.path("name").asText()), Cell.text(g.path("properties").path("tenantId").asText())));
    }
    List<List<Cell>> subRows = new ArrayList<>();
    JsonNode subs = v.json(subscriptions);
    for (JsonNode s : subs.path("value")) {
      String id = s.path("subscriptionId").asText(s.path("name").asText());
      subRows.add(List.of(Cell.link(s.path("displayName").asText(id), "/admin/usage?subscription=" + id), Cell.text(id),
          Cell.text(s.path("owner").asText("")), Cell.text(s.path("tenantId").asText("")), Cell.text(s.path("state").asText(""))));
    }
    Page.Builder page = v.page("Tenants and subscriptions", "/admin/tenants")
        .section("Directory tenants", new Block.Table("The first 100 tenants of the directory",
            List.of("Domain", "Tenant id", "Name", "Kind"), tenantRows, "No tenants."))
        .section("Guest directories on the deployment", new Block.Table(null, List.of("Directory", "Tenant id"), guestRows,
            "No guest directories are onboarded."))
        .section("User subscriptions", new Block.Table(subs.hasNonNull("nextLink") ? "The first 100 user subscriptions" : null,
            List.of("Name (its usage)", "Subscription id", "Owner", "Tenant", "State"), subRows, "No user subscriptions."));
    return Html.page(200, page.build());
  }

  static String json(JsonNode node) {
    return Json.text(node);
  }

  static Optional<String> text(JsonNode node, String field) {
    return Optional.ofNullable(node.path(field).asText(null));
  }
}
