package org.stackledger.console.partner;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.stackledger.console.api.ApiClient;
import org.stackledger.console.api.ApiRefusal;
import org.stackledger.console.web.BadInput;
import org.stackledger.console.web.Block;
import org.stackledger.console.web.Block.Cell;
import org.stackledger.console.web.Block.Field;
import org.stackledger.console.web.Choices;
import org.stackledger.console.web.FormPost;
import org.stackledger.console.web.Html;
import org.stackledger.console.web.Page;
import org.stackledger.console.web.Visit;
import org.stackledger.http.Reply;

/** {@code /partner}, {@code /partner/registration}, the customer-subscription form and the reconciliation file. */
public final class PartnerPages {
  static final String REGISTRATION_API = "api-version=2017-06-01";
  /** At most this many customers get their subscriptions listed on one page (one Partner Center call each). */
  static final int CUSTOMERS_WITH_SUBSCRIPTIONS = 50;
  private static final Pattern REGISTRATION = Pattern.compile("/subscriptions/[0-9a-fA-F-]{36}/resourceGroups/[^/]{1,90}"
      + "/providers/Microsoft\\.AzureStack/registrations/[^/]{1,260}", Pattern.CASE_INSENSITIVE);

  private PartnerPages() {}

  /** {@code GET /partner}: customers with their CSP subscriptions, and the partner's registrations. */
  public static Reply customers(Visit v) {
    CompletableFuture<ApiClient.Answer> subscriptions = Registrations.start(v);
    JsonNode customers = v.get(v.apis().partnerCenter(), "/v1/customers").path("items");
    Map<String, CompletableFuture<ApiClient.Answer>> theirs = new LinkedHashMap<>();
    for (JsonNode c : customers) {
      if (theirs.size() < CUSTOMERS_WITH_SUBSCRIPTIONS) {
        theirs.put(c.path("id").asText(), v.start(v.apis().partnerCenter(), "/v1/customers/" + c.path("id").asText()
            + "/subscriptions"));
      }
    }
    List<List<Cell>> rows = new ArrayList<>();
    for (JsonNode c : customers) {
      String id = c.path("id").asText();
      String name = c.path("companyProfile").path("companyName").asText(c.path("billingProfile").path("companyName").asText(id));
      CompletableFuture<ApiClient.Answer> call = theirs.get(id);
      if (call == null) {
        rows.add(List.of(Cell.text(name), Cell.text(c.path("companyProfile").path("domain").asText()), Cell.text(""),
            Cell.text("(not listed: more than " + CUSTOMERS_WITH_SUBSCRIPTIONS + " customers)"), Cell.text("")));
        continue;
      }
      JsonNode subs = v.json(call).path("items");
      if (subs.isEmpty()) {
        rows.add(List.of(Cell.text(name), Cell.text(c.path("companyProfile").path("domain").asText()), Cell.text(""),
            Cell.text("no subscriptions"), Cell.text("")));
      }
      for (JsonNode s : subs) {
        rows.add(List.of(Cell.text(name), Cell.text(c.path("companyProfile").path("domain").asText()),
            Cell.text(s.path("id").asText()), Cell.text(s.path("friendlyName").asText("") + " (" + s.path("offerId").asText()
                + ")"), Cell.text(s.path("status").asText())));
      }
    }
    List<List<Cell>> registrations = new ArrayList<>();
    for (Registrations.Found f : Registrations.of(v, subscriptions)) {
      JsonNode r = f.registration();
      String id = r.path("id").asText();
      registrations.add(List.of(Cell.link(r.path("name").asText(), "/partner/registration?id=" + Choices.encode(id)),
          Cell.text(f.subscriptionId()), Cell.text(r.path("properties").path("cloudId").asText()),
          Cell.text(r.path("properties").path("billingModel").asText()),
          Cell.text(r.path("properties").path("multiTenancyApproved").asBoolean() ? "approved" : "not approved")));
    }
    return Html.page(200, v.page("Customers", "/partner")
        .section("Registrations", new Block.Table("Open one for its customer subscriptions and mapping timeline",
            List.of("Registration", "Subscription", "CloudId", "Billing model", "Multi-tenancy"), registrations,
            "You have no registrations."))
        .section("Customers and their CSP subscriptions", new Block.Table(null,
            List.of("Customer", "Domain", "Subscription id", "Subscription", "Status"), rows, "You have no customers yet."))
        .build());
  }

