package org.stackledger.usage;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * The states of user subscriptions, read from the deployment's {@code user_subscriptions} table in
 * one query a batch: a thousand events name a few hundred subscriptions at most, and the intake
 * must see a deletion at once, so nothing is cached.
 */
public final class JdbcUsageSubscriptions implements UsageSubscriptions {
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
    List<String> ids = List.copyOf(subscriptionIds);
    jdbi.useHandle(h -> h.createQuery("SELECT subscription_id, state FROM user_subscriptions "
            + "WHERE subscription_id IN (<ids>)")
        .bindList("ids", ids).map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
        .forEach(e -> out.put(e.getKey(), e.getValue())));
    return out;
  }
}
