package org.stackledger.usersubscriptions;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.stackledger.access.RoleAssignment;
import org.stackledger.access.RoleAssignments;
import org.stackledger.access.RoleDefinition;
import org.stackledger.arm.Preconditions;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.Subscription;
import org.stackledger.arm.Subscriptions;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;

/**
 * The deployment's user (tenant) subscriptions, made from offers. A user subscription is never
 * removed: deleting one sets its state to {@code Deleted}, because its provider still reads its usage
 * afterwards. Each is mirrored as a row of the ARM {@code subscriptions} (same id, its directory tenant,
 * its state), in the same transaction, so that access control treats it as any other subscription;
 * every state it takes is kept in {@code user_subscription_states}.
 */
public final class UserSubscriptions {
  /** The states an operator may set. Warned and PastDue are Azure Commerce's billing states, not a deployment's. */
  static final List<String> STATES = List.of("Enabled", "Disabled", "Deleted");
  static final String DELETED = "Deleted";

  private final Jdbi jdbi;
  private final Clock clock;
  private final Subscriptions subscriptions;
  private final RoleAssignments roles;

  public UserSubscriptions(Jdbi jdbi, Clock clock, Subscriptions subscriptions, RoleAssignments roles) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.subscriptions = subscriptions;
    this.roles = roles;
  }

  /**
   * One user subscription. {@code providerSubscriptionId} is the subscription of the provider whose
   * direct tenant it is: the operator's provider subscription, or {@code delegatedProviderSubscriptionId}
   * when a delegated provider (itself a user subscription) resells it.
   */
  public record UserSubscription(String subscriptionId, String displayName, String owner, String tenantId,
      String offerId, String state, String providerSubscriptionId, String delegatedProviderSubscriptionId,
      Instant createdAt) {}

  /** A state a user subscription took, and when. */
  public record StateChange(String state, Instant changedAt) {}

  /** The user subscription with that id, in any state (Deleted included); ids compare case-insensitively. */
  public Optional<UserSubscription> find(String subscriptionId) {
    return stored(subscriptionId).map(Stored::subscription);
  }

  /** True when the subscription is a direct tenant of that provider (not a tenant of one of its tenants). */
  public boolean isDirectTenant(String providerSubscriptionId, String subscriptionId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM user_subscriptions WHERE provider_subscription_id = :p "
            + "AND subscription_id = :s")
        .bind("p", lower(providerSubscriptionId)).bind("s", lower(subscriptionId)).mapTo(Long.class).one() > 0);
  }

  /** A provider's direct tenants, in any state, by id. */
  public List<UserSubscription> directTenants(String providerSubscriptionId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM user_subscriptions WHERE provider_subscription_id = :p "
            + "ORDER BY subscription_id")
        .bind("p", lower(providerSubscriptionId)).map(UserSubscriptions::row).list())
        .stream().map(Stored::subscription).toList();
  }

  /** Every state the subscription took, oldest first; empty when there is no such subscription. */
  public List<StateChange> history(String subscriptionId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT state, changed_at FROM user_subscription_states "
            + "WHERE subscription_id = :s ORDER BY change_id")
        .bind("s", lower(subscriptionId))
        .map((rs, ctx) -> new StateChange(rs.getString("state"), rs.getObject("changed_at", OffsetDateTime.class).toInstant()))
        .list());
  }

  /** A stored subscription with the store's own fields. */
  public record Stored(UserSubscription subscription, String etag) {}

  Optional<Stored> stored(String subscriptionId) {
    return jdbi.withHandle(h -> stored(h, lower(subscriptionId), false));
  }

  private static Optional<Stored> stored(Handle h, String id, boolean lock) {
    return h.createQuery("SELECT * FROM user_subscriptions WHERE subscription_id = :s" + (lock ? " FOR UPDATE" : ""))
        .bind("s", id).map(UserSubscriptions::row).findOne();
  }

  /** A page of every user subscription of the deployment, by id, after {@code afterId}. */
  List<Stored> page(String afterId, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM user_subscriptions WHERE subscription_id > :after "
            + "ORDER BY subscription_id FETCH FIRST :limit ROWS ONLY")
        .bind("after", afterId).bind("limit", limit).map(UserSubscriptions::row).list());
  }

  /**
   * The caller's own user subscriptions, by id: in the caller's directory tenant, not deleted, and
   * holding a role in them. A root-scope role does not count: to a tenant a subscription is one's own.
   * The tenant endpoint and the console list a tenant's subscriptions with this.
   */
  public List<UserSubscription> own(Caller caller) {
    Set<String> ids = new TreeSet<>();
    for (RoleAssignment a : roles.forPrincipal(caller.objectId())) {
      String[] parts = a.scope().toLowerCase(Locale.ROOT).split("/");
      if (parts.length >= 3 && parts[1].equals("subscriptions")) {
        ids.add(parts[2]);
      }
    }
    return ownedIn(caller.tenantId(), ids);
  }

  /**
   * One of the caller's own user subscriptions ({@link #own}); anyone else's, or a deleted one, is
   * 404 {@code SubscriptionNotFound} exactly as one that never existed.
   */
  public UserSubscription own(Caller caller, String subscriptionId) {
    String id = ResourceId.checkSubscription(subscriptionId);
    return own(caller).stream().filter(s -> s.subscriptionId().equals(id)).findFirst()
        .orElseThrow(() -> Problem.notFound("SubscriptionNotFound", "The subscription '" + id + "' could not be found."));
  }

  /** The subscriptions among {@code ids} that live in {@code tenantId} and are not deleted: a tenant's own. */
  private List<UserSubscription> ownedIn(String tenantId, Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM user_subscriptions WHERE tenant_id = :t AND state <> :deleted "
            + "AND subscription_id IN (<ids>) ORDER BY subscription_id")
        .bind("t", lower(tenantId)).bind("deleted", DELETED).bindList("ids", List.copyOf(ids))
        .map(UserSubscriptions::row).list()).stream().map(Stored::subscription).toList();
  }

  /** What a PUT asks for, validated; {@code ownerObjectId} is the owner resolved in the built-in directory, if any. */
  record Change(UserSubscription subscription, String offerKey, String ownerObjectId) {}

  public record Put(Stored stored, boolean created) {}

  /**
   * Creates or updates a user subscription and its ARM subscription, records a state change and
   * makes the owner an Owner of {@code /subscriptions/{id}}, all in one transaction.
   */
  Put put(Change change, Preconditions conditions) {
    UserSubscription s = change.subscription();
    return Offerings.raced(() -> jdbi.inTransaction(h -> {
      Optional<Stored> was = stored(h, s.subscriptionId(), true);
      conditions.check(was.map(Stored::etag).orElse(null));
      if (was.isPresent() && was.get().subscription().state().equals(DELETED)) {
        throw Problem.conflict("SubscriptionDeleted", "The subscription '" + s.subscriptionId()
            + "' is deleted; it is kept for its usage and takes no changes.");
      }
      OffsetDateTime now = now();
      String etag = "\"" + UUID.randomUUID().toString().replace("-", "") + "\"";
      if (was.isEmpty()) {
        if (subscriptions.find(h, s.subscriptionId()).isPresent()) {
          throw Problem.conflict("SubscriptionAlreadyExists", "The subscription id '" + s.subscriptionId()
              + "' is already taken by another subscription.");
        }
        subscriptions.create(h, s.subscriptionId(), s.displayName(), s.tenantId());
        h.createUpdate("INSERT INTO user_subscriptions (subscription_id, display_name, owner, tenant_id, offer_key, offer_id, "
                + "state, provider_subscription_id, delegated_provider_subscription_id, etag, created_at, changed_at) "
                + "VALUES (:id, :name, :owner, :tenant, :offerKey, :offer, :state, :provider, :delegated, :etag, :now, :now)")
            .bind("id", s.subscriptionId()).bind("name", s.displayName()).bind("owner", s.owner())
            .bind("tenant", s.tenantId()).bind("offerKey", change.offerKey()).bind("offer", s.offerId())
            .bind("state", s.state()).bind("provider", s.providerSubscriptionId())
            .bind("delegated", s.delegatedProviderSubscriptionId()).bind("etag", etag).bind("now", now).execute();
      } else {
        h.createUpdate("UPDATE user_subscriptions SET display_name = :name, owner = :owner, offer_key = :offerKey, "
                + "offer_id = :offer, state = :state, etag = :etag, changed_at = :now WHERE subscription_id = :id")
            .bind("id", s.subscriptionId()).bind("name", s.displayName()).bind("owner", s.owner())
            .bind("offerKey", change.offerKey()).bind("offer", s.offerId()).bind("state", s.state())
            .bind("etag", etag).bind("now", now).execute();
      }
      subscriptions.update(h, s.subscriptionId(), s.displayName(), Subscription.State.valueOf(s.state()));
      if (was.isEmpty() || !was.get().subscription().state().equals(s.state())) {
        recordState(h, s.subscriptionId(), s.state(), now);
      }
      if (change.ownerObjectId() != null) {
        makeOwner(h, s.subscriptionId(), change.ownerObjectId());
      }
      return new Put(stored(h, s.subscriptionId(), false).orElseThrow(), was.isEmpty());
    }));
  }

  /** Sets the state to Deleted (the row stays); false when there is no such subscription or it is already deleted. */
  boolean delete(String subscriptionId, Preconditions conditions) {
    String id = lower(subscriptionId);
    return jdbi.inTransaction(h -> {
      Optional<Stored> was = stored(h, id, true);
      conditions.check(was.map(Stored::etag).orElse(null));
      if (was.isEmpty() || was.get().subscription().state().equals(DELETED)) {
        return false;
      }
      OffsetDateTime now = now();
      h.createUpdate("UPDATE user_subscriptions SET state = :state, etag = :etag, changed_at = :now WHERE subscription_id = :id")
          .bind("state", DELETED).bind("etag", "\"" + UUID.randomUUID().toString().replace("-", "") + "\"")
          .bind("now", now).bind("id", id).execute();
      subscriptions.update(h, id, was.get().subscription().displayName(), Subscription.State.Deleted);
      recordState(h, id, DELETED, now);
      return true;
    });
  }

  private static void recordState(Handle h, String id, String state, OffsetDateTime at) {
    h.createUpdate("INSERT INTO user_subscription_states (subscription_id, state, changed_at) VALUES (:id, :state, :at)")
        .bind("id", id).bind("state", state).bind("at", at).execute();
  }

  /** Owner at the subscription, once: a second PUT naming the same owner finds the assignment there. */
  private void makeOwner(Handle h, String subscriptionId, String objectId) {
    String scope = "/subscriptions/" + subscriptionId;
    boolean held = roles.forPrincipal(h, objectId).stream().anyMatch(a -> lower(a.scope()).equals(scope)
        && a.roleDefinitionId().equals(RoleDefinition.OWNER.id()));
    if (!held) {
      roles.assign(h, UUID.nameUUIDFromBytes((scope + "/owner/" + objectId).getBytes(java.nio.charset.StandardCharsets.UTF_8))
          .toString(), scope, RoleDefinition.OWNER, objectId, "User");
    }
  }

  private OffsetDateTime now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  private static Stored row(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Stored(new UserSubscription(rs.getString("subscription_id"), rs.getString("display_name"),
        rs.getString("owner"), rs.getString("tenant_id"), rs.getString("offer_id"), rs.getString("state"),
        rs.getString("provider_subscription_id"), rs.getString("delegated_provider_subscription_id"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant()), rs.getString("etag"));
  }
}
