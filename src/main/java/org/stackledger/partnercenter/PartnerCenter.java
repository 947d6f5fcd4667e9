package org.stackledger.partnercenter;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.access.RoleAssignments;
import org.stackledger.access.RoleDefinition;
import org.stackledger.arm.Subscription;
import org.stackledger.directory.Directory;
import org.stackledger.directory.DirectoryTenant;
import org.stackledger.directory.NewServicePrincipal;
import org.stackledger.directory.Principal;
import org.stackledger.problem.Problem;

/**
 * What Partner Center does, whoever asks: make partners with their directory tenants, customers with
 * theirs, buy Azure subscriptions for them and change their state. Its public methods are the
 * operator's verbs and the look-ups other features make after their own checks; what a partner does
 * for itself goes through {@link #account()}, which acts for a signed-in caller's partner only (the
 * partner-scoped methods here are package-private so nothing outside can skip that). The rules
 * between objects (a reseller's provider, a customer's tenants, a taken domain) are checked here
 * before anything is written, so a refused request changes nothing.
 */
public final class PartnerCenter {
  private final PartnerCenterStore store;
  private final Directory directory;
  private final RoleAssignments roles;
  private final PartnerAccount account;

  public PartnerCenter(Jdbi jdbi, java.time.Clock clock, Directory directory, RoleAssignments roles) {
    this.store = new PartnerCenterStore(jdbi, clock);
    this.directory = directory;
    this.roles = roles;
    this.account = new PartnerAccount(this);
  }

  /** A partner's own Partner Center, for a signed-in caller: the API's and the console's way in. */
  public PartnerAccount account() {
    return account;
  }

  PartnerCenterStore store() {
    return store;
  }

  /** A new partner and the credentials of its admin service principal, shown once. */
  public record NewPartner(Partner partner, String domain, String adminClientId, String adminClientSecret) {}

  /**
   * Makes a partner: its directory tenant (the domain must be new), an admin service principal there,
   * and the partner record. An indirect reseller names an indirect provider; no other kind may.
   */
  public NewPartner createPartner(String partnerId, String name, PartnerKind kind, String indirectProviderId, String domain) {
    if (kind == PartnerKind.IndirectReseller) {
      if (indirectProviderId == null) {
        throw Problem.invalid("InvalidIndirectProvider", "properties.indirectProviderId",
            "An indirect reseller needs properties.indirectProviderId: the indirect provider it sells through.");
      }
      Partner provider = store.partner(indirectProviderId).orElseThrow(() -> Problem.invalid(
          "InvalidIndirectProvider", "properties.indirectProviderId", "No partner has id '" + indirectProviderId + "'."));
      if (provider.kind() != PartnerKind.IndirectProvider) {
        throw Problem.invalid("InvalidIndirectProvider", "properties.indirectProviderId",
            "The partner '" + indirectProviderId + "' is a " + provider.kind() + ", not an IndirectProvider.");
      }
    } else if (indirectProviderId != null) {
      throw Problem.invalid("InvalidIndirectProvider", "properties.indirectProviderId",
          "Only an IndirectReseller has an indirect provider; this partner is " + kind + ".");
    }
    // Tenant, admin principal and partner row are one transaction: a refused partner row (a taken id)
    // must not leave an orphan tenant holding the domain.
    return store.jdbi().inTransaction(h -> {
      DirectoryTenant tenant;
      try {
        tenant = directory.createTenant(h, null, domain, name);
      } catch (Problem e) {
        throw e.renaming("domain", "properties.domain");
      }
      NewServicePrincipal admin = directory.createServicePrincipal(h, tenant.tenantId(), name + " admin agent", null, null);
      Partner partner = new Partner(partnerId, name, kind, indirectProviderId == null ? null
          : indirectProviderId.toLowerCase(Locale.ROOT), tenant.tenantId(), store.now().toInstant());
      store.insertPartner(h, partner);
      return new NewPartner(partner, tenant.domain(), admin.principal().appId().orElseThrow(), admin.clientSecret());
    });
  }

  public Optional<Partner> partner(String partnerId) {
    return store.partner(partnerId);
  }

  /** The partner whose own directory tenant this is. */
  public Optional<Partner> partnerOfTenant(String tenantId) {
    return store.partnerByTenant(tenantId);
  }

  public List<Partner> partners(String after, int limit) {
    return store.partners(after, limit);
  }

  public void renamePartner(String partnerId, String name) {
    store.renamePartner(partnerId, name);
  }

