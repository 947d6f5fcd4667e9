package org.stackledger.usersubscriptions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.stackledger.arm.Preconditions;
import org.stackledger.arm.ResourceId;
import org.stackledger.http.Json;
import org.stackledger.problem.Problem;
import org.stackledger.store.Database;

/**
 * The deployment's plans and offers ({@code stack_offerings}) and which plans each offer is built on
 * ({@code stack_offer_base_plans}). Each write checks {@code If-Match}/{@code If-None-Match} in its own
 * transaction; the references are checked there too, so an offer never names a deleted plan.
 */
final class Offerings {
  private final Jdbi jdbi;
  private final Clock clock;

  Offerings(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  Optional<Offering> find(ResourceId id) {
    return jdbi.withHandle(h -> find(h, id.key()));
  }

  private static Optional<Offering> find(Handle h, String key) {
    return h.createQuery("SELECT * FROM stack_offerings WHERE resource_key = :k").bind("k", key)
        .map(Offerings::row).findOne();
  }

  /** A page of one kind in a subscription, or in one of its resource groups when {@code group} is given. */
  List<Offering> list(Offering.Kind kind, String subscriptionId, Optional<String> group, String afterKey, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM stack_offerings WHERE kind = :kind AND subscription_id = :s "
            + (group.isPresent() ? "AND resource_group_key = :g " : "") + "AND resource_key > :after "
            + "ORDER BY resource_key FETCH FIRST :limit ROWS ONLY")
        .bind("kind", kind.segment).bind("s", subscriptionId).bind("g", group.map(Offerings::lower).orElse(""))
        .bind("after", afterKey).bind("limit", limit).map(Offerings::row).list());
  }

  public record Put(Offering offering, boolean created) {}

  /**
   * Creates or replaces a plan or offer. {@code basePlans} (offers only) are the keys of the plans it
   * is built on, already checked to exist; they are checked again here, under the write's transaction.
   */
  Put put(ResourceId id, Offering.Kind kind, String location, ObjectNode properties, List<ResourceId> basePlans,
      Preconditions conditions) {
    return raced(() -> jdbi.inTransaction(h -> {
      Optional<Offering> was = h.createQuery("SELECT * FROM stack_offerings WHERE resource_key = :k FOR UPDATE")
          .bind("k", id.key()).map(Offerings::row).findOne();
      conditions.check(was.map(Offering::etag).orElse(null));
      for (int i = 0; i < basePlans.size(); i++) {
        if (find(h, basePlans.get(i).key()).filter(p -> p.kind() == Offering.Kind.PLANS).isEmpty()) {
          throw OfferingWrites.planNotFound(i, basePlans.get(i).toString());
        }
      }
      String etag = "\"" + UUID.randomUUID().toString().replace("-", "") + "\"";
      OffsetDateTime now = now();
      if (was.isPresent()) {
        h.createUpdate("UPDATE stack_offerings SET location = :l, properties = :p, etag = :e, changed_at = :now "
                + "WHERE resource_key = :k")
            .bind("l", location).bind("p", Json.text(properties)).bind("e", etag).bind("now", now).bind("k", id.key())
            .execute();
      } else {
        h.createUpdate("INSERT INTO stack_offerings (resource_key, resource_id, kind, subscription_id, resource_group_key, "
                + "name, location, properties, etag, created_at, changed_at) VALUES (:k, :id, :kind, :s, :g, :n, :l, :p, "
                + ":e, :now, :now)")
            .bind("k", id.key()).bind("id", id.toString()).bind("kind", kind.segment).bind("s", id.subscriptionId())
            .bind("g", lower(id.resourceGroup().orElseThrow())).bind("n", id.name()).bind("l", location)
            .bind("p", Json.text(properties)).bind("e", etag).bind("now", now).execute();
      }
      h.createUpdate("DELETE FROM stack_offer_base_plans WHERE offer_key = :k").bind("k", id.key()).execute();
      for (int i = 0; i < basePlans.size(); i++) {
        h.createUpdate("INSERT INTO stack_offer_base_plans (offer_key, plan_key, position) VALUES (:o, :p, :i)")
            .bind("o", id.key()).bind("p", basePlans.get(i).key()).bind("i", i).execute();
      }
      return new Put(find(h, id.key()).orElseThrow(), was.isEmpty());
    }));
  }

  /**
   * Runs a write whose checks a concurrent write may overtake (two creates of one id, a plan deleted
   * while an offer is built on it): the store's keys keep one, and the other learns it lost with a 409.
   */
  static <T> T raced(java.util.function.Supplier<T> write) {
    try {
      return write.get();
    } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
      if (!Database.isIntegrityViolation(e)) {
        throw e;
      }
      throw Problem.conflict("Conflict", "Another request changed this resource, or one it refers to, at the "
          + "same time. Read it again and retry.");
    }
  }

  /**
   * Deletes a plan or offer; false when there was none. A plan an offer is built on, or an offer a
   * user subscription was made from (in any state: usage of deleted subscriptions is still read), is
   * a 409 and stays.
   */
  boolean delete(ResourceId id, Preconditions conditions) {
    return raced(() -> jdbi.inTransaction(h -> {
      Optional<Offering> was = h.createQuery("SELECT * FROM stack_offerings WHERE resource_key = :k FOR UPDATE")
          .bind("k", id.key()).map(Offerings::row).findOne();
      conditions.check(was.map(Offering::etag).orElse(null));
      if (was.isEmpty()) {
        return false;
      }
      List<String> offers = h.createQuery("SELECT o.resource_id FROM stack_offer_base_plans b JOIN stack_offerings o "
              + "ON o.resource_key = b.offer_key WHERE b.plan_key = :k ORDER BY o.resource_key")
          .bind("k", id.key()).mapTo(String.class).list();
      if (!offers.isEmpty()) {
        throw Problem.conflict("PlanInUse", "The plan '" + id.name() + "' is a base plan of " + offers.size()
            + " offer(s), e.g. '" + offers.get(0) + "'. Remove it from those offers first.");
      }
      long subscriptions = h.createQuery("SELECT COUNT(*) FROM user_subscriptions WHERE offer_key = :k")
          .bind("k", id.key()).mapTo(Long.class).one();
      if (subscriptions > 0) {
        throw Problem.conflict("OfferInUse", "The offer '" + id.name() + "' has " + subscriptions
            + " subscription(s), deleted ones included, whose usage is still reported. Set its state to "
            + "Decommissioned instead.");
      }
      h.createUpdate("DELETE FROM stack_offerings WHERE resource_key = :k").bind("k", id.key()).execute();
      return true;
    }));
  }

  private OffsetDateTime now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
  }

  private static String lower(String s) {
    return s.toLowerCase(java.util.Locale.ROOT);
  }

  private static Offering row(ResultSet rs, StatementContext ctx) throws SQLException {
    Offering.Kind kind = rs.getString("kind").equals(Offering.Kind.PLANS.segment) ? Offering.Kind.PLANS
        : Offering.Kind.OFFERS;
    return new Offering(rs.getString("resource_id"), kind, rs.getString("location"),
        Json.parseObject(rs.getString("properties")), rs.getString("etag"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }
}
