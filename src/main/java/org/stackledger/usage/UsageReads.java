package org.stackledger.usage;

import java.time.Instant;
import java.util.Locale;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ResourceId;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;

/**
 * Usage as a caller may read it: a tenant reads its own subscription's usage, a delegated provider
 * the usage of its direct tenants only. The usage APIs ({@link UsageRoutes}) and the console both read
 * through here, so the rule is stated once.
 *
 * <p>Reading is two steps. {@link #tenant} or {@link #provider} checks the caller and answers a
 * {@link Grant}, which only this class makes; every read takes a grant. A route asks for the grant
 * before it reads the rest of the request, so a stranger learns "not found" (404
 * {@code SubscriptionNotFound}, as if the subscription did not exist) before anything about its
 * parameters; a provider naming a subscriber that is not its direct tenant is refused (400
 * {@code SubscriberIdIsNotDirectTenant}) and reads nothing.
 */
public final class UsageReads {
  static final String TENANT_READ = "Microsoft.Commerce/usageAggregates/read";

  /**
   * What a caller was allowed to read: one subscription's usage, or, for a provider, its direct
   * tenants' usage.
   */
  public static final class Grant {
    private final String subscriptionId;
    private final boolean provider;

    private Grant(String subscriptionId, boolean provider) {
      this.subscriptionId = subscriptionId;
      this.provider = provider;
    }

    /** The subscription the grant is for: the tenant's own, or the provider subscription. */
    public String subscriptionId() {
      return subscriptionId;
    }
  }

  /** Whose checks apply; resolved on first use, since a usage feature opened for intake alone has no ARM. */
  private final Arm arm;
  private final UsageQueries queries;
  private final Aggregator aggregator;

  UsageReads(Arm arm, UsageQueries queries, Aggregator aggregator) {
    this.arm = arm;
    this.queries = queries;
    this.aggregator = aggregator;
  }

  /** The caller's right to read the usage of {@code subscriptionId} (the tenant usage API). */
  public Grant tenant(Caller caller, String subscriptionId) {
    String sub = ResourceId.checkSubscription(subscriptionId);
    access().require(caller, ResourceId.subscription(sub), TENANT_READ);
    return new Grant(sub, false);
  }

  /**
   * The caller's right to read the usage of the direct tenants of {@code providerSubscriptionId}
   * (the provider usage API, whose action is under {@code namespace}: {@code Microsoft.Commerce.Admin}
   * or the pre-1808 {@code Microsoft.Commerce}).
   */
  public Grant provider(Caller caller, String providerSubscriptionId, String namespace) {
    String provider = ResourceId.checkSubscription(providerSubscriptionId);
    access().require(caller, ResourceId.subscription(provider), namespace + "/subscriberUsageAggregates/read");
    return new Grant(provider, true);
  }

  /** One subscription's usage in the reported window, folded up to its end first. */
  public UsageQueries.Page subscription(Grant grant, Instant from, Instant to, UsageQueries.Granularity g, boolean summary,
      UsageQueries.Position after, int limit) {
    if (grant.provider) {
      throw new IllegalArgumentException("a provider's grant reads its direct tenants, not the subscription itself");
    }
    aggregator.foldBefore(to);
    return queries.subscription(grant.subscriptionId, from, to, g, summary, after, limit);
  }

  /**
   * The usage of the provider's direct tenants, or of one of them ({@code subscriberId}, as the
   * caller gave it, or {@code null}), in the reported window, folded up to its end first.
   */
  public UsageQueries.Page directTenants(Grant grant, String subscriberId, Instant from, Instant to,
      UsageQueries.Granularity g, boolean summary, UsageQueries.Position after, int limit) {
    if (!grant.provider) {
      throw new IllegalArgumentException("a tenant's grant reads its own subscription only");
    }
    String subscriber = subscriber(grant, subscriberId);
    aggregator.foldBefore(to);
    return queries.directTenants(grant.subscriptionId, subscriber, from, to, g, summary, after, limit);
  }

  /**
   * The subscriber a provider asks about, lower-case, or {@code null} for all its direct tenants;
   * 400 {@code SubscriberIdIsNotDirectTenant} for any subscription that is not one of them.
   */
  public String subscriber(Grant grant, String subscriberId) {
    if (subscriberId == null || subscriberId.isBlank()) {
      return null;
    }
    String subscriber = subscriberId.toLowerCase(Locale.ROOT);
    if (!EventRules.isGuid(subscriber) || !queries.isDirectTenant(grant.subscriptionId, subscriber)) {
      throw Problem.invalid("SubscriberIdIsNotDirectTenant", "subscriberId", "The subscription '" + subscriberId
          + "' is not a direct tenant of the provider subscription '" + grant.subscriptionId + "'.");
    }
    return subscriber;
  }

  private AccessControl access() {
    return AccessControl.of(arm);
  }
}
