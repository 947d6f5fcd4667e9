package org.stackledger.testing;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.stackledger.csp.CspSubscriptions;
import org.stackledger.csp.OfferIds;

/**
 * A stand-in for Partner Center at the boundary we model as remote: subscriptions kept in a map, and
 * a switch that makes every look-up fail as an unreachable Partner Center would.
 */
public final class FakePartnerCenter implements CspSubscriptions {
  private final Map<String, CspSubscription> subscriptions = new ConcurrentHashMap<>();
  private volatile boolean down;
  private final AtomicInteger lookUps = new AtomicInteger();

  /** Adds (or replaces) a CSP subscription of a partner in a tenant. */
  public FakePartnerCenter csp(String subscriptionId, String tenantId, String billingPartnerId) {
    return add(new CspSubscription(subscriptionId, OfferIds.CSP, tenantId, billingPartnerId, "Active"));
  }

  public FakePartnerCenter add(CspSubscription subscription) {
    subscriptions.put(subscription.subscriptionId().toLowerCase(Locale.ROOT), subscription);
    return this;
  }

  /** While down, every look-up throws {@link UnavailableException}. */
  public void down(boolean isDown) {
    this.down = isDown;
  }

  public int lookUps() {
    return lookUps.get();
  }

  @Override
  public Optional<CspSubscription> find(String subscriptionId) {
    lookUps.incrementAndGet();
    if (down) {
      throw new UnavailableException("Partner Center did not answer (test switch)", null);
    }
    return Optional.ofNullable(subscriptions.get(subscriptionId.toLowerCase(Locale.ROOT)));
  }
}