  /** {@code GET /partner/registration?id=…}: the registration's customer subscriptions and mapping timeline. */
  public static Reply registration(Visit v) {
    String id = registrationId(v.query("id"));
    Optional<Block.Notice> done = v.query("done").map(d -> switch (d) {
      case "added" -> Block.Notice.ok("Added", "The customer subscription " + v.query("subscription").orElse("")
          + " is on the registration; its tenant's usage is billed to it from the next hour on.");
      case "removed" -> Block.Notice.ok("Removed", "The customer subscription " + v.query("subscription").orElse("")
          + " is no longer on the registration; its tenant's usage goes to the registration subscription again.");
      default -> Block.Notice.info("Done", d);
    });
    return registrationPage(v, id, 200, done);
  }

  /**
   * {@code POST /partner/customer-subscriptions} ({@code action} add or remove): the PUT or DELETE of
   * {@code …/customerSubscriptions/{id}} as the partner; a refusal is shown on the registration's page
   * with its code, the words for it and the API's message.
   */
  public static Reply changeCustomerSubscription(Visit v) throws Exception {
    FormPost form = FormPost.read(v.exchange(), v.session());
    String id = registrationId(form.field("registration"));
    String action = Choices.oneOf(form.field("action"), "action", "add", "add", "remove");
    String subscription = form.field("subscription").orElseThrow(() -> new BadInput("subscription",
        "'subscription' is required: the customer's CSP subscription id."));
    String path = id + "/customerSubscriptions/" + Choices.encode(subscription) + "?" + REGISTRATION_API;
    try {
      if (action.equals("add")) {
        v.send(v.apis().cloud(), "PUT", path, "{\"properties\":{}}", null);
      } else {
        v.send(v.apis().cloud(), "DELETE", path, null, null);
      }
    } catch (ApiRefusal refused) {
      if (refused.code().equals(ApiClient.SIGN_IN_REQUIRED)) {
        throw refused;
      }
      String words = CustomerSubscriptionRefusals.words(refused.code());
      return registrationPage(v, id, refused.status(), Optional.of(Block.Notice.error(refused.code() + " (HTTP "
          + refused.status() + ")", (words == null ? "" : words + " ") + "The API said: " + refused.getMessage())));
    }
    return Html.redirect(303, "/partner/registration?id=" + Choices.encode(id) + "&done="
        + (action.equals("add") ? "added" : "removed") + "&subscription=" + Choices.encode(subscription));
  }

