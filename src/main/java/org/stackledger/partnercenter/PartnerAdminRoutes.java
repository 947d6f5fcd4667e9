package org.stackledger.partnercenter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.Paging;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.Subscription;
import org.stackledger.arm.TrackedResource;
import org.stackledger.csp.OfferIds;
import org.stackledger.directory.Directory;
import org.stackledger.directory.DirectoryTenant;
import org.stackledger.directory.Principal;
import org.stackledger.http.Exchange;
import org.stackledger.http.Guids;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * The operator's Partner Center verbs at the cloud ARM endpoint's root scope,
 * {@code /providers/Stackledger.PartnerCenter} (api-version 2026-11-01): partners, subscriptions under
 * any offer made directly in a tenant, their suspension, reactivation and deletion, and the extra
 * directory tenants of a customer. Like {@code Stackledger.Identity}, every route checks the
 * api-version, then a root-scope role allowing the action, before it reads the request.
 */
public final class PartnerAdminRoutes {
  static final String NAMESPACE = "Stackledger.PartnerCenter";
  static final String BASE = "/providers/" + NAMESPACE;
  static final String API_VERSION = "2026-11-01";
  private static final ApiVersions PARTNERS = ApiVersions.of(NAMESPACE + "/partners", API_VERSION);
  private static final ApiVersions SUBSCRIPTIONS = ApiVersions.of(NAMESPACE + "/subscriptions", API_VERSION);
  private static final ApiVersions TENANTS = ApiVersions.of(NAMESPACE + "/customers/tenants", API_VERSION);

  private final Arm arm;
  private final PartnerCenter pc;
  private final Directory directory;

  private PartnerAdminRoutes(Arm arm, PartnerCenter pc, Directory directory) {
    this.arm = arm;
    this.pc = pc;
    this.directory = directory;
  }

