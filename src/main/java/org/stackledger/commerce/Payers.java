package org.stackledger.commerce;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.arm.Subscription;
import org.stackledger.arm.Subscriptions;
import org.stackledger.partnercenter.Customer;
import org.stackledger.partnercenter.Partner;
import org.stackledger.partnercenter.PartnerCenter;
import org.stackledger.partnercenter.PcSubscription;

/**
 * Who a billing subscription belongs to, in the words of the reconciliation file and chargeback:
 * a Partner Center customer (its company name), a partner's own subscription (the partner's name),
 * or, unknown to Partner Center, a registration subscription. Answers are remembered for one view.
 */
final class Payers {
  static final String REGISTRATION = "registration subscription";

  /**
   * @param name the customer's company name, the partner's name, {@value #REGISTRATION}, or the
   *     subscription's display name for a customer subscription Partner Center does not hold
   * @param customerId the Partner Center customer, or {@code null} when no customer pays
   */
  record Payer(String name, String customerId) {}

  private final PartnerCenter partnerCenter;
  private final Subscriptions subscriptions;
  private final Jdbi jdbi;
  private final Map<String, Payer> known = new HashMap<>();

  Payers(PartnerCenter partnerCenter, Subscriptions subscriptions, Jdbi jdbi) {
    this.partnerCenter = partnerCenter;
    this.subscriptions = subscriptions;
    this.jdbi = jdbi;
  }

  Payer of(String billingSubscriptionId) {
    return known.computeIfAbsent(billingSubscriptionId, this::find);
  }

  private Payer find(String s) {
    Optional<PcSubscription> pc = partnerCenter.subscription(s);
    if (pc.isPresent() && pc.get().customerId() != null) {
      Optional<Customer> c = partnerCenter.customer(pc.get().customerId());
      if (c.isPresent()) {
        return new Payer(c.get().companyName(), c.get().customerId());
      }
    }
    if (pc.isPresent() && pc.get().partnerId() != null) {
      Optional<Partner> p = partnerCenter.partner(pc.get().partnerId());
      if (p.isPresent()) {
        return new Payer(p.get().name(), null);
      }
    }
    // Not Partner Center's: usage lands here by the registration default, or through a mapping to a
    // subscription sold elsewhere, which has no customer record to name.
    boolean mapped = jdbi.withHandle(h -> RecordStore.anyMapped(h, s));
    return new Payer(mapped ? subscriptions.find(s).map(Subscription::displayName).orElse(s) : REGISTRATION, null);
  }
}
