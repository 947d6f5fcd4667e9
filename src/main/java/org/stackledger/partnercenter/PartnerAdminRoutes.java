package org.stackledger.partnercenter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Function;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.Paging;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.Subscription;
import org.stackledger.directory.Directory;
import org.stackledger.directory.DirectoryTenant;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.identity.Caller;

/**
 * The operator's Partner Center verbs at the cloud ARM endpoint's root scope,
 * {@code /providers/Stackledger.PartnerCenter} (api-version 2026-11-01): partners, subscriptions under
 * any offer made directly in a tenant, their suspension, reactivation and deletion, and the extra
 * directory tenants of a customer. Like {@code Stackledger.Identity}, every route checks the
 * api-version, then (through {@link PartnerAdmin}, as the request's caller) a root-scope role allowing
 * the action, before it reads the request.
 */
public final class PartnerAdminRoutes {
  static final String NAMESPACE = "Stackledger.PartnerCenter";
  static final String BASE = "/providers/" + NAMESPACE;
  static final String API_VERSION = "2026-11-01";
  private static final ApiVersions PARTNERS = ApiVersions.of(NAMESPACE + "/partners", API_VERSION);
  private static final ApiVersions SUBSCRIPTIONS = ApiVersions.of(NAMESPACE + "/subscriptions", API_VERSION);
  private static final ApiVersions TENANTS = ApiVersions.of(NAMESPACE + "/customers/tenants", API_VERSION);

  private final Arm arm;
  private final PartnerAdmin admin;
  private final Directory directory;

  private PartnerAdminRoutes(Arm arm, PartnerAdmin admin, Directory directory) {
    this.arm = arm;
    this.admin = admin;
    this.directory = directory;
  }

  /** Registers the routes, which use Partner Center through {@code admin} as the request's caller. */
  public static void register(Router router, Arm arm, PartnerAdmin admin, Directory directory) {
    PartnerAdminRoutes r = new PartnerAdminRoutes(arm, admin, directory);
    router.get(BASE + "/partners", r::listPartners);
    router.get(BASE + "/partners/{partnerId}", r::getPartner);
    router.put(BASE + "/partners/{partnerId}", r::putPartner);
    router.get(BASE + "/subscriptions", r::listSubscriptions);
    router.get(BASE + "/subscriptions/{subscriptionId}", r::getSubscription);
    router.put(BASE + "/subscriptions/{subscriptionId}", r::putSubscription);
    router.delete(BASE + "/subscriptions/{subscriptionId}", r::deleteSubscription);
    router.post(BASE + "/subscriptions/{subscriptionId}/suspend", ex -> r.changeState(ex, Subscription.State.Disabled, "suspend"));
    router.post(BASE + "/subscriptions/{subscriptionId}/reactivate", ex -> r.changeState(ex, Subscription.State.Enabled, "reactivate"));
    router.get(BASE + "/customers/{customerId}/tenants", r::listTenants);
    router.put(BASE + "/customers/{customerId}/tenants/{tenantName}", r::putTenant);
  }

  private <T> Reply page(Exchange ex, PartnerAdmin.Listing<T> listing, Function<T, String> key,
      Function<T, ObjectNode> render) {
    Paging.Cursor cursor = arm.paging().cursor(ex);
    return Reply.json(200, arm.paging().page(ex, cursor, listing.page(cursor.afterKey().orElse(""),
        cursor.limit() + 1), key, render));
  }

  // ---- partners

  private ObjectNode partner(Partner p) {
    ObjectNode out = Json.object();
    out.put("id", BASE + "/partners/" + p.partnerId());
    out.put("name", p.partnerId());
    out.put("type", NAMESPACE + "/partners");
    ObjectNode props = out.putObject("properties");
    props.put("partnerId", p.partnerId());
    props.put("displayName", p.name());
    props.put("kind", p.kind().name());
    if (p.indirectProviderId() == null) {
      props.putNull("indirectProviderId");
    } else {
      props.put("indirectProviderId", p.indirectProviderId());
    }
    props.put("billingPartnerId", p.billingPartnerId());
    props.put("tenantId", p.tenantId());
    props.put("domain", directory.tenant(p.tenantId()).map(DirectoryTenant::domain).orElse(""));
    props.put("createdOn", p.createdAt().toString());
    return out;
  }

  private static Caller caller(Exchange ex, ApiVersions versions) {
    versions.require(ex);
    return AccessControl.caller(ex);
  }

  private Reply listPartners(Exchange ex) {
    return page(ex, admin.partners(caller(ex, PARTNERS)), Partner::partnerId, this::partner);
  }

  private Reply getPartner(Exchange ex) {
    return Reply.json(200, partner(admin.partner(caller(ex, PARTNERS), ex.pathParam("partnerId"))));
  }

