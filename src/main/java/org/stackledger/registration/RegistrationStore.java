package org.stackledger.registration;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;
import org.jdbi.v3.core.statement.StatementContext;
import org.stackledger.access.RoleAssignment;
import org.stackledger.access.RoleAssignments;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.ResourceStore;

/**
 * What the provider keeps beside the ARM resources: each registration's CloudId binding (unique),
 * the periods each registration held its CloudId, and every customer-subscription mapping with the
 * instants it was in force. History rows are only ever closed, never changed otherwise or removed.
 * The methods taking a {@link Handle} run inside the caller's transaction.
 */
public final class RegistrationStore implements ResourceStore.DeleteListener {
  /** Why a mapping ended. */
  public enum EndedBy { Replaced, Removed, RegistrationDeleted }

  /** A registration's CloudId binding. */
  record Binding(String cloudId, String registrationKey, String registrationId, String subscriptionId,
      String bridgeObjectId) {}

  /** One mapping of a tenant onto a customer subscription; {@code effectiveTo} is null while in force. */
  public record Mapping(String tenantId, String customerSubscriptionId, String cloudId, Instant effectiveFrom,
      Instant effectiveTo, EndedBy endedBy) {}

  private final Jdbi jdbi;
  private final Clock clock;
  private final RoleAssignments roles;

