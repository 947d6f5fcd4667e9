package org.stackledger.usersubscriptions;

import java.util.List;
import java.util.Optional;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.Arm;
import org.stackledger.arm.Paging;
import org.stackledger.arm.Preconditions;
import org.stackledger.http.Exchange;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * Plans and offers on the stack admin ARM endpoint ({@code Microsoft.Subscriptions.Admin/plans} and
 * {@code /offers}, api-version {@code 2015-11-01}): PUT, GET, DELETE and the lists by resource group and
 * by subscription. Only the operator (a root-scope role in the home directory) may call them; the
 * subscription in the id must exist, as a plan's id is what offers and subscriptions refer to.
 * {@link OfferingWrites} checks the request's caller, for the reads as for the writes it performs.
 */
final class OfferingRoutes {
  static final String NAMESPACE = "Microsoft.Subscriptions.Admin";
  static final String SUB = "/subscriptions/{subscriptionId}";
  static final String GROUP = SUB + "/resourceGroups/{resourceGroupName}";

  private final Arm arm;
  private final Offerings store;
  private final OfferingWrites writes;

  OfferingRoutes(Arm arm, Offerings store, OfferingWrites writes) {
    this.arm = arm;
    this.store = store;
    this.writes = writes;
  }

  void register(Router router) {
    for (Offering.Kind kind : Offering.Kind.values()) {
      String collection = "/providers/" + NAMESPACE + "/" + kind.segment;
      String one = GROUP + collection + "/{" + param(kind) + "}";
      router.get(SUB + collection, ex -> list(ex, kind, false));
      router.get(GROUP + collection, ex -> list(ex, kind, true));
      router.get(one, ex -> Reply.json(200, existing(authorized(ex, kind, "read", true, true), kind).toJson()));
      router.put(one, ex -> put(ex, kind));
      router.delete(one, ex -> delete(ex, kind));
    }
  }

  static String param(Offering.Kind kind) {
    return kind == Offering.Kind.PLANS ? "planName" : "offerName";
  }

  static ApiVersions versions(Offering.Kind kind) {
    return ApiVersions.of(kind.type(), "2015-11-01");
  }

  /**
   * The operator check, then the subscription's: the root-scope check comes first so that anyone else
   * gets the same 403 whatever the path names; then the subscription must exist (and take writes).
   */
  private ResourceId authorized(Exchange ex, Offering.Kind kind, String action, boolean inGroup, boolean item) {
    versions(kind).require(ex);
    return writes.authorized(AccessControl.caller(ex), kind, action, ex.pathParam("subscriptionId"),
        inGroup || item ? ex.pathParam("resourceGroupName") : null, item ? ex.pathParam(param(kind)) : null);
  }

  private Offering existing(ResourceId id, Offering.Kind kind) {
    return store.find(id).filter(o -> o.kind() == kind).orElseThrow(() -> Problem.notFound("ResourceNotFound",
        "The Resource '" + kind.type() + "/" + id.name() + "' under resource group '" + id.resourceGroup().orElse("")
            + "' was not found."));
  }

  private Reply list(Exchange ex, Offering.Kind kind, boolean inGroup) {
    ResourceId scope = authorized(ex, kind, "read", inGroup, false);
    Paging.Cursor cursor = arm.paging().cursor(ex);
    List<Offering> items = store.list(kind, scope.subscriptionId(), inGroup ? scope.resourceGroup() : Optional.empty(),
        cursor.afterKey().orElse(""), cursor.limit() + 1);
    return Reply.json(200, arm.paging().page(ex, cursor, items, Offering::key, Offering::toJson));
  }

  private Reply put(Exchange ex, Offering.Kind kind) throws Exception {
    versions(kind).require(ex);
    OfferingWrites.Write write = writes.writable(AccessControl.caller(ex), kind, ex.pathParam("subscriptionId"),
        ex.pathParam("resourceGroupName"), ex.pathParam(param(kind)));
    Offerings.Put done = write.put(arm.body().required(ex), Preconditions.of(ex));
    return Reply.json(done.created() ? 201 : 200, done.offering().toJson()).header("ETag", done.offering().etag());
  }

  private Reply delete(Exchange ex, Offering.Kind kind) {
    versions(kind).require(ex);
    return writes.delete(AccessControl.caller(ex), kind, ex.pathParam("subscriptionId"),
        ex.pathParam("resourceGroupName"), ex.pathParam(param(kind)), Preconditions.of(ex))
        ? Reply.empty(200) : Reply.empty(204);
  }
}