  /**
   * 201 makes a partner with its directory tenant and an admin service principal, whose secret the
   * answer carries once; 200 on an existing partner changes only its display name (kind, domain and
   * indirect provider are fixed: another value is a 409).
   */
  private Reply putPartner(Exchange ex) throws Exception {
    PartnerAdmin.PartnerWrite write = admin.writingPartners(caller(ex, PARTNERS));
    String id = PartnerAdmin.guid(ex.pathParam("partnerId"), "InvalidPartnerId", "partnerId");
    PartnerAdmin.PartnerPut done = write.put(id, arm.body().required(ex));
    ObjectNode out = partner(done.partner());
    if (!done.created()) {
      return Reply.json(200, out);
    }
    ObjectNode p = (ObjectNode) out.get("properties");
    p.put("adminClientId", done.made().adminClientId());
    p.put("adminClientSecret", done.made().adminClientSecret());
    return Reply.json(201, out).header("Cache-Control", "no-store").header("Pragma", "no-cache");
  }

  // ---- subscriptions

  private ObjectNode subscription(PcSubscription s) {
    ObjectNode out = Json.object();
    out.put("id", BASE + "/subscriptions/" + s.subscriptionId());
    out.put("name", s.subscriptionId());
    out.put("type", NAMESPACE + "/subscriptions");
    ObjectNode p = out.putObject("properties");
    p.put("subscriptionId", s.subscriptionId());
    p.put("displayName", s.friendlyName());
    p.put("tenantId", s.tenantId());
    nullable(p, "offerId", s.offerId());
    nullable(p, "offerName", s.offerId() == null ? null : Offers.name(s.offerId()));
    nullable(p, "partnerId", s.partnerId());
    nullable(p, "billingPartnerId", s.billingPartnerId());
    nullable(p, "customerId", s.customerId());
    nullable(p, "orderId", s.orderId());
    p.put("state", s.state().name());
    p.put("status", s.status());
    p.put("createdOn", s.createdAt().toString());
    return out;
  }

  private static void nullable(ObjectNode node, String field, String value) {
    if (value == null) {
      node.putNull(field);
    } else {
      node.put(field, value);
    }
  }

  private Reply listSubscriptions(Exchange ex) {
    return page(ex, admin.subscriptions(caller(ex, SUBSCRIPTIONS)), PcSubscription::subscriptionId,
        this::subscription);
  }

  private Reply getSubscription(Exchange ex) {
    return Reply.json(200, subscription(admin.subscription(caller(ex, SUBSCRIPTIONS), ex.pathParam("subscriptionId"))));
  }

  /**
   * Makes a subscription directly: any offer but CSP (which customers buy through an order), in an
   * existing directory tenant, rolled up to a partner, optionally for one of that partner's customers
   * (the tenant must then be one of the customer's) and with an owner principal. 200 on the same
   * subscription again (renaming it); another offer, tenant, partner or customer is a 409.
   */
  private Reply putSubscription(Exchange ex) throws Exception {
    PartnerAdmin.SubscriptionWrite write = admin.writingSubscriptions(caller(ex, SUBSCRIPTIONS));
    String id = ResourceId.checkSubscription(ex.pathParam("subscriptionId"));
    PartnerAdmin.SubscriptionPut done = write.put(id, arm.body().required(ex));
    return Reply.json(done.created() ? 201 : 200, subscription(done.subscription()));
  }

  /** Deletes (state Deleted, which is final): 200, or 204 when it is unknown or already deleted. */
  private Reply deleteSubscription(Exchange ex) {
    return admin.delete(caller(ex, SUBSCRIPTIONS), ex.pathParam("subscriptionId"))
        .map(s -> Reply.json(200, subscription(s))).orElseGet(() -> Reply.empty(204));
  }

  private Reply changeState(Exchange ex, Subscription.State to, String verb) {
    return Reply.json(200, subscription(admin.changeState(caller(ex, SUBSCRIPTIONS), ex.pathParam("subscriptionId"),
        to, verb)));
  }

  // ---- customer tenants

  private ObjectNode customerTenant(Customer c, DirectoryTenant t) {
    ObjectNode out = Json.object();
    out.put("id", BASE + "/customers/" + c.customerId() + "/tenants/" + t.tenantId());
    out.put("name", t.tenantId());
    out.put("type", NAMESPACE + "/customers/tenants");
    ObjectNode p = out.putObject("properties");
    p.put("tenantId", t.tenantId());
    p.put("domain", t.domain());
    p.put("customerId", c.customerId());
    p.put("partnerId", c.partnerId());
    p.put("isPrimary", t.tenantId().equals(c.customerId()));
    return out;
  }

  private Reply listTenants(Exchange ex) {
    PartnerAdmin.TenantListing listing = admin.tenantListing(caller(ex, TENANTS), ex.pathParam("customerId"));
    Paging.Cursor cursor = arm.paging().cursor(ex);
    return Reply.json(200, arm.paging().page(ex, cursor, listing.page(cursor.afterKey().orElse(""),
        cursor.limit() + 1), DirectoryTenant::tenantId, t -> customerTenant(listing.customer(), t)));
  }

  /**
   * Adds a directory tenant to a customer: an existing one (by id or domain) that belongs to no other
   * customer and is no partner's, or a new one made with the given domain. 201 when added, 200 when
   * it already was the customer's.
   */
  private Reply putTenant(Exchange ex) {
    PartnerAdmin.TenantAdded done = admin.addTenant(caller(ex, TENANTS), ex.pathParam("customerId"),
        ex.pathParam("tenantName"));
    return Reply.json(done.added().created() ? 201 : 200, customerTenant(done.customer(), done.added().tenant()));
  }
}
