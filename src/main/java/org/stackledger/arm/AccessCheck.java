package org.stackledger.arm;

import org.stackledger.http.Exchange;

/**
 * Authorization of ARM requests, asked by every route before it reads or changes anything. Its
 * answers follow Resource Manager: a subscription the caller holds no role in answers 404 exactly as
 * if it did not exist (so ids cannot be probed across tenants); a caller who can see the
 * subscription but lacks the action on the scope gets 403 {@code AuthorizationFailed}.
 */
public interface AccessCheck {
  /**
   * Checks that the caller may perform {@code action} (e.g.
   * {@code Microsoft.Resources/subscriptions/resourceGroups/write}) on {@code target}, and returns
   * the target's subscription.
   */
  Subscription require(Exchange exchange, ResourceId target, String action);

  /**
   * Checks that the caller holds, at the root scope {@code /}, a role that allows {@code action}
   * (e.g. {@code Stackledger.Identity/tenants/write}): the operator-only APIs above every
   * subscription. Anyone else gets 403 {@code AuthorizationFailed} naming only the root scope, the
   * same answer whatever the request names, so nothing can be probed through it.
   */
  void requireRoot(Exchange exchange, String action);

  /** True when the caller holds any role in the subscription, which is what lists show. */
  boolean canSee(Exchange exchange, Subscription subscription);
}
