package org.stackledger.resources;

import org.stackledger.arm.Arm;
import org.stackledger.arm.Paging;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.Subscription;
import org.stackledger.http.Exchange;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;

/** {@code GET /subscriptions} and {@code GET /subscriptions/{subscriptionId}}. */
public final class SubscriptionRoutes {
  private final Arm arm;

  private SubscriptionRoutes(Arm arm) {
    this.arm = arm;
  }

  public static void register(Router router, Arm arm) {
    SubscriptionRoutes routes = new SubscriptionRoutes(arm);
    router.get("/subscriptions", routes::list);
    router.get("/subscriptions/{subscriptionId}", routes::get);
  }

  private Reply list(Exchange ex) {
    ResourcesApi.SUBSCRIPTIONS.require(ex);
    Paging.Cursor cursor = arm.paging().cursor(ex);
    // Subscriptions the caller cannot see are skipped, so a page may hold fewer than $top items.
    var page = arm.subscriptions().list(cursor).stream().filter(s -> arm.access().canSee(ex, s)).toList();
    return Reply.json(200, arm.paging().page(ex, cursor, page, Subscription::subscriptionId, Subscription::toJson));
  }

  private Reply get(Exchange ex) {
    ResourcesApi.SUBSCRIPTIONS.require(ex);
    ResourceId id = ResourceId.subscription(ex.pathParam("subscriptionId"));
    return Reply.json(200, arm.authorize(ex, id, "Microsoft.Resources/subscriptions/read").toJson());
  }
}
