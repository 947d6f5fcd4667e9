package org.stackledger.partnercenter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.Subscription;
import org.stackledger.arm.TrackedResource;
import org.stackledger.csp.OfferIds;
import org.stackledger.directory.Directory;
import org.stackledger.directory.DirectoryTenant;
import org.stackledger.directory.Principal;
import org.stackledger.http.Guids;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;

/**
 * The operator's Partner Center verbs as a signed-in caller may use them: partners, subscriptions
 * made directly in a tenant, their suspension, reactivation and deletion, and the extra directory
 * tenants of a customer. Each way in checks the {@link Caller} for a root-scope role allowing the
 * action (403 {@code AuthorizationFailed}) before it reads anything of the request; the operator API
 * and the console both call here, so there is one check.
 *
 * <p>Listing and writing are two steps (a {@link Listing} or a write grant, then the work), so a route
 * reads its paging parameters or body only once the caller has passed.
 */
public final class PartnerAdmin {
  static final String NAMESPACE = PartnerAdminRoutes.NAMESPACE;

  private final AccessControl access;
  private final PartnerCenter pc;
  private final Directory directory;

  PartnerAdmin(Arm arm, PartnerCenter pc, Directory directory) {
    this.access = AccessControl.of(arm);
    this.pc = pc;
    this.directory = directory;
  }

  /** Items a caller was allowed to list, a page at a time; only {@link PartnerAdmin} makes one. */
  public static final class Listing<T> {
    private final BiFunction<String, Integer, List<T>> reader;

    private Listing(BiFunction<String, Integer, List<T>> reader) {
      this.reader = reader;
    }

    /** Up to {@code limit} items after the key {@code afterKey}, in key order. */
    public List<T> page(String afterKey, int limit) {
      return reader.apply(afterKey, limit);
    }
  }

  /** A partner written: {@code made} holds the admin principal's credentials when it was created. */
  public record PartnerPut(Partner partner, PartnerCenter.NewPartner made) {
    public boolean created() {
      return made != null;
    }
  }

  /** A subscription written, and whether it was made. */
  public record SubscriptionPut(PcSubscription subscription, boolean created) {}

  /** A directory tenant added to (or already of) a customer. */
  public record TenantAdded(Customer customer, PartnerCenter.Added added) {}