  private static Reply registrationPage(Visit v, String id, int status, Optional<Block.Notice> outcome) {
    CompletableFuture<ApiClient.Answer> registration = v.start(v.apis().cloud(), id + "?" + REGISTRATION_API);
    CompletableFuture<ApiClient.Answer> mapped = v.start(v.apis().cloud(), id + "/customerSubscriptions?" + REGISTRATION_API);
    CompletableFuture<ApiClient.Answer> history = v.start(v.apis().cloud(), id + "/customerSubscriptionHistory?"
        + REGISTRATION_API);
    CompletableFuture<ApiClient.Answer> customers = v.start(v.apis().partnerCenter(), "/v1/customers");
    JsonNode r = v.json(registration);
    Map<String, String> tenantNames = new LinkedHashMap<>();
    try {
      for (JsonNode c : v.json(customers).path("items")) {
        tenantNames.put(c.path("companyProfile").path("tenantId").asText(c.path("id").asText()),
            c.path("companyProfile").path("companyName").asText(c.path("billingProfile").path("companyName").asText("")));
      }
    } catch (ApiRefusal notAPartner) {
      // Names only: tenant ids stand in.
    }
    List<List<Cell>> rows = new ArrayList<>();
    List<Block> removes = new ArrayList<>();
    for (JsonNode m : v.json(mapped).path("value")) {
      String sub = m.path("name").asText();
      String tenant = m.path("properties").path("tenantId").asText();
      rows.add(List.of(Cell.text(sub), Cell.text(tenantNames.getOrDefault(tenant, "")), Cell.text(tenant)));
      removes.add(new Block.Form("/partner/customer-subscriptions", "post", "Remove " + sub, List.of(
          Field.hidden("registration", id), Field.hidden("subscription", sub), Field.hidden("action", "remove")),
          v.session().csrfToken(), "Removing…", "remove-" + sub));
    }
    Page.Builder page = v.page("Registration " + r.path("name").asText(), "/partner");
    outcome.ifPresent(o -> page.section(null, o));
    page.section(null, new Block.Facts(List.of(new Block.Fact("CloudId", r.path("properties").path("cloudId").asText()),
        new Block.Fact("Billing model", r.path("properties").path("billingModel").asText()),
        new Block.Fact("Multi-tenancy", r.path("properties").path("multiTenancyApproved").asBoolean() ? "approved" : "not approved"),
        new Block.Fact("Resource id", id))));
    page.section("Mapping timeline", MappingTimeline.of(v.json(history).path("value"), tenantNames, v.clock().instant()));
    List<Block> current = new ArrayList<>();
    current.add(new Block.Table(null, List.of("Customer subscription", "Customer", "Tenant"), rows,
        "No customer subscription is on this registration: every tenant's usage is billed to the registration subscription."));
    current.addAll(removes);
    page.section("Customer subscriptions", current);
    page.section("Add a customer subscription", Block.Form.post("/partner/customer-subscriptions", "Add", v.session().csrfToken(),
        List.of(Field.hidden("registration", id), Field.hidden("action", "add"),
            Field.text("subscription", "Customer's CSP subscription id", "", "The subscription id Partner Center shows for "
                + "the customer (offer MS-AZR-0145P).").mandatory())).busy("Adding…"));
    return Html.page(status, page.build());
  }

  /** {@code GET /partner/reconciliation?month=}: with a month, the file; without, the form to choose one. */
  public static Reply reconciliation(Visit v) {
    Optional<String> asked = v.query("month").filter(m -> !m.isBlank());
    if (asked.isPresent()) {
      YearMonth month = Choices.month(asked, "month", null);
      ApiClient.Answer csv = v.send(v.apis().cloud(), "GET", "/providers/Stackledger.Billing/reconciliation?"
          + "api-version=2026-11-01&month=" + month, null, null);
      return Html.download(csv.body(), "text/csv; charset=utf-8", "reconciliation-" + month + ".csv");
    }
    YearMonth last = YearMonth.from(v.today()).minusMonths(1);
    return Html.page(200, v.page("Reconciliation file", "/partner/invoices").section(null,
        new Block.Text("One row per invoice line and resource, for every invoice of the month you may read."),
        Block.Form.get("/partner/reconciliation", "Download", List.of(Field.of("month", "month", "Month", last.toString())))
            .busy("Preparing the file…")).build());
  }

  private static String registrationId(Optional<String> asked) {
    String id = asked.orElseThrow(() -> new BadInput("id", "'id' is required: the registration's resource id."));
    if (!REGISTRATION.matcher(id).matches()) {
      throw new BadInput("id", "'id' must be a registration's resource id, /subscriptions/{id}/resourceGroups/{group}"
          + "/providers/Microsoft.AzureStack/registrations/{name}.");
    }
    return id;
  }

  static Instant instant(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : Instant.parse(node.asText());
  }
}
