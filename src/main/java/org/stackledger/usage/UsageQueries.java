package org.stackledger.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Reads aggregates for the usage APIs, a page at a time in a fixed order, resuming after the last
 * row of the previous page (keyset). Only closed, folded periods are read, and those never change,
 * so a continuation stays exact however much usage keeps arriving.
 */
final class UsageQueries {
  enum Granularity {
    HOURLY("usage_hourly", "reported_hour", ChronoUnit.HOURS),
    DAILY("usage_daily", "reported_day", ChronoUnit.DAYS);

    final String table;
    final String period;
    final ChronoUnit unit;

    Granularity(String table, String period, ChronoUnit unit) {
      this.table = table;
      this.period = period;
      this.unit = unit;
    }
  }

  /** One aggregate: a subscription's use of a meter by one resource instance in one period. */
  record Row(String subscriptionId, Instant periodStart, String meterId, String instanceKey, String instanceData,
      BigDecimal quantity) {}

  /** Where a page ends; the next page starts after it. */
  record Position(Instant period, String subscriptionId, String meterId, String instanceKey) {
    static Position of(Row row) {
      return new Position(row.periodStart(), row.subscriptionId(), row.meterId(), row.instanceKey());
    }
  }

  record Page(List<Row> rows, Position next) {}

  private final Jdbi jdbi;

  UsageQueries(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** One subscription's usage, by period, meter and instance. */
  Page subscription(String subscriptionId, Instant from, Instant to, Granularity g, Position after, int limit) {
    String sql = "SELECT subscription_id, " + g.period + ", meter_id, instance_key, quantity FROM "
        + g.table + " WHERE subscription_id = :sub AND " + g.period + " >= :from AND " + g.period + " < :to"
        + (after == null ? "" : " AND (" + g.period + " > :p OR (" + g.period + " = :p AND (meter_id > :m "
            + "OR (meter_id = :m AND instance_key > :k))))")
        + " ORDER BY " + g.period + ", meter_id, instance_key LIMIT :limit";
    return page(sql, q -> q.bind("sub", subscriptionId), from, to, after, false, limit);
  }

  /**
   * The usage of a provider's direct tenants (or of one of them), by period, subscription, meter and
   * instance. Direct tenancy is the user subscription's provider subscription; deleted tenants
   * stay included, as their usage must stay readable.
   */
  Page directTenants(String providerSubscriptionId, String subscriberId, Instant from, Instant to, Granularity g,
      Position after, int limit) {
    String sql = "SELECT a.subscription_id, a." + g.period + ", a.meter_id, a.instance_key, "
        + "a.quantity FROM " + g.table + " a JOIN user_subscriptions u ON u.subscription_id = a.subscription_id "
        + "WHERE u.provider_subscription_id = :provider AND a." + g.period + " >= :from AND a." + g.period + " < :to"
        + (subscriberId == null ? "" : " AND a.subscription_id = :subscriber")
        + (after == null ? "" : " AND (a." + g.period + " > :p OR (a." + g.period + " = :p AND (a.subscription_id > :s "
            + "OR (a.subscription_id = :s AND (a.meter_id > :m OR (a.meter_id = :m AND a.instance_key > :k))))))")
        + " ORDER BY a." + g.period + ", a.subscription_id, a.meter_id, a.instance_key LIMIT :limit";
    return page(sql, q -> {
      q.bind("provider", providerSubscriptionId);
      if (subscriberId != null) {
        q.bind("subscriber", subscriberId);
      }
    }, from, to, after, true, limit);
  }

  /** Whether the subscription is a direct tenant of the provider subscription (deleted or not). */
  boolean isDirectTenant(String providerSubscriptionId, String subscriptionId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM user_subscriptions "
            + "WHERE subscription_id = :s AND provider_subscription_id = :p")
        .bind("s", subscriptionId).bind("p", providerSubscriptionId).mapTo(Integer.class).one() > 0);
  }

  private Page page(String sql, java.util.function.Consumer<Query> binds, Instant from, Instant to, Position after,
      boolean bySubscription, int limit) {
    List<Row> rows = jdbi.withHandle(h -> {
      Query q = h.createQuery(sql).bind("from", JdbcUsageLog.utc(from)).bind("to", JdbcUsageLog.utc(to))
          .bind("limit", limit + 1);
      binds.accept(q);
      if (after != null) {
        q.bind("p", JdbcUsageLog.utc(after.period())).bind("m", after.meterId()).bind("k", after.instanceKey());
        if (bySubscription) {
          q.bind("s", after.subscriptionId());
        }
      }
      List<Row> found = q.map((rs, ctx) -> new Row(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
          rs.getString(3), rs.getString(4), null, rs.getBigDecimal(5))).list();
      if (found.isEmpty()) {
        return found;
      }
      Map<String, String> data = new HashMap<>();
      h.createQuery("SELECT instance_key, instance_data FROM usage_instances WHERE instance_key IN (<keys>)")
          .bindList("keys", found.stream().map(Row::instanceKey).distinct().toList())
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).forEach(e -> data.put(e.getKey(), e.getValue()));
      return found.stream().map(r -> new Row(r.subscriptionId(), r.periodStart(), r.meterId(), r.instanceKey(),
          data.get(r.instanceKey()), r.quantity())).toList();
    });
    if (rows.size() > limit) {
      List<Row> page = rows.subList(0, limit);
      return new Page(page, Position.of(page.get(limit - 1)));
    }
    return new Page(rows, null);
  }
}
