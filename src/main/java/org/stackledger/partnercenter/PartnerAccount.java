package org.stackledger.partnercenter;

import java.util.List;
import java.util.function.Function;
import org.stackledger.arm.Subscription;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;

/**
 * A partner's own Partner Center, for the signed-in caller: its customers, their orders and their
 * Azure subscriptions. Every method acts for the caller's partner, found by the directory tenant that
 * issued the caller's token (the partner's own tenant): a caller whose tenant is no partner gets 403
 * {@code PartnerNotFound}, and another partner's customer, order or subscription answers 404 exactly
 * like one that does not exist. The Partner Center REST API ({@link PartnerCenterRoutes}) and the
 * console both call this, so the partner boundary is drawn once.
 *
 * <p>Customers, orders and subscriptions are named by id in every call and looked up again for the
 * caller, so no object obtained elsewhere lets a caller past the check.
 */
public final class PartnerAccount {
  private final PartnerCenter pc;

  PartnerAccount(PartnerCenter pc) {
    this.pc = pc;
  }

  /** The caller's partner; 403 {@code PartnerNotFound} when its tenant is no partner's. */
  public Partner partner(Caller caller) {
    return pc.partnerOfTenant(caller.tenantId()).orElseThrow(() -> Problem.forbidden("PartnerNotFound",
        "The caller's directory tenant is not a Partner Center partner; sign in to your partner tenant."));
  }

  /** Makes a customer of the caller's partner with a new directory tenant (see {@link PartnerCenter}). */
  public Customer createCustomer(Caller caller, String companyName, String domain) {
    return pc.createCustomer(partner(caller), companyName, domain);
  }

  public List<Customer> customers(Caller caller) {
    return pc.customers(partner(caller));
  }

  /** The caller's partner's customer; 404 {@code CustomerNotFound} for anyone else's. */
  public Customer customer(Caller caller, String customerId) {
    return pc.customerOf(partner(caller), customerId).orElseThrow(() -> Problem.notFound("CustomerNotFound",
        "The customer was not found."));
  }

  /** The directory tenants of the caller's partner's customer, its first (the customer id) first. */
  public List<String> customerTenants(Caller caller, String customerId) {
    return pc.customerTenants(customer(caller, customerId).customerId());
  }

  /**
   * Buys Azure subscriptions for the customer, the caller getting admin-on-behalf-of access to each
   * (see {@link PartnerCenter#order}).
   */
  public PartnerCenter.Placed order(Caller caller, String customerId, List<PartnerCenter.Line> lines,
      Function<PartnerCenter.Placed, String> orderBody) {
    Partner partner = partner(caller);
    Customer customer = customer(caller, customerId);
    return pc.order(partner, customer, caller.objectId(), lines, orderBody);
  }

  /** The customer's orders as they were answered when placed. */
  public List<String> orders(Caller caller, String customerId) {
    return pc.orders(customer(caller, customerId));
  }

  /** One order of the customer; 404 {@code OrderNotFound}. */
  public String order(Caller caller, String customerId, String orderId) {
    return pc.order(customer(caller, customerId), orderId).orElseThrow(() -> Problem.notFound("OrderNotFound",
        "The order was not found."));
  }

  public List<PcSubscription> subscriptions(Caller caller, String customerId) {
    return pc.subscriptionsOf(customer(caller, customerId));
  }

  /** One subscription of the customer; 404 {@code SubscriptionNotFound} for one of anyone else's. */
  public PcSubscription subscription(Caller caller, String customerId, String subscriptionId) {
    Customer customer = customer(caller, customerId);
    return pc.subscription(subscriptionId).filter(s -> customer.customerId().equals(s.customerId()))
        .orElseThrow(() -> Problem.notFound("SubscriptionNotFound", "The subscription was not found."));
  }

  /**
   * Partner Center's update of a subscription: suspends or reactivates it ({@code to}, Disabled or
   * Enabled; {@code null} leaves the state) and renames it ({@code friendlyName}, or {@code null}).
   * Deleting is the operator's, never the partner's.
   */
  public PcSubscription update(Caller caller, String customerId, String subscriptionId, Subscription.State to,
      String friendlyName) {
    PcSubscription s = subscription(caller, customerId, subscriptionId);
    if (to == Subscription.State.Deleted) {
      throw Problem.invalid("InvalidInput", "status", "status must be 'active' or 'suspended'.");
    }
    if (to != null) {
      s = pc.changeState(s, to);
    }
    if (friendlyName != null) {
      s = pc.rename(s, friendlyName);
    }
    return s;
  }
}
