package org.stackledger.partnercenter;

import java.time.Instant;
import java.util.Locale;
import org.stackledger.arm.Subscription;

/**
 * An Azure subscription as Partner Center knows it: the row of {@code subscriptions} with its offer,
 * selling partner and customer. Its Partner Center id is its Azure subscription id.
 *
 * @param partnerId the partner that sold it (for an indirect reseller, the reseller)
 * @param billingPartnerId the partner it rolls up to: the seller, or the indirect provider of a reseller
 * @param customerId the customer, or {@code null} for subscriptions the operator made without one
 */
public record PcSubscription(String subscriptionId, String friendlyName, String tenantId, Subscription.State state,
    String offerId, String partnerId, String billingPartnerId, String customerId, String orderId, Instant createdAt) {

  /**
   * Partner Center's status: {@code active}, {@code suspended} or {@code deleted}. ARM's states map as
   * Enabled (and Warned, PastDue) to active, Disabled to suspended, Deleted to deleted.
   */
  public String status() {
    return statusOf(state);
  }

  static String statusOf(Subscription.State state) {
    return switch (state) {
      case Enabled, Warned, PastDue -> "active";
      case Disabled -> "suspended";
      case Deleted -> "deleted";
    };
  }

  /** The ARM state for a Partner Center status, or {@code null} for an unknown one. */
  static Subscription.State stateOf(String status) {
    return switch (status == null ? "" : status.toLowerCase(Locale.ROOT)) {
      case "active" -> Subscription.State.Enabled;
      case "suspended" -> Subscription.State.Disabled;
      case "deleted" -> Subscription.State.Deleted;
      default -> null;
    };
  }
}