  static String guid(String value, String code, String target) {
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

  // ---- partners

  public Listing<Partner> partners(Caller caller) {
    access.requireRoot(caller, NAMESPACE + "/partners/read");
    return new Listing<>((after, limit) -> pc.partners(after, limit));
  }

  /** One partner; 404 {@code PartnerNotFound}. */
  public Partner partner(Caller caller, String partnerId) {
    access.requireRoot(caller, NAMESPACE + "/partners/read");
    return requirePartner(partnerId, null);
  }

  private Partner requirePartner(String partnerId, String target) {
    Optional<Partner> p = Guids.isGuid(partnerId) ? pc.partner(partnerId) : Optional.empty();
    return p.orElseThrow(() -> target == null
        ? Problem.notFound("PartnerNotFound", "No partner has id '" + partnerId + "'.")
        : Problem.invalid("PartnerNotFound", target, "No partner has id '" + partnerId + "' (" + target + ")."));
  }

  /** The caller's right to make and rename partners. */
  public PartnerWrite writingPartners(Caller caller) {
    access.requireRoot(caller, NAMESPACE + "/partners/write");
    return new PartnerWrite();
  }

  /** Partner writes a caller was allowed; only {@link PartnerAdmin} makes one. */
  public final class PartnerWrite {
    private PartnerWrite() {}

    /**
     * Makes a partner with its directory tenant and an admin service principal, or on an existing
     * partner changes only its display name (kind, domain and indirect provider are fixed: another
     * value is a 409).
     */
    public PartnerPut put(String partnerId, ObjectNode request) {
      String id = guid(partnerId, "InvalidPartnerId", "partnerId");
      ObjectNode props = TrackedResource.properties(request, true);
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
        return new PartnerPut(pc.partner(id).orElseThrow(), null);
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
      return new PartnerPut(made.partner(), made);
    }
  }

  // ---- subscriptions

  public Listing<PcSubscription> subscriptions(Caller caller) {
    access.requireRoot(caller, NAMESPACE + "/subscriptions/read");
    return new Listing<>((after, limit) -> pc.subscriptions(after, limit));
  }

  /** One subscription, of any offer; 404 {@code PartnerCenterSubscriptionNotFound}. */
  public PcSubscription subscription(Caller caller, String subscriptionId) {
    access.requireRoot(caller, NAMESPACE + "/subscriptions/read");
    return requireSubscription(subscriptionId);
  }

  private PcSubscription requireSubscription(String subscriptionId) {
    String id = ResourceId.checkSubscription(subscriptionId);
    return pc.anySubscription(id).orElseThrow(() -> Problem.notFound("PartnerCenterSubscriptionNotFound",
        "No subscription has id '" + id + "'."));
  }

  /** The caller's right to make subscriptions directly. */
  public SubscriptionWrite writingSubscriptions(Caller caller) {
    access.requireRoot(caller, NAMESPACE + "/subscriptions/write");
    return new SubscriptionWrite();
  }

  /** Deletes a subscription (state Deleted, final); empty when it is unknown or already deleted. */
  public Optional<PcSubscription> delete(Caller caller, String subscriptionId) {
    access.requireRoot(caller, NAMESPACE + "/subscriptions/delete");
    String id = ResourceId.checkSubscription(subscriptionId);
    Optional<PcSubscription> s = pc.anySubscription(id);
    if (s.isEmpty() || s.get().state() == Subscription.State.Deleted) {
      return Optional.empty();
    }
    return Optional.of(pc.changeState(s.get(), Subscription.State.Deleted));
  }

  /** Suspends ({@code Disabled}, verb {@code suspend}) or reactivates ({@code Enabled}, {@code reactivate}). */
  public PcSubscription changeState(Caller caller, String subscriptionId, Subscription.State to, String verb) {
    access.requireRoot(caller, NAMESPACE + "/subscriptions/" + verb + "/action");
    return pc.changeState(requireSubscription(subscriptionId), to);
  }

  /** Subscription writes a caller was allowed; only {@link PartnerAdmin} makes one. */
  public final class SubscriptionWrite {
    private SubscriptionWrite() {}

    /**
     * Makes a subscription directly: any offer but CSP, in an existing directory tenant, rolled up to a
     * partner, optionally for one of that partner's customers and with an owner principal; the same
     * subscription again renames it, another offer, tenant, partner or customer is a 409.
     */
    public SubscriptionPut put(String subscriptionId, ObjectNode request) {
      String id = ResourceId.checkSubscription(subscriptionId);
      ObjectNode props = TrackedResource.properties(request, true);
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
        return new SubscriptionPut(name == null ? s : pc.rename(s, name), false);
      }
      PcSubscription made = pc.createDirect(id, name == null ? Offers.name(offer) : name, offer, tenant.tenantId(), partner,
          customer, owner);
      return new SubscriptionPut(made, true);
    }
  }

  // ---- customer tenants

  private Customer requireCustomer(String id) {
    return (Guids.isGuid(id) ? pc.customer(id) : Optional.<Customer>empty())
        .orElseThrow(() -> Problem.notFound("CustomerNotFound", "No customer has id '" + id + "'."));
  }

  /** The caller's right to list a customer's directory tenants; 404 {@code CustomerNotFound}. */
  public TenantListing tenantListing(Caller caller, String customerId) {
    access.requireRoot(caller, NAMESPACE + "/customers/tenants/read");
    return new TenantListing(requireCustomer(customerId));
  }

  /** A customer's directory tenants, which a caller was allowed to list; only {@link PartnerAdmin} makes one. */
  public final class TenantListing {
    private final Customer customer;

    private TenantListing(Customer customer) {
      this.customer = customer;
    }

    public Customer customer() {
      return customer;
    }

    /** Up to {@code limit} of the customer's directory tenants, in id order, after {@code afterKey}. */
    public List<DirectoryTenant> page(String afterKey, int limit) {
      return pc.customerTenants(customer.customerId()).stream().sorted().filter(t -> t.compareTo(afterKey) > 0)
          .limit(limit).map(t -> directory.tenant(t).orElseThrow()).toList();
    }
  }

  /**
   * Adds a directory tenant to a customer: an existing one (by id or domain) that belongs to no other
   * customer and is no partner's, or a new one made with the given domain.
   */
  public TenantAdded addTenant(Caller caller, String customerId, String tenantName) {
    access.requireRoot(caller, NAMESPACE + "/customers/tenants/write");
    Customer c = requireCustomer(customerId);
    return new TenantAdded(c, pc.addCustomerTenant(c, tenantName));
  }
}
