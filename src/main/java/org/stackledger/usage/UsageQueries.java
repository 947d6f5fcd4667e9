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
 * so a continuation stays exact however much usage keeps arriving. It reads for no caller: a caller's
 * reads go through {@link UsageReads}, which checks the caller first.
 */
public final class UsageQueries {
  /** The period a usage row covers: a reported hour or a reported day (UTC). */
  public enum Granularity {
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

  /**
   * One aggregate: a subscription's use of a meter by one resource instance in one period — or, in a
   * summary ({@code showDetails=false}), by all its instances, with an empty instance key and no
   * instance data.
   */
  public record Row(String subscriptionId, Instant periodStart, String meterId, String instanceKey, String instanceData,
      BigDecimal quantity) {}

  /** Where a page ends; the next page starts after it. */
  public record Position(Instant period, String subscriptionId, String meterId, String instanceKey) {
    static Position of(Row row) {
      return new Position(row.periodStart(), row.subscriptionId(), row.meterId(), row.instanceKey());
    }
  }

  /** A page of rows, and where the next one starts ({@code null} on the last page). */
  public record Page(List<Row> rows, Position next) {}

  private final Jdbi jdbi;

  UsageQueries(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** One subscription's usage, by period, meter and instance (or by period and meter in a summary). */
  Page subscription(String subscriptionId, Instant from, Instant to, Granularity g, boolean summary, Position after,
      int limit) {
    String sql = "SELECT subscription_id, " + g.period + ", aggregates FROM " + g.table
        + " WHERE subscription_id = :sub AND " + g.period + " >= :from AND " + g.period + " < :to"
        + (after == null ? "" : " AND " + g.period + " >= :p")
        + " ORDER BY subscription_id, " + g.period + " LIMIT :limit";
    return page(sql, q -> q.bind("sub", subscriptionId), from, to, after, false, summary, limit);
  }

  /**
   * The usage of a provider's direct tenants (or of one of them), by period, subscription, meter and
   * instance. Direct tenancy is the user subscription's provider subscription; deleted tenants
   * stay included, as their usage must stay readable.
   */
  Page directTenants(String providerSubscriptionId, String subscriberId, Instant from, Instant to, Granularity g,
      boolean summary, Position after, int limit) {
    String sql = "SELECT a.subscription_id, a." + g.period + ", a.aggregates FROM " + g.table
        + " a JOIN user_subscriptions u ON u.subscription_id = a.subscription_id "
        + "WHERE u.provider_subscription_id = :provider AND a." + g.period + " >= :from AND a." + g.period + " < :to"
        + (subscriberId == null ? "" : " AND a.subscription_id = :subscriber")
        + (after == null ? "" : " AND (a." + g.period + " > :p OR (a." + g.period + " = :p AND a.subscription_id >= :s))")
        + " ORDER BY a." + g.period + ", a.subscription_id LIMIT :limit";
    return page(sql, q -> {
      q.bind("provider", providerSubscriptionId);
      if (subscriberId != null) {
        q.bind("subscriber", subscriberId);
      }
    }, from, to, after, true, summary, limit);
  }

  /** Whether the subscription is a direct tenant of the provider subscription (deleted or not). */
  boolean isDirectTenant(String providerSubscriptionId, String subscriptionId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM user_subscriptions "
            + "WHERE subscription_id = :s AND provider_subscription_id = :p")
        .bind("s", subscriptionId).bind("p", providerSubscriptionId).mapTo(Integer.class).one() > 0);
  }

  /** The entries, sorted by meter, summed per meter under an empty instance key. */
  private static List<AggregateCodec.Entry> byMeter(List<AggregateCodec.Entry> sorted) {
    List<AggregateCodec.Entry> out = new java.util.ArrayList<>();
    String meter = null;
    BigDecimal sum = null;
    for (AggregateCodec.Entry e : sorted) {
      if (!e.meterId().equals(meter)) {
        if (meter != null) {
          out.add(new AggregateCodec.Entry(meter, "", sum));
        }
        meter = e.meterId();
        sum = BigDecimal.ZERO;
      }
      sum = sum.add(e.quantity());
    }
    if (meter != null) {
      out.add(new AggregateCodec.Entry(meter, "", sum));
    }
    return out;
  }

  /** A stored row: one subscription's aggregates for one period. */
  private record Stored(String subscriptionId, Instant period, byte[] aggregates) {}

  /**
   * Reads period rows in order and unpacks their aggregates until a page is full. Every row holds at
   * least one aggregate, so a bounded number of rows is always enough; the row the previous page
   * ended in is resumed after its last aggregate. A summary sums each stored row's entries per meter
   * first (they are sorted by meter), so a page never ends inside a meter's sum.
   */
  private Page page(String sql, java.util.function.Consumer<Query> binds, Instant from, Instant to, Position after,
      boolean bySubscription, boolean summary, int limit) {
    List<Row> rows = jdbi.withHandle(h -> {
      // limit + 1 aggregates tell whether there is a next page; the row a page resumes in may have
      // none left, so one row more than that.
      Query q = h.createQuery(sql).bind("from", JdbcUsageLog.utc(from)).bind("to", JdbcUsageLog.utc(to))
          .bind("limit", limit + 2);
      binds.accept(q);
      if (after != null) {
        q.bind("p", JdbcUsageLog.utc(after.period()));
        if (bySubscription) {
          q.bind("s", after.subscriptionId());
        }
      }
      List<Stored> stored = q.map((rs, ctx) -> new Stored(rs.getString(1),
          rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getBytes(3))).list();
      List<Row> found = new java.util.ArrayList<>();
      for (Stored row : stored) {
        boolean resumed = after != null && row.period().equals(after.period())
            && row.subscriptionId().equals(after.subscriptionId());
        List<AggregateCodec.Entry> entries = AggregateCodec.read(row.aggregates());
        for (AggregateCodec.Entry e : summary ? byMeter(entries) : entries) {
          if (resumed && e.compareTo(new AggregateCodec.Entry(after.meterId(), after.instanceKey(), null)) <= 0) {
            continue;
          }
          found.add(new Row(row.subscriptionId(), row.period(), e.meterId(), e.instanceKey(), null, e.quantity()));
          if (found.size() > limit) {
            break;
          }
        }
        if (found.size() > limit) {
          break;
        }
      }
      if (found.isEmpty() || summary) {
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
