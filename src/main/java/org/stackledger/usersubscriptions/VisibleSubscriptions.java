package org.stackledger.usersubscriptions;

import java.util.List;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.arm.Paging;
import org.stackledger.arm.Subscription;
import org.stackledger.identity.Caller;

/**
 * The deployment's subscriptions as a caller of the stack admin endpoint sees them: the operator's
 * provider subscription and the user subscriptions, each only where the caller holds a role (the
 * operator, with a root role, sees every one). The admin endpoint's {@code GET /subscriptions} and the
 * console list them through here, so which subscriptions a caller learns of is decided once.
 */
public final class VisibleSubscriptions {
  private final Arm arm;
  private final AccessControl access;
  private final UserSubscriptions store;
  private final String operatorSubscriptionId;

  VisibleSubscriptions(Arm arm, UserSubscriptions store, String operatorSubscriptionId) {
    this.arm = arm;
    this.access = AccessControl.of(arm);
    this.store = store;
    this.operatorSubscriptionId = operatorSubscriptionId;
  }

  /**
   * The page of the deployment's subscriptions after the cursor that the caller sees. Subscriptions it
   * cannot see are skipped, so a page may hold fewer than the cursor's limit.
   */
  public List<Subscription> page(Caller caller, Paging.Cursor cursor) {
    return arm.subscriptions().list(cursor).stream()
        .filter(s -> s.subscriptionId().equals(operatorSubscriptionId) || store.find(s.subscriptionId()).isPresent())
        .filter(s -> access.canSee(caller, s)).toList();
  }
}