  RegistrationStore(Jdbi jdbi, Clock clock, RoleAssignments roles) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.roles = roles;
  }

  Jdbi jdbi() {
    return jdbi;
  }

  /** Now, at the precision both engines store (microseconds), so a stored instant reads back equal. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  Optional<Binding> bindingOfCloud(Handle h, String cloudId) {
    return h.createQuery("SELECT * FROM registration_clouds WHERE cloud_id = :c").bind("c", cloudId)
        .map(RegistrationStore::binding).findOne();
  }

  Optional<Binding> bindingOf(Handle h, ResourceId registration) {
    return h.createQuery("SELECT * FROM registration_clouds WHERE registration_key = :k").bind("k", registration.key())
        .map(RegistrationStore::binding).findOne();
  }

  /** Binds a new registration to its CloudId and opens its period. */
  void bind(Handle h, ResourceId registration, String cloudId, String bridgeObjectId, Instant now) {
    h.createUpdate("INSERT INTO registration_clouds (cloud_id, registration_key, registration_id, subscription_id, "
            + "bridge_object_id, bound_at) VALUES (:c, :k, :id, :sub, :bridge, :now)")
        .bind("c", cloudId).bind("k", registration.key()).bind("id", registration.toString())
        .bind("sub", registration.subscriptionId()).bind("bridge", bridgeObjectId).bind("now", at(now)).execute();
    h.createUpdate("INSERT INTO registration_periods (cloud_id, registration_key, registration_id, subscription_id, "
            + "effective_from) VALUES (:c, :k, :id, :sub, :now)")
        .bind("c", cloudId).bind("k", registration.key()).bind("id", registration.toString())
        .bind("sub", registration.subscriptionId()).bind("now", at(now)).execute();
  }

  /** The registrations of a subscription in key order, after a key: what the subscription-wide list pages over. */
  List<ResourceId> registrationsIn(String subscriptionId, String afterKey, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT registration_id FROM registration_clouds WHERE subscription_id = :s "
            + "AND registration_key > :after ORDER BY registration_key LIMIT :limit")
        .bind("s", subscriptionId).bind("after", afterKey).bind("limit", limit).mapTo(String.class).list())
        .stream().map(ResourceId::parse).toList();
  }

  /** Takes the registration's row lock, so mapping changes on one registration happen one at a time. */
  void lockRegistration(Handle h, ResourceId registration) {
    h.createQuery("SELECT cloud_id FROM registration_clouds WHERE registration_key = :k FOR UPDATE")
        .bind("k", registration.key()).mapTo(String.class).findOne();
  }

  Optional<Mapping> openForTenant(Handle h, ResourceId registration, String tenantId) {
    return h.createQuery("SELECT * FROM customer_subscription_mappings WHERE registration_key = :k AND tenant_id = :t "
            + "AND effective_to IS NULL").bind("k", registration.key()).bind("t", tenantId)
        .map(RegistrationStore::mapping).findOne();
  }

  Optional<Mapping> openForResource(Handle h, ResourceId customerSubscription) {
    return h.createQuery("SELECT * FROM customer_subscription_mappings WHERE resource_key = :k AND effective_to IS NULL")
        .bind("k", customerSubscription.key()).map(RegistrationStore::mapping).findOne();
  }

  void open(Handle h, ResourceId customerSubscription, String cloudId, String tenantId, Instant now) {
    h.createUpdate("INSERT INTO customer_subscription_mappings (registration_key, resource_key, cloud_id, tenant_id, "
            + "customer_subscription_id, effective_from) VALUES (:reg, :k, :c, :t, :sub, :now)")
        .bind("reg", customerSubscription.parent().key()).bind("k", customerSubscription.key()).bind("c", cloudId)
        .bind("t", tenantId).bind("sub", customerSubscription.name().toLowerCase(java.util.Locale.ROOT))
        .bind("now", at(now)).execute();
  }

  /** Ends the open mapping of a customer subscription resource, if any. */
  void close(Handle h, ResourceId customerSubscription, Instant now, EndedBy why) {
    h.createUpdate("UPDATE customer_subscription_mappings SET effective_to = :now, ended_by = :why "
            + "WHERE resource_key = :k AND effective_to IS NULL")
        .bind("now", at(now)).bind("why", why.name()).bind("k", customerSubscription.key()).execute();
  }

  /**
   * A delete in the resource store: the resource, its registration or its resource group. Open
   * mappings beneath end ({@code Removed} for the mapping deleted itself, {@code RegistrationDeleted}
   * otherwise); registrations beneath free their CloudId, close their period and lose their bridge's
   * role assignment.
   */
  @Override
  public void deleted(Handle h, ResourceId id) {
    Instant now = now();
    String key = id.key();
    String prefix = ResourceStore.likePrefix(key) + "/%";
    h.createUpdate("UPDATE customer_subscription_mappings SET effective_to = :now, ended_by = CASE WHEN resource_key = :k "
            + "THEN 'Removed' ELSE 'RegistrationDeleted' END WHERE effective_to IS NULL AND (resource_key = :k OR "
            + "resource_key LIKE :prefix ESCAPE '!')")
        .bind("now", at(now)).bind("k", key).bind("prefix", prefix).execute();
    List<Binding> gone = h.createQuery("SELECT * FROM registration_clouds WHERE registration_key = :k OR "
            + "registration_key LIKE :prefix ESCAPE '!'")
        .bind("k", key).bind("prefix", prefix).map(RegistrationStore::binding).list();
    for (Binding b : gone) {
      h.createUpdate("UPDATE registration_periods SET effective_to = :now WHERE registration_key = :k "
              + "AND effective_to IS NULL").bind("now", at(now)).bind("k", b.registrationKey()).execute();
      h.createUpdate("DELETE FROM registration_clouds WHERE registration_key = :k").bind("k", b.registrationKey()).execute();
      for (RoleAssignment a : roles.forPrincipal(h, b.bridgeObjectId())) {
        if (a.scope().replaceAll("/{2,}", "/").equalsIgnoreCase(b.registrationId())) {
          roles.delete(h, a.scope(), a.assignmentId());
        }
      }
    }
  }

  /**
   * The mappings of a registration, oldest first: all of them, one tenant's, and/or those in force
   * at an instant.
   */
  List<Mapping> history(ResourceId registration, Optional<String> tenantId, Optional<Instant> inForceAt) {
    return jdbi.withHandle(h -> {
      Query q = h.createQuery("SELECT * FROM customer_subscription_mappings WHERE registration_key = :k"
          + (tenantId.isPresent() ? " AND tenant_id = :t" : "")
          + (inForceAt.isPresent() ? " AND effective_from <= :at AND (effective_to IS NULL OR effective_to > :at)" : "")
          + " ORDER BY mapping_id");
      q.bind("k", registration.key());
      tenantId.ifPresent(t -> q.bind("t", t));
      inForceAt.ifPresent(t -> q.bind("at", at(t)));
      return q.map(RegistrationStore::mapping).list();
    });
  }

  /**
   * Which Azure subscription pays for a directory tenant's usage on a deployment at an instant: the
   * customer subscription mapped for the tenant on the deployment's registration then, else that
   * registration's subscription; empty when no registration held the CloudId then.
   */
  public Optional<String> billedSubscription(String cloudId, String tenantId, Instant instant) {
    String cloud = cloudId.toLowerCase(java.util.Locale.ROOT);
    String tenant = tenantId.toLowerCase(java.util.Locale.ROOT);
    return jdbi.withHandle(h -> {
      Optional<String> mapped = h.createQuery("SELECT customer_subscription_id FROM customer_subscription_mappings "
              + "WHERE cloud_id = :c AND tenant_id = :t AND effective_from <= :at AND (effective_to IS NULL OR "
              + "effective_to > :at) ORDER BY effective_from DESC")
          .bind("c", cloud).bind("t", tenant).bind("at", at(instant)).mapTo(String.class).findFirst();
      if (mapped.isPresent()) {
        return mapped;
      }
      return h.createQuery("SELECT subscription_id FROM registration_periods WHERE cloud_id = :c AND "
              + "effective_from <= :at AND (effective_to IS NULL OR effective_to > :at) ORDER BY effective_from DESC")
          .bind("c", cloud).bind("at", at(instant)).mapTo(String.class).findFirst();
    });
  }

  /** A period in which a registration held a CloudId; {@code effectiveTo} is null while it holds it. */
  public record Period(String registrationId, String subscriptionId, Instant effectiveFrom, Instant effectiveTo) {}

  /**
   * Everything billing needs to attribute a deployment's usage at any instant: the periods its CloudId
   * was held by a registration and every tenant mapping ever made on it, each oldest first. Read once
   * per batch of usage and searched in memory, instead of two queries per record.
   */
  public record CloudHistory(String cloudId, List<Period> periods, List<Mapping> mappings) {}

  public CloudHistory cloudHistory(String cloudId) {
    String cloud = cloudId.toLowerCase(java.util.Locale.ROOT);
    return jdbi.withHandle(h -> new CloudHistory(cloud,
        h.createQuery("SELECT * FROM registration_periods WHERE cloud_id = :c ORDER BY effective_from, period_id")
            .bind("c", cloud).map((rs, ctx) -> {
              OffsetDateTime to = rs.getObject("effective_to", OffsetDateTime.class);
              return new Period(rs.getString("registration_id"), rs.getString("subscription_id"),
                  rs.getObject("effective_from", OffsetDateTime.class).toInstant(), to == null ? null : to.toInstant());
            }).list(),
        h.createQuery("SELECT * FROM customer_subscription_mappings WHERE cloud_id = :c ORDER BY effective_from, mapping_id")
            .bind("c", cloud).map(RegistrationStore::mapping).list()));
  }

  private static Binding binding(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Binding(rs.getString("cloud_id"), rs.getString("registration_key"), rs.getString("registration_id"),
        rs.getString("subscription_id"), rs.getString("bridge_object_id"));
  }

  private static Mapping mapping(ResultSet rs, StatementContext ctx) throws SQLException {
    OffsetDateTime to = rs.getObject("effective_to", OffsetDateTime.class);
    String why = rs.getString("ended_by");
    return new Mapping(rs.getString("tenant_id"), rs.getString("customer_subscription_id"), rs.getString("cloud_id"),
        rs.getObject("effective_from", OffsetDateTime.class).toInstant(), to == null ? null : to.toInstant(),
        why == null ? null : EndedBy.valueOf(why));
  }
}
