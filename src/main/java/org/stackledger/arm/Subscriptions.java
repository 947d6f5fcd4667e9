package org.stackledger.arm;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.stackledger.problem.Problem;

/**
 * The subscriptions Resource Manager knows. Partner Center and the operator create them; every ARM
 * route under {@code /subscriptions/{id}} first asks here whether the subscription exists, and a
 * missing one answers 404 {@code SubscriptionNotFound}.
 */
public final class Subscriptions {
  private final Jdbi jdbi;
  private final Clock clock;

  public Subscriptions(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  public Subscription create(String subscriptionId, String displayName, String tenantId) {
    return jdbi.withHandle(h -> create(h, subscriptionId, displayName, tenantId));
  }

  /** {@link #create(String, String, String)} inside the caller's transaction. */
  public Subscription create(Handle h, String subscriptionId, String displayName, String tenantId) {
    String id = ResourceId.checkSubscription(subscriptionId);
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    h.createUpdate("INSERT INTO subscriptions (subscription_id, display_name, tenant_id, state, "
            + "created_at) VALUES (:id, :name, :tenant, :state, :now)")
        .bind("id", id).bind("name", displayName).bind("tenant", tenantId.toLowerCase(Locale.ROOT))
        .bind("state", Subscription.State.Enabled.name()).bind("now", now).execute();
    return new Subscription(id, displayName, tenantId.toLowerCase(Locale.ROOT), Subscription.State.Enabled, now.toInstant());
  }

  /**
   * Renames a subscription and sets its state: for subscriptions another provider manages (a
   * deployment's user subscriptions), whose state access control must see. False when unknown.
   */
  public boolean update(String subscriptionId, String displayName, Subscription.State state) {
    return jdbi.withHandle(h -> update(h, subscriptionId, displayName, state));
  }

  /** {@link #update(String, String, Subscription.State)} inside the caller's transaction. */
  public boolean update(Handle h, String subscriptionId, String displayName, Subscription.State state) {
    return h.createUpdate("UPDATE subscriptions SET display_name = :name, state = :state "
            + "WHERE subscription_id = :id")
        .bind("name", displayName).bind("state", state.name()).bind("id", subscriptionId.toLowerCase(Locale.ROOT))
        .execute() > 0;
  }

  public Optional<Subscription> find(String subscriptionId) {
    return jdbi.withHandle(h -> find(h, subscriptionId));
  }

  /** {@link #find(String)} inside the caller's transaction. */
  public Optional<Subscription> find(Handle h, String subscriptionId) {
    return h.createQuery("SELECT * FROM subscriptions WHERE subscription_id = :id")
        .bind("id", subscriptionId.toLowerCase(Locale.ROOT)).map(Subscriptions::row).findOne();
  }

  /** The subscription of a route's {@code {subscriptionId}}: 400 if malformed, 404 if unknown. */
  public Subscription require(String subscriptionId) {
    String id = ResourceId.checkSubscription(subscriptionId);
    return find(id).orElseThrow(() -> Problem.notFound("SubscriptionNotFound",
        "The subscription '" + id + "' could not be found."));
  }

  public List<Subscription> list(Paging.Cursor cursor) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM subscriptions WHERE subscription_id > :after "
            + "ORDER BY subscription_id LIMIT :limit")
        .bind("after", cursor.afterKey().orElse("")).bind("limit", cursor.limit() + 1)
        .map(Subscriptions::row).list());
  }

  public boolean isEmpty() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM subscriptions").mapTo(Long.class).one()) == 0;
  }

  private static Subscription row(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Subscription(rs.getString("subscription_id"), rs.getString("display_name"), rs.getString("tenant_id"),
        Subscription.State.valueOf(rs.getString("state")), rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }
}
