package org.stackledger.usersubscriptions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.stackledger.access.AccessControl;
import org.stackledger.access.RoleAssignments;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.Paging;
import org.stackledger.arm.Subscription;
import org.stackledger.directory.Directory;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.usersubscriptions.UserSubscriptions.UserSubscription;

/**
 * Every route of the deployment's offers, plans and user subscriptions. On the stack admin endpoint: the
 * operator's plans, offers and user subscriptions, and {@code GET /subscriptions} (the deployment's
 * subscriptions the caller sees). On the stack tenant endpoint: {@code GET /subscriptions[/{id}]}, a
 * tenant's own user subscriptions ({@code Microsoft.Subscriptions}). Which subscriptions a caller sees
 * is decided by {@link VisibleSubscriptions} and {@link UserSubscriptions#own}, which take the caller.
 */
public final class UserSubscriptionRoutes {
  /**
   * Azure Stack's {@code Microsoft.Subscriptions} version, the one its PowerShell modules send, and
   * the public cloud's subscription versions, which the hybrid profiles and SDKs send.
   */
  static final ApiVersions VERSIONS = ApiVersions.of("Microsoft.Subscriptions/subscriptions", "2015-11-01",
      "2014-04-01", "2015-01-01", "2016-01-01", "2016-06-01", "2018-06-01", "2019-06-01", "2019-11-01",
      "2020-01-01", "2021-01-01", "2022-01-01", "2022-12-01");

  private final Arm arm;
  private final UserSubscriptions store;
  private final VisibleSubscriptions visible;
  private final OfferingRoutes offerings;
  private final AdminSubscriptionRoutes admin;
  private final AdminSubscriptionWrites adminWrites;
  private final OfferingWrites offeringWrites;

  /**
   * @param admittedDirectory whether a directory tenant may own subscriptions here: the home directory
   *     or an onboarded guest directory
   * @param region the deployment's region, where plans and offers live
   */
  public UserSubscriptionRoutes(Arm arm, UserSubscriptions store, Directory directory, RoleAssignments roles,
      Predicate<String> admittedDirectory, Supplier<String> region, String operatorSubscriptionId) {
    this.arm = arm;
    this.store = store;
    this.visible = new VisibleSubscriptions(arm, store, operatorSubscriptionId);
    Offerings catalogue = new Offerings(arm.jdbi(), arm.clock());
    this.offeringWrites = new OfferingWrites(arm, catalogue, region);
    this.offerings = new OfferingRoutes(arm, catalogue, offeringWrites);
    this.adminWrites = new AdminSubscriptionWrites(arm, store, catalogue, directory, admittedDirectory,
        operatorSubscriptionId);
    this.admin = new AdminSubscriptionRoutes(arm, store, adminWrites);
  }

  /** The subscriptions a caller of the admin endpoint sees, for a front end that renders them another way. */
  public VisibleSubscriptions visible() {
    return visible;
  }

  /** User subscriptions as the signed-in operator makes, changes and removes them (the console's way in). */
  public AdminSubscriptionWrites adminWrites() {
    return adminWrites;
  }

  /** Plans and offers as the signed-in operator makes, changes and removes them (the console's way in). */
  public OfferingWrites offeringWrites() {
    return offeringWrites;
  }

  public void registerAdmin(Router router) {
    router.get("/subscriptions", this::adminList);
    offerings.register(router);
    admin.register(router);
  }

  public void registerTenant(Router router) {
    router.get("/subscriptions", this::tenantList);
    router.get("/subscriptions/{subscriptionId}", this::tenantGet);
  }

  /** The operator's provider subscription and the user subscriptions the caller sees (the operator sees all). */
  private Reply adminList(Exchange ex) {
    VERSIONS.require(ex);
    Paging.Cursor cursor = arm.paging().cursor(ex);
    // Subscriptions the caller cannot see are skipped, so a page may hold fewer than $top items.
    List<Subscription> page = visible.page(AccessControl.caller(ex), cursor);
    return Reply.json(200, arm.paging().page(ex, cursor, page, Subscription::subscriptionId, Subscription::toJson));
  }

  private Reply tenantList(Exchange ex) {
    VERSIONS.require(ex);
    Paging.Cursor cursor = arm.paging().cursor(ex);
    String after = cursor.afterKey().orElse("");
    List<UserSubscription> mine = store.own(AccessControl.caller(ex)).stream().filter(s -> s.subscriptionId().compareTo(after) > 0)
        .limit(cursor.limit() + 1L).toList();
    return Reply.json(200, arm.paging().page(ex, cursor, mine, UserSubscription::subscriptionId,
        UserSubscriptionRoutes::tenantView));
  }

  private Reply tenantGet(Exchange ex) {
    VERSIONS.require(ex);
    // Anyone else's subscription, or a deleted one, answers exactly as one that never existed.
    return Reply.json(200, tenantView(store.own(AccessControl.caller(ex), ex.pathParam("subscriptionId"))));
  }

  /** Azure's {@code Microsoft.Subscriptions} subscription, as a tenant sees it. */
  static ObjectNode tenantView(UserSubscription s) {
    ObjectNode out = Json.object();
    out.put("id", "/subscriptions/" + s.subscriptionId());
    out.put("subscriptionId", s.subscriptionId());
    out.put("displayName", s.displayName());
    out.put("state", s.state());
    out.put("tenantId", s.tenantId());
    out.put("offerId", s.offerId());
    return out;
  }
}