  /**
   * Makes a customer of the partner with a new directory tenant; the customer's id is the tenant's.
   * A domain that is taken is a conflict ({@code DomainAlreadyExists}), one that is malformed invalid
   * ({@code InvalidInput}); either names {@code domain}, this method's parameter (the HTTP adapter
   * renames it to its request field).
   */
  Customer createCustomer(Partner partner, String companyName, String domain) {
    return store.jdbi().inTransaction(h -> {
      DirectoryTenant tenant;
      try {
        tenant = directory.createTenant(h, null, domain, companyName);
      } catch (Problem e) {
        boolean taken = e.kind() == Problem.Kind.CONFLICT;
        throw Problem.of(e.kind(), taken ? "DomainAlreadyExists" : "InvalidInput", "domain",
            taken ? "The domain '" + domain + "' is already in use; choose another." : e.getMessage());
      }
      Customer customer = new Customer(tenant.tenantId(), partner.partnerId(), companyName, tenant.domain(),
          store.now().toInstant());
      store.insertCustomer(h, customer);
      return customer;
    });
  }

  /** The partner's customer, or empty when there is none with that id or it is another partner's. */
  Optional<Customer> customerOf(Partner partner, String customerId) {
    return store.customer(customerId).filter(c -> c.partnerId().equals(partner.partnerId()));
  }

  public Optional<Customer> customer(String customerId) {
    return store.customer(customerId);
  }

  List<Customer> customers(Partner partner) {
    return store.customers(partner.partnerId());
  }

  public List<String> customerTenants(String customerId) {
    return store.customerTenants(customerId);
  }

  /**
   * Adds another directory tenant to a customer (the operator's verb): an existing tenant named by id
   * or domain, or a new one made with that domain. A tenant of another customer or of a partner is
   * refused.
   *
   * @return the tenant and whether it was newly added
   */
  public Added addCustomerTenant(Customer customer, String tenantName) {
    Optional<DirectoryTenant> existing = directory.tenant(tenantName);
    if (existing.isPresent()) {
      DirectoryTenant t = existing.get();
      Optional<String> owner = store.customerOfTenant(t.tenantId());
      if (owner.isPresent()) {
        if (owner.get().equals(customer.customerId())) {
          return new Added(t, false);
        }
        throw Problem.conflict("TenantInUse", "The tenant '" + tenantName + "' belongs to another customer.");
      }
      if (store.partnerByTenant(t.tenantId()).isPresent()) {
        throw Problem.conflict("TenantInUse", "The tenant '" + tenantName + "' is a partner's own tenant.");
      }
      store.jdbi().useTransaction(h -> store.insertCustomerTenant(h, customer.customerId(), t.tenantId()));
      return new Added(t, true);
    }
    return store.jdbi().inTransaction(h -> {
      DirectoryTenant t;
      try {
        t = directory.createTenant(h, null, tenantName, customer.companyName());
      } catch (Problem e) {
        throw Problem.of(e.kind(), e.code(), "tenantName", e.getMessage());
      }
      store.insertCustomerTenant(h, customer.customerId(), t.tenantId());
      return new Added(t, true);
    });
  }

  /** The outcome of {@link #addCustomerTenant}. */
  public record Added(DirectoryTenant tenant, boolean created) {}

  /** One line of an order, validated by the caller: the offer, a name, and the customer tenant to create it in. */
  public record Line(int lineItemNumber, String offerId, String friendlyName, String tenantId) {}

  /** An order as placed: its id, lines with the subscriptions they made, and when. */
  public record Placed(String orderId, List<Line> lines, List<String> subscriptionIds, OffsetDateTime createdAt) {}

