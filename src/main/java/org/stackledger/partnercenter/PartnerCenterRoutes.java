package org.stackledger.partnercenter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.ArmBody;
import org.stackledger.arm.Subscription;
import org.stackledger.csp.OfferIds;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;

/**
 * The Partner Center REST API on the partnerCenter endpoint, in Partner Center's shapes. Every
 * {@code /v1} route parses the request and asks {@link PartnerAccount} as the request's caller,
 * which acts for the caller's partner, found by the token's tenant (the partner's own directory
 * tenant): a caller whose tenant is no partner gets 403, and another partner's customer answers 404
 * exactly like one that does not exist. {@code /internal/v1/subscriptions/{id}} is the
 * platform's look-up for the registration provider.
 */
public final class PartnerCenterRoutes {
  /** Who may use the internal look-up: throws (403) for anyone else. */
  @FunctionalInterface
  public interface PlatformCheck {
    void require(Exchange exchange);
  }

  private static final int MAX_LINES = 20;
  private final PartnerCenter pc;
  private final PartnerAccount account;
  private final ArmBody body;
  private final PlatformCheck platform;

  private PartnerCenterRoutes(PartnerCenter pc, ArmBody body, PlatformCheck platform) {
    this.pc = pc;
    this.account = pc.account();
    this.body = body;
    this.platform = platform;
  }

  public static void register(Router router, PartnerCenter pc, ArmBody body, PlatformCheck platform) {
    PartnerCenterRoutes r = new PartnerCenterRoutes(pc, body, platform);
    router.post("/v1/customers", r::createCustomer);
    router.get("/v1/customers", r::listCustomers);
    router.get("/v1/customers/{customerId}", r::getCustomer);
    router.post("/v1/customers/{customerId}/orders", r::createOrder);
    router.get("/v1/customers/{customerId}/orders", r::listOrders);
    router.get("/v1/customers/{customerId}/orders/{orderId}", r::getOrder);
    router.get("/v1/customers/{customerId}/subscriptions", r::listSubscriptions);
    router.get("/v1/customers/{customerId}/subscriptions/{subscriptionId}", r::getSubscription);
    router.patch("/v1/customers/{customerId}/subscriptions/{subscriptionId}", r::patchSubscription);
    router.get("/internal/v1/subscriptions/{subscriptionId}", r::lookup);
  }

  private static Caller caller(Exchange ex) {
    return AccessControl.caller(ex);
  }

  private Reply createCustomer(Exchange ex) throws Exception {
    Caller caller = caller(ex);
    account.partner(caller);
    ObjectNode in = body.required(ex);
    JsonNode company = in.path("companyProfile");
    JsonNode billing = in.path("billingProfile");
    String domain = text(company, "domain", "companyProfile.domain", 253, true);
    String name = text(billing, "companyName", "billingProfile.companyName", 256, false);
    if (name == null) {
      name = text(company, "companyName", "companyProfile.companyName", 256, false);
    }
    if (name == null) {
      throw Problem.invalid("InvalidInput", "billingProfile.companyName",
          "billingProfile.companyName (or companyProfile.companyName) is required.");
    }
    if (!domain.contains(".")) {
      // A bare prefix, as Partner Center's portal takes it: the directory's default suffix is added.
      domain = domain + ".onmicrosoft.local";
    }
    Customer c;
    try {
      c = account.createCustomer(caller, name, domain);
    } catch (Problem e) {
      throw e.renaming("domain", "companyProfile.domain");
    }
    return Reply.json(201, PartnerCenterJson.customer(c, account.customerTenants(caller, c.customerId())));
  }

  private Reply listCustomers(Exchange ex) {
    Caller caller = caller(ex);
    return Reply.json(200, PartnerCenterJson.collection(account.customers(caller),
        c -> PartnerCenterJson.customer(c, account.customerTenants(caller, c.customerId()))));
  }

  private Reply getCustomer(Exchange ex) {
    Caller caller = caller(ex);
    Customer c = account.customer(caller, ex.pathParam("customerId"));
    return Reply.json(200, PartnerCenterJson.customer(c, account.customerTenants(caller, c.customerId())));
  }

  private Reply createOrder(Exchange ex) throws Exception {
    Caller caller = caller(ex);
    Customer customer = account.customer(caller, ex.pathParam("customerId"));
    ObjectNode in = body.required(ex);
    JsonNode ref = in.get("referenceCustomerId");
    if (ref != null && !ref.isNull() && !(ref.isTextual() && ref.asText().equalsIgnoreCase(customer.customerId()))) {
      throw Problem.invalid("InvalidInput", "referenceCustomerId",
          "referenceCustomerId must be the id of the customer in the path.");
    }
    JsonNode items = in.get("lineItems");
    if (!(items instanceof ArrayNode array) || array.isEmpty() || array.size() > MAX_LINES) {
      throw Problem.invalid("InvalidInput", "lineItems",
          "lineItems must be an array of 1 to " + MAX_LINES + " line items.");
    }
    List<PartnerCenter.Line> lines = new ArrayList<>();
    Set<Integer> numbers = new HashSet<>();
    for (int i = 0; i < array.size(); i++) {
      lines.add(line(array.get(i), i, numbers));
    }
    PartnerCenter.Placed placed = account.order(caller, customer.customerId(), lines,
        p -> Json.text(PartnerCenterJson.order(customer.customerId(), p)));
    return Reply.json(201, PartnerCenterJson.order(customer.customerId(), placed));
  }

