package org.stackledger.partnercenter;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Function;
import org.stackledger.http.Json;

/** Partner Center's JSON shapes for customers, subscriptions, orders and collections. */
final class PartnerCenterJson {
  private PartnerCenterJson() {}

  static ObjectNode attributes(ObjectNode node, String objectType) {
    node.putObject("attributes").put("objectType", objectType);
    return node;
  }

  static ObjectNode link(String uri, String method) {
    ObjectNode l = Json.object();
    l.put("uri", uri);
    l.put("method", method);
    l.putArray("headers");
    return l;
  }

  static <T> ObjectNode collection(List<T> items, Function<T, ObjectNode> render) {
    ObjectNode out = Json.object();
    out.put("totalCount", items.size());
    ArrayNode array = out.putArray("items");
    items.forEach(i -> array.add(render.apply(i)));
    return attributes(out, "Collection");
  }

  static ObjectNode customer(Customer c, List<String> tenants) {
    ObjectNode out = Json.object();
    out.put("id", c.customerId());
    out.put("commerceId", c.customerId());
    ObjectNode company = out.putObject("companyProfile");
    company.put("tenantId", c.customerId());
    company.put("domain", c.domain());
    company.put("companyName", c.companyName());
    attributes(company, "CustomerCompanyProfile");
    ObjectNode billing = out.putObject("billingProfile");
    billing.put("companyName", c.companyName());
    attributes(billing, "CustomerBillingProfile");
    // Ours: every directory tenant of the customer, its first one included.
    ArrayNode t = out.putArray("tenantIds");
    tenants.forEach(t::add);
    out.put("relationshipToPartner", "reseller");
    out.put("allowDelegatedAccess", true);
    out.put("partnerId", c.partnerId());
    out.put("creationDate", c.createdAt().toString());
    ObjectNode links = out.putObject("links");
    links.set("self", link("/customers/" + c.customerId(), "GET"));
    return attributes(out, "Customer");
  }

  static ObjectNode subscription(PcSubscription s) {
    ObjectNode out = Json.object();
    out.put("id", s.subscriptionId());
    out.put("entitlementId", s.subscriptionId());
    out.put("offerId", s.offerId());
    out.put("offerName", Offers.name(s.offerId()));
    out.put("friendlyName", s.friendlyName());
    out.put("quantity", 1);
    out.put("unitType", "Usage-based");
    out.put("hasPurchasableAddons", false);
    out.put("creationDate", s.createdAt().toString());
    out.put("effectiveStartDate", s.createdAt().toString());
    out.put("status", s.status());
    out.put("autoRenewEnabled", false);
    out.put("isTrial", false);
    out.put("billingType", "usage");
    out.put("billingCycle", "monthly");
    out.put("contractType", "subscription");
    out.put("partnerId", s.partnerId());
    // Ours: the partner it rolls up to, and the directory tenant it lives in.
    out.put("billingPartnerId", s.billingPartnerId());
    out.put("tenantId", s.tenantId());
    if (s.orderId() != null) {
      out.put("orderId", s.orderId());
    }
    if (s.customerId() != null) {
      ObjectNode links = out.putObject("links");
      links.set("self", link("/customers/" + s.customerId() + "/subscriptions/" + s.subscriptionId(), "GET"));
    }
    return attributes(out, "Subscription");
  }

  static ObjectNode order(String customerId, PartnerCenter.Placed placed) {
    ObjectNode out = Json.object();
    out.put("id", placed.orderId());
    out.put("referenceCustomerId", customerId);
    out.put("billingCycle", "monthly");
    ArrayNode lines = out.putArray("lineItems");
    for (int i = 0; i < placed.lines().size(); i++) {
      PartnerCenter.Line line = placed.lines().get(i);
      ObjectNode l = lines.addObject();
      l.put("lineItemNumber", line.lineItemNumber());
      l.put("offerId", line.offerId());
      l.put("subscriptionId", placed.subscriptionIds().get(i));
      l.put("friendlyName", line.friendlyName());
      l.put("quantity", 1);
      l.put("tenantId", line.tenantId());
      ObjectNode links = l.putObject("links");
      links.set("subscription", link("/customers/" + customerId + "/subscriptions/" + placed.subscriptionIds().get(i), "GET"));
    }
    out.put("creationDate", placed.createdAt().toInstant().toString());
    out.put("status", "completed");
    ObjectNode links = out.putObject("links");
    links.set("self", link("/customers/" + customerId + "/orders/" + placed.orderId(), "GET"));
    return attributes(out, "Order");
  }

  /** The internal look-up's answer: what {@link org.stackledger.csp.CspSubscriptions} needs. */
  static ObjectNode lookup(PcSubscription s) {
    ObjectNode out = Json.object();
    out.put("subscriptionId", s.subscriptionId());
    out.put("offerId", s.offerId());
    out.put("tenantId", s.tenantId());
    out.put("partnerId", s.partnerId());
    out.put("billingPartnerId", s.billingPartnerId());
    if (s.customerId() == null) {
      out.putNull("customerId");
    } else {
      out.put("customerId", s.customerId());
    }
    String status = s.status();
    out.put("status", Character.toUpperCase(status.charAt(0)) + status.substring(1));
    return attributes(out, "SubscriptionLookup");
  }
}