  /**
   * Buys Azure subscriptions for a customer: one subscription per line, in the line's tenant (which
   * must be one of the customer's; default its first), sold by the partner. The ordering principal
   * gets admin-on-behalf-of access: it becomes a guest of the tenant and Owner of the subscription.
   *
   * @param orderBody renders the placed order as it is stored and answered
   */
  Placed order(Partner partner, Customer customer, String orderingObjectId, List<Line> lines,
      java.util.function.Function<Placed, String> orderBody) {
    List<String> tenants = store.customerTenants(customer.customerId());
    List<Line> resolved = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      String tenant = customer.customerId();
      if (line.tenantId() != null) {
        String wanted = directory.tenant(line.tenantId()).map(DirectoryTenant::tenantId).orElse(null);
        if (wanted == null || !tenants.contains(wanted)) {
          throw Problem.invalid("InvalidTenant", "lineItems[" + i + "].tenantId", "The tenant '"
              + line.tenantId() + "' of lineItems[" + i + "].tenantId is not one of this customer's directory tenants.");
        }
        tenant = wanted;
      }
      resolved.add(new Line(line.lineItemNumber(), line.offerId(), line.friendlyName(), tenant));
    }
    Principal orderer = directory.principal(orderingObjectId).orElseThrow(() -> Problem.forbidden("Forbidden", "The calling principal is unknown to the directory."));
    String orderId = UUID.randomUUID().toString();
    OffsetDateTime now = store.now();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < resolved.size(); i++) {
      ids.add(UUID.randomUUID().toString());
    }
    Placed placed = new Placed(orderId, resolved, ids, now);
    // Subscriptions, the order and the orderer's access are one transaction: an order whose access
    // grant fails leaves no subscription nobody can administer.
    store.jdbi().useTransaction(h -> {
      for (int i = 0; i < resolved.size(); i++) {
        Line line = resolved.get(i);
        store.insertSubscription(h, ids.get(i), line.friendlyName(), line.tenantId(), line.offerId(), partner.partnerId(),
            customer.customerId(), orderId, now);
      }
      store.insertOrder(h, orderId, customer.customerId(), partner.partnerId(), orderBody.apply(placed), now);
      for (int i = 0; i < resolved.size(); i++) {
        grantOwner(h, resolved.get(i).tenantId(), ids.get(i), orderer);
      }
    });
    return placed;
  }

  /**
   * Admin on behalf of (AOBO), as we model it: the principal joins the subscription's tenant as a
   * guest (unless it lives there) and holds Owner on the subscription.
   */
  private void grantOwner(Handle h, String tenantId, String subscriptionId, Principal principal) {
    directory.addGuest(h, tenantId, principal.objectId());
    roles.assign(h, UUID.randomUUID().toString(), "/subscriptions/" + subscriptionId, RoleDefinition.OWNER,
        principal.objectId(), principal.kind().name());
  }

  /**
   * The operator's direct creation of a subscription in a tenant, under any offer, rolled up to a
   * partner; the owner principal (optional) gets Owner on it, joining the tenant as a guest if needed.
   */
  public PcSubscription createDirect(String subscriptionId, String name, String offerId, String tenantId, Partner partner,
      Customer customer, Principal owner) {
    OffsetDateTime now = store.now();
    store.jdbi().useTransaction(h -> {
      store.insertSubscription(h, subscriptionId, name, tenantId, offerId, partner.partnerId(),
          customer == null ? null : customer.customerId(), null, now);
      if (owner != null) {
        grantOwner(h, tenantId, subscriptionId, owner);
      }
    });
    return store.subscription(subscriptionId).orElseThrow();
  }

  /** A subscription Partner Center sold or the operator made (one with an offer); others are unknown here. */
  public Optional<PcSubscription> subscription(String subscriptionId) {
    return store.subscription(subscriptionId);
  }

  List<PcSubscription> subscriptionsOf(Customer customer) {
    return store.subscriptionsOfCustomer(customer.customerId());
  }

  /** Any subscription, with its Partner Center columns when it has them (the operator's view). */
  public Optional<PcSubscription> anySubscription(String subscriptionId) {
    return store.anySubscription(subscriptionId);
  }

  /** A page of every subscription, Partner Center's or not, in id order (the operator's view). */
  public List<PcSubscription> subscriptions(String after, int limit) {
    return store.subscriptions(after, limit);
  }

  /**
   * Changes a subscription's state. Deleted is final: any change from it is a 409, as is deleting
   * through a route that may only suspend or reactivate.
   */
  public PcSubscription changeState(PcSubscription s, Subscription.State to) {
    if (s.state() == to) {
      return s;
    }
    if (s.state() == Subscription.State.Deleted) {
      throw Problem.conflict("SubscriptionDeleted", "The subscription '" + s.subscriptionId()
          + "' is deleted; it cannot be suspended or reactivated.");
    }
    store.setState(s.subscriptionId(), to);
    return store.anySubscription(s.subscriptionId()).orElseThrow();
  }

  public PcSubscription rename(PcSubscription s, String name) {
    if (!s.friendlyName().equals(name)) {
      store.rename(s.subscriptionId(), name);
    }
    return store.anySubscription(s.subscriptionId()).orElseThrow();
  }

  Optional<String> order(Customer customer, String orderId) {
    return store.order(customer.customerId(), orderId);
  }

  List<String> orders(Customer customer) {
    return store.orders(customer.customerId());
  }
}
