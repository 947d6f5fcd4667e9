package org.stackledger.usage;

import java.util.Collection;
import java.util.Map;

/** What the intake must know of user subscriptions: their state, by lower-case id. */
@FunctionalInterface
public interface UsageSubscriptions {
  /** The state (Enabled, Disabled, Deleted, …) of each of these subscriptions that exists. */
  Map<String, String> states(Collection<String> subscriptionIds);
}