  private static PartnerCenter.Line line(JsonNode item, int i, Set<Integer> numbers) {
    String at = "lineItems[" + i + "]";
    if (!item.isObject()) {
      throw Problem.invalid("InvalidInput", at, at + " must be an object.");
    }
    int number = i;
    JsonNode n = item.get("lineItemNumber");
    if (n != null && !n.isNull()) {
      if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 0) {
        throw Problem.invalid("InvalidInput", at + ".lineItemNumber", at + ".lineItemNumber must be a whole number of 0 or more.");
      }
      number = n.asInt();
    }
    if (!numbers.add(number)) {
      throw Problem.invalid("InvalidInput", at + ".lineItemNumber", at + ".lineItemNumber " + number + " is used twice.");
    }
    String offer = text(item, "offerId", at + ".offerId", 64, true);
    if (!OfferIds.CSP.equalsIgnoreCase(offer)) {
      throw Problem.invalid("InvalidOffer", at + ".offerId", "The offer '" + offer + "' of " + at
          + ".offerId cannot be ordered here: only " + OfferIds.CSP + " (Microsoft Azure); the operator creates "
          + "subscriptions under other offers.");
    }
    JsonNode q = item.get("quantity");
    if (q != null && !q.isNull() && !(q.isIntegralNumber() && q.asLong() == 1)) {
      throw Problem.invalid("InvalidInput", at + ".quantity", at + ".quantity must be 1 for " + OfferIds.CSP + ".");
    }
    String name = text(item, "friendlyName", at + ".friendlyName", 256, false);
    String tenant = text(item, "tenantId", at + ".tenantId", 253, false);
    return new PartnerCenter.Line(number, OfferIds.CSP, name == null ? Offers.name(OfferIds.CSP) : name,
        tenant == null ? null : tenant.toLowerCase(Locale.ROOT));
  }

  private Reply listOrders(Exchange ex) throws Exception {
    List<ObjectNode> orders = new ArrayList<>();
    for (String o : account.orders(caller(ex), ex.pathParam("customerId"))) {
      orders.add((ObjectNode) Json.MAPPER.readTree(o));
    }
    return Reply.json(200, PartnerCenterJson.collection(orders, o -> o));
  }

  private Reply getOrder(Exchange ex) throws Exception {
    String order = account.order(caller(ex), ex.pathParam("customerId"), ex.pathParam("orderId"));
    return Reply.json(200, Json.MAPPER.readTree(order));
  }

  private Reply listSubscriptions(Exchange ex) {
    return Reply.json(200, PartnerCenterJson.collection(account.subscriptions(caller(ex), ex.pathParam("customerId")),
        PartnerCenterJson::subscription));
  }

  private Reply getSubscription(Exchange ex) {
    return Reply.json(200, PartnerCenterJson.subscription(account.subscription(caller(ex), ex.pathParam("customerId"),
        ex.pathParam("subscriptionId"))));
  }

  /**
   * Partner Center's update: {@code status} suspended or active suspends or reactivates, and
   * {@code friendlyName} renames. Deletion is the operator's, not the partner's.
   */
  private Reply patchSubscription(Exchange ex) throws Exception {
    Caller caller = caller(ex);
    String customerId = ex.pathParam("customerId");
    String subscriptionId = ex.pathParam("subscriptionId");
    account.subscription(caller, customerId, subscriptionId);
    ObjectNode in = body.required(ex);
    String status = text(in, "status", "status", 32, false);
    String name = text(in, "friendlyName", "friendlyName", 256, false);
    Subscription.State to = null;
    if (status != null) {
      to = PcSubscription.stateOf(status);
      if (to == null || to == Subscription.State.Deleted) {
        throw Problem.invalid("InvalidInput", "status", "status must be 'active' or 'suspended'.");
      }
    }
    return Reply.json(200, PartnerCenterJson.subscription(account.update(caller, customerId, subscriptionId, to, name)));
  }

  private Reply lookup(Exchange ex) {
    platform.require(ex);
    PcSubscription s = pc.subscription(ex.pathParam("subscriptionId")).orElseThrow(() -> Problem.notFound(
        "SubscriptionNotFound", "Partner Center knows no subscription with this id."));
    return Reply.json(200, PartnerCenterJson.lookup(s));
  }

  /** A string field of at most {@code max} characters; {@code null} when absent and optional. */
  static String text(JsonNode parent, String field, String name, int max, boolean required) {
    JsonNode node = parent == null ? null : parent.get(field);
    if (node == null || node.isNull() || node.isMissingNode()) {
      if (required) {
        throw Problem.invalid("InvalidInput", name, name + " is required.");
      }
      return null;
    }
    if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > max) {
      throw Problem.invalid("InvalidInput", name, name + " must be a non-empty string of at most " + max
          + " characters.");
    }
    return node.asText().trim();
  }
}
