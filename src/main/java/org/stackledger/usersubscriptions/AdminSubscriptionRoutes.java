package org.stackledger.usersubscriptions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.Paging;
import org.stackledger.arm.Preconditions;
import org.stackledger.arm.ResourceId;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;
import org.stackledger.usersubscriptions.UserSubscriptions.Stored;
import org.stackledger.usersubscriptions.UserSubscriptions.UserSubscription;

/**
 * User subscriptions as the operator manages them ({@code Microsoft.Subscriptions.Admin/subscriptions},
 * api-version {@code 2015-11-01}, {@code New-/Set-/Remove-AzsUserSubscription}): PUT, GET, DELETE and the
 * list under the operator's subscription. Operator only: {@link AdminSubscriptionWrites} checks the
 * request's caller, for the reads as for the writes it performs.
 */
final class AdminSubscriptionRoutes {
  static final String TYPE = OfferingRoutes.NAMESPACE + "/subscriptions";
  static final ApiVersions VERSIONS = ApiVersions.of(TYPE, "2015-11-01");
  static final String LIST = "/subscriptions/{adminSubscriptionId}/providers/" + TYPE;
  static final String ONE = LIST + "/{targetSubscriptionId}";

  private final Arm arm;
  private final UserSubscriptions store;
  private final AdminSubscriptionWrites writes;

  AdminSubscriptionRoutes(Arm arm, UserSubscriptions store, AdminSubscriptionWrites writes) {
    this.arm = arm;
    this.store = store;
    this.writes = writes;
  }

  void register(Router router) {
    router.get(LIST, this::list);
    router.get(ONE, this::get);
    router.put(ONE, this::put);
    router.delete(ONE, this::delete);
  }

  /** Operator first (the same 403 whatever the path names), then the admin subscription must exist. */
  private String authorized(Exchange ex, String action) {
    VERSIONS.require(ex);
    return writes.authorized(AccessControl.caller(ex), ex.pathParam("adminSubscriptionId"), action);
  }

  private static String target(Exchange ex) {
    return ResourceId.checkSubscription(ex.pathParam("targetSubscriptionId"));
  }

  private Reply list(Exchange ex) {
    String admin = authorized(ex, "read");
    Paging.Cursor cursor = arm.paging().cursor(ex);
    List<Stored> items = store.page(cursor.afterKey().orElse(""), cursor.limit() + 1);
    return Reply.json(200, arm.paging().page(ex, cursor, items, s -> s.subscription().subscriptionId(),
        s -> resource(admin, s)));
  }

  private Reply get(Exchange ex) {
    String admin = authorized(ex, "read");
    String id = target(ex);
    Stored found = store.stored(id).orElseThrow(() -> Problem.notFound("SubscriptionNotFound",
        "The subscription '" + id + "' could not be found."));
    return Reply.json(200, resource(admin, found)).header("ETag", found.etag());
  }

  private Reply delete(Exchange ex) {
    VERSIONS.require(ex);
    return writes.delete(AccessControl.caller(ex), ex.pathParam("adminSubscriptionId"),
        ex.pathParam("targetSubscriptionId"), Preconditions.of(ex)) ? Reply.empty(200) : Reply.empty(204);
  }

  private Reply put(Exchange ex) throws Exception {
    VERSIONS.require(ex);
    AdminSubscriptionWrites.Write write = writes.writable(AccessControl.caller(ex), ex.pathParam("adminSubscriptionId"));
    String id = target(ex);
    UserSubscriptions.Put done = write.put(id, arm.body().required(ex), Preconditions.of(ex));
    return Reply.json(done.created() ? 201 : 200, resource(write.adminSubscriptionId(), done.stored()))
        .header("ETag", done.stored().etag());
  }

  /** Azure Stack's admin view of a user subscription: its fields at the top level. */
  static ObjectNode resource(String adminSubscriptionId, Stored stored) {
    UserSubscription s = stored.subscription();
    ObjectNode out = Json.object();
    out.put("id", "/subscriptions/" + adminSubscriptionId + "/providers/" + TYPE + "/" + s.subscriptionId());
    out.put("name", s.subscriptionId());
    out.put("type", TYPE);
    out.put("subscriptionId", s.subscriptionId());
    out.put("displayName", s.displayName());
    out.put("owner", s.owner());
    out.put("tenantId", s.tenantId());
    out.put("offerId", s.offerId());
    out.put("state", s.state());
    out.put("delegatedProviderSubscriptionId", s.delegatedProviderSubscriptionId());
    out.put("providerSubscriptionId", s.providerSubscriptionId());
    out.put("routingResourceManagerType", "Default");
    out.put("createdAt", s.createdAt().toString());
    out.put("etag", stored.etag());
    return out;
  }
}
