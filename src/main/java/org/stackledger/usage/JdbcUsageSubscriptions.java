package org.stackledger.usage;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The states of user subscriptions, read from the deployment's {@code user_subscriptions} table in
 * one query a batch: a thousand events name a few hundred subscriptions at most, and the intake
 * must see a deletion at once, so nothing is cached. The ids go as one array parameter ({@code = ANY}),
 * so the statement's text is the same for every batch and the database plans it once per connection:
 * an {@code IN} list of a batch's hundred ids was a new statement to parse and plan for every batch.
 */
public final class JdbcUsageSubscriptions implements UsageSubscriptions {
  private static final String STATES = "SELECT subscription_id, state FROM user_subscriptions "
      + "WHERE subscription_id = ANY (:ids)";

  private final Jdbi jdbi;

  public JdbcUsageSubscriptions(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public Map<String, String> states(Collection<String> subscriptionIds) {
    Map<String, String> out = new HashMap<>();
    if (subscriptionIds.isEmpty()) {
      return out;
    }
    jdbi.useHandle(h -> h.createQuery(STATES).bindArray("ids", String.class, subscriptionIds)
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }
}
