package org.stackledger.arm;

import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.http.Reply;
import org.stackledger.problem.Problem;

/**
 * What every ARM resource type is built from: the stores, the provider catalogue, the body reader,
 * paging, the clock and the access check every route asks first. The composition root makes one
 * and hands it to each feature's routes.
 */
public record Arm(Jdbi jdbi, Clock clock, Subscriptions subscriptions, ResourceStore resources,
    ProviderCatalogue providers, ArmBody body, Paging paging, AccessCheck access) {

  public static Arm create(Jdbi jdbi, Clock clock, long bodyLimit, int pageSize, AccessCheck access) {
    return new Arm(jdbi, clock, new Subscriptions(jdbi, clock), new ResourceStore(jdbi, clock),
        new ProviderCatalogue(), new ArmBody(bodyLimit), new Paging(pageSize), access);
  }

  /**
   * The first step of every ARM route: checks the caller may perform {@code action} on
   * {@code target} (404 for a subscription it cannot see, 403 for a missing permission) and returns
   * the subscription.
   */
  public Subscription authorize(org.stackledger.http.Exchange exchange, ResourceId target, String action) {
    return acceptsAction(access.require(exchange, target, action), action);
  }

  /**
   * The subscription, when its state allows {@code action}: every read, and a change only while it is
   * active. A service that checked a caller itself asks this too, so it refuses what the route did.
   */
  public static Subscription acceptsAction(Subscription subscription, String action) {
    boolean read = action.toLowerCase(java.util.Locale.ROOT).endsWith("/read");
    if (!read && subscription.state() == Subscription.State.Disabled) {
      // As in Azure: a suspended subscription keeps its resources readable but takes no changes.
      throw org.stackledger.problem.Problem.conflict("ReadOnlyDisabledSubscription", "The subscription '"
          + subscription.subscriptionId() + "' is disabled and therefore marked as read only. You cannot perform any "
          + "write actions on this subscription until it is re-enabled.");
    }
    if (!read && subscription.state() == Subscription.State.Deleted) {
      throw org.stackledger.problem.Problem.conflict("SubscriptionNotActive", "The subscription '"
          + subscription.subscriptionId() + "' is deleted; it takes no changes.");
    }
    return subscription;
  }

  /** The first step of every operator-only route: the caller must hold a root-scope role allowing {@code action}. */
  public void authorizeRoot(org.stackledger.http.Exchange exchange, String action) {
    access.requireRoot(exchange, action);
  }

  /** A resource answer with its ETag header. */
  public static Reply resource(int status, ArmResource resource) {
    return Reply.json(status, resource.toJson()).header("ETag", resource.etag());
  }
}