  public static void register(Router router, Arm arm, PartnerCenter pc, Directory directory) {
    PartnerAdminRoutes r = new PartnerAdminRoutes(arm, pc, directory);
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

  private static String guid(String value, String code, String target) {
    String v = value == null ? "" : value.toLowerCase(Locale.ROOT);
    if (!Guids.isGuid(v)) {
      throw Problem.invalid(code, target, "The value '" + value + "' of " + target + " is not a GUID.");
    }
    return v;
  }

  private static String required(ObjectNode properties, String field, int max) {
    String value = TrackedResource.text(properties, field, max);
    if (value == null) {
      throw Problem.invalid("MissingRequiredProperty", "properties." + field, "properties." + field + " is required.");
    }
    return value;
  }

  private <T> Reply page(Exchange ex, Function<Paging.Cursor, List<T>> fetch, Function<T, String> key,
      Function<T, ObjectNode> render) {
    Paging.Cursor cursor = arm.paging().cursor(ex);
    return Reply.json(200, arm.paging().page(ex, cursor, fetch.apply(cursor), key, render));
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

  private Partner requirePartner(String partnerId, String target) {
    Optional<Partner> p = Guids.isGuid(partnerId) ? pc.partner(partnerId) : Optional.empty();
    return p.orElseThrow(() -> target == null
        ? Problem.notFound("PartnerNotFound", "No partner has id '" + partnerId + "'.")
        : Problem.invalid("PartnerNotFound", target, "No partner has id '" + partnerId + "' (" + target + ")."));
  }

  private Reply listPartners(Exchange ex) {
    PARTNERS.require(ex);
    arm.authorizeRoot(ex, NAMESPACE + "/partners/read");
    return page(ex, c -> pc.partners(c.afterKey().orElse(""), c.limit() + 1), Partner::partnerId, this::partner);
  }

  private Reply getPartner(Exchange ex) {
    PARTNERS.require(ex);
    arm.authorizeRoot(ex, NAMESPACE + "/partners/read");
    return Reply.json(200, partner(requirePartner(ex.pathParam("partnerId"), null)));
  }

  /**
   * 201 makes a partner with its directory tenant and an admin service principal, whose secret the
   * answer carries once; 200 on an existing partner changes only its display name (kind, domain and
   * indirect provider are fixed: another value is a 409).
   */
  private Reply putPartner(Exchange ex) throws Exception {
    PARTNERS.require(ex);
    arm.authorizeRoot(ex, NAMESPACE + "/partners/write");
    String id = guid(ex.pathParam("partnerId"), "InvalidPartnerId", "partnerId");
    ObjectNode props = TrackedResource.properties(arm.body().required(ex), true);
    String name = TrackedResource.text(props, "displayName", 256);
    String kindText = TrackedResource.text(props, "kind", 32);
    PartnerKind kind = null;
    if (kindText != null) {
      kind = java.util.Arrays.stream(PartnerKind.values()).filter(k -> k.name().equalsIgnoreCase(kindText)).findFirst()
          .orElseThrow(() -> Problem.invalid("InvalidPartnerKind", "properties.kind", "properties.kind '" + kindText
              + "' is not one of Direct, IndirectProvider, IndirectReseller."));
    }
    String provider = TrackedResource.text(props, "indirectProviderId", 36);
    if (provider != null) {
      provider = guid(provider, "InvalidIndirectProvider", "properties.indirectProviderId");
    }
    String domain = TrackedResource.text(props, "domain", 253);
    Optional<Partner> existing = pc.partner(id);
    if (existing.isPresent()) {
      Partner p = existing.get();
      String hasDomain = directory.tenant(p.tenantId()).map(DirectoryTenant::domain).orElse("");
      if ((kind != null && kind != p.kind()) || (provider != null && !provider.equals(p.indirectProviderId()))
          || (domain != null && !domain.equalsIgnoreCase(hasDomain))) {
        throw Problem.conflict("PartnerCannotChange", "A partner's kind, domain and indirect provider are fixed "
            + "when it is made; only properties.displayName can change.");
      }
      if (name != null && !name.equals(p.name())) {
        pc.renamePartner(p.partnerId(), name);
      }
      return Reply.json(200, partner(pc.partner(id).orElseThrow()));
    }
    if (name == null) {
      throw Problem.invalid("MissingRequiredProperty", "properties.displayName", "properties.displayName is required.");
    }
    if (kind == null) {
      throw Problem.invalid("MissingRequiredProperty", "properties.kind",
          "properties.kind is required: Direct, IndirectProvider or IndirectReseller.");
    }
    if (domain == null) {
      throw Problem.invalid("MissingRequiredProperty", "properties.domain",
          "properties.domain is required: the partner's own directory tenant, e.g. contoso-csp.onmicrosoft.local.");
    }
    PartnerCenter.NewPartner made = pc.createPartner(id, name, kind, provider, domain);
    ObjectNode out = partner(made.partner());
    ObjectNode p = (ObjectNode) out.get("properties");
    p.put("adminClientId", made.adminClientId());
    p.put("adminClientSecret", made.adminClientSecret());
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

  private PcSubscription requireSubscription(Exchange ex) {
    String id = ResourceId.checkSubscription(ex.pathParam("subscriptionId"));
    return pc.anySubscription(id).orElseThrow(() -> Problem.notFound("PartnerCenterSubscriptionNotFound",
        "No subscription has id '" + id + "'."));
  }

  private Reply listSubscriptions(Exchange ex) {
    SUBSCRIPTIONS.require(ex);
    arm.authorizeRoot(ex, NAMESPACE + "/subscriptions/read");
    return page(ex, c -> pc.subscriptions(c.afterKey().orElse(""), c.limit() + 1), PcSubscription::subscriptionId,
        this::subscription);
  }

  private Reply getSubscription(Exchange ex) {
    SUBSCRIPTIONS.require(ex);
    arm.authorizeRoot(ex, NAMESPACE + "/subscriptions/read");
    return Reply.json(200, subscription(requireSubscription(ex)));
  }

  /**
   * Makes a subscription directly: any offer but CSP (which customers buy through an order), in an
   * existing directory tenant, rolled up to a partner, optionally for one of that partner's customers
   * (the tenant must then be one of the customer's) and with an owner principal. 200 on the same
   * subscription again (renaming it); another offer, tenant, partner or customer is a 409.
   */
  private Reply putSubscription(Exchange ex) throws Exception {
    SUBSCRIPTIONS.require(ex);
    arm.authorizeRoot(ex, NAMESPACE + "/subscriptions/write");
    String id = ResourceId.checkSubscription(ex.pathParam("subscriptionId"));
    ObjectNode props = TrackedResource.properties(arm.body().required(ex), true);
    String offerText = required(props, "offerId", 64);
    String offer = Offers.canonical(offerText).orElseThrow(() -> Problem.invalid("InvalidOfferId",
        "properties.offerId", "properties.offerId '" + offerText + "' is not one of " + Offers.ids() + "."));
    if (offer.equals(OfferIds.CSP)) {
      throw Problem.invalid("InvalidOfferId", "properties.offerId", "Subscriptions in the CSP offer ("
          + OfferIds.CSP + ") are bought by the partner through a Partner Center order.");
    }
    String tenantName = required(props, "tenantId", 253);
    DirectoryTenant tenant = directory.tenant(tenantName).orElseThrow(() -> Problem.invalid("TenantNotFound",
        "properties.tenantId", "No directory tenant is named '" + tenantName + "' (properties.tenantId)."));
    Partner partner = requirePartner(required(props, "partnerId", 36), "properties.partnerId");
    String customerId = TrackedResource.text(props, "customerId", 36);
    Customer customer = null;
    if (customerId != null) {
      customer = pc.customer(customerId).filter(c -> c.partnerId().equals(partner.partnerId())).orElseThrow(() ->
          Problem.invalid("CustomerNotFound", "properties.customerId", "Partner '" + partner.partnerId()
              + "' has no customer '" + customerId + "' (properties.customerId)."));
      if (!pc.customerTenants(customer.customerId()).contains(tenant.tenantId())) {
        throw Problem.invalid("InvalidTenant", "properties.tenantId", "The tenant '" + tenantName
            + "' is not one of the customer's directory tenants.");
      }
    }
    String ownerText = TrackedResource.text(props, "ownerObjectId", 36);
    Principal owner = null;
    if (ownerText != null) {
      owner = directory.principal(guid(ownerText, "InvalidPrincipalId", "properties.ownerObjectId")).orElseThrow(() ->
          Problem.invalid("PrincipalNotFound", "properties.ownerObjectId", "No principal has object id '"
              + ownerText + "' (properties.ownerObjectId)."));
    }
    String name = TrackedResource.text(props, "displayName", 256);
    Optional<PcSubscription> existing = pc.anySubscription(id);
    if (existing.isPresent()) {
      PcSubscription s = existing.get();
      String wantCustomer = customer == null ? null : customer.customerId();
      if (!offer.equals(s.offerId()) || !tenant.tenantId().equals(s.tenantId()) || !partner.partnerId().equals(s.partnerId())
          || !java.util.Objects.equals(wantCustomer, s.customerId())) {
        throw Problem.conflict("SubscriptionAlreadyExists", "The subscription '" + id + "' exists with another "
            + "offer, tenant, partner or customer; those cannot change.");
      }
      return Reply.json(200, subscription(name == null ? s : pc.rename(s, name)));
    }
    PcSubscription made = pc.createDirect(id, name == null ? Offers.name(offer) : name, offer, tenant.tenantId(), partner,
        customer, owner);
    return Reply.json(201, subscription(made));
  }

  /** Deletes (state Deleted, which is final): 200, or 204 when it is unknown or already deleted. */
  private Reply deleteSubscription(Exchange ex) {
    SUBSCRIPTIONS.require(ex);
    arm.authorizeRoot(ex, NAMESPACE + "/subscriptions/delete");
    String id = ResourceId.checkSubscription(ex.pathParam("subscriptionId"));
    Optional<PcSubscription> s = pc.anySubscription(id);
    if (s.isEmpty() || s.get().state() == Subscription.State.Deleted) {
      return Reply.empty(204);
    }
    return Reply.json(200, subscription(pc.changeState(s.get(), Subscription.State.Deleted)));
  }

  private Reply changeState(Exchange ex, Subscription.State to, String verb) {
    SUBSCRIPTIONS.require(ex);
    arm.authorizeRoot(ex, NAMESPACE + "/subscriptions/" + verb + "/action");
    return Reply.json(200, subscription(pc.changeState(requireSubscription(ex), to)));
  }

  // ---- customer tenants

  private Customer requireCustomer(Exchange ex) {
    String id = ex.pathParam("customerId");
    return (Guids.isGuid(id) ? pc.customer(id) : Optional.<Customer>empty())
        .orElseThrow(() -> Problem.notFound("CustomerNotFound", "No customer has id '" + id + "'."));
  }

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
    TENANTS.require(ex);
    arm.authorizeRoot(ex, NAMESPACE + "/customers/tenants/read");
    Customer c = requireCustomer(ex);
    return page(ex, cursor -> pc.customerTenants(c.customerId()).stream().sorted()
            .filter(t -> t.compareTo(cursor.afterKey().orElse("")) > 0).limit(cursor.limit() + 1L)
            .map(t -> directory.tenant(t).orElseThrow()).toList(),
        DirectoryTenant::tenantId, t -> customerTenant(c, t));
  }

  /**
   * Adds a directory tenant to a customer: an existing one (by id or domain) that belongs to no other
   * customer and is no partner's, or a new one made with the given domain. 201 when added, 200 when
   * it already was the customer's.
   */
  private Reply putTenant(Exchange ex) {
    TENANTS.require(ex);
    arm.authorizeRoot(ex, NAMESPACE + "/customers/tenants/write");
    Customer c = requireCustomer(ex);
    PartnerCenter.Added added = pc.addCustomerTenant(c, ex.pathParam("tenantName"));
    return Reply.json(added.created() ? 201 : 200, customerTenant(c, added.tenant()));
  }
}
