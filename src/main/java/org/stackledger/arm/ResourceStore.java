package org.stackledger.arm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.stackledger.http.Json;
import org.stackledger.problem.Problem;

/**
 * Stores ARM resources of every type, resource groups included, in one table. Each call takes the
 * subscription it works in, the unit of isolation in Resource Manager, so no query can wander into
 * another subscription's resources. Writes run the registered {@link WriteGuard}s and the ETag
 * preconditions in the same transaction as the change.
 */
public final class ResourceStore {
  private final Jdbi jdbi;
  private final Clock clock;
  private final List<WriteGuard> guards = new CopyOnWriteArrayList<>();
  private final List<DeleteListener> deleteListeners = new CopyOnWriteArrayList<>();

  public ResourceStore(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  public void addGuard(WriteGuard guard) {
    guards.add(guard);
  }

  /**
   * Work a feature does in a delete's own transaction, after the rows are gone: a resource type that
   * keeps state outside this table (history, bindings) ends it here, whether the resource itself, its
   * parent or its resource group was deleted.
   */
  @FunctionalInterface
  public interface DeleteListener {
    /** {@code deleted} is the id the delete named; everything whose key starts with its key is gone too. */
    void deleted(Handle handle, ResourceId deleted);
  }

  public void addDeleteListener(DeleteListener listener) {
    deleteListeners.add(listener);
  }

  /** A read-only look at the store from inside a write's transaction, for {@link WriteGuard}s. */
  public interface View {
    /** Resources of one type directly beneath a parent (a scope or a resource). */
    List<ArmResource> children(ResourceId parent, String type);
  }

  private static View view(Handle h) {
    return (parent, type) -> h.createQuery("SELECT * FROM arm_resources WHERE parent_key = :parent AND type_key = :type "
            + "ORDER BY resource_key")
        .bind("parent", parent.key()).bind("type", type.toLowerCase(Locale.ROOT)).map(ResourceStore::row).list();
  }

  /** The outcome of a PUT: the stored resource and whether it was created. */
  public record PutResult(ArmResource resource, boolean created) {}

  public Optional<ArmResource> get(String subscriptionId, ResourceId id) {
    requireSame(subscriptionId, id);
    return jdbi.withHandle(h -> find(h, id));
  }

  private Optional<ArmResource> find(Handle h, ResourceId id) {
    return h.createQuery("SELECT * FROM arm_resources WHERE resource_key = :key")
        .bind("key", id.key())
        .map(ResourceStore::row)
        .findOne();
  }

  /**
   * Creates or replaces a resource. The type's own validation has already run; the body is stored
   * as given.
   */
  public PutResult put(String subscriptionId, ResourceId id, String type, ObjectNode body, Preconditions conditions) {
    return jdbi.inTransaction(h -> put(h, subscriptionId, id, type, body, conditions));
  }

  /** {@link #put(String, ResourceId, String, ObjectNode, Preconditions)} inside the caller's transaction. */
  public PutResult put(Handle h, String subscriptionId, ResourceId id, String type, ObjectNode body,
      Preconditions conditions) {
    requireSame(subscriptionId, id);
    Optional<ArmResource> current = h.createQuery("SELECT * FROM arm_resources WHERE resource_key = :key FOR UPDATE")
        .bind("key", id.key()).map(ResourceStore::row).findOne();
    conditions.check(current.map(ArmResource::etag).orElse(null));
    for (WriteGuard guard : guards) {
      guard.check(view(h), id, WriteGuard.Action.WRITE);
    }
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    String etag = "\"" + UUID.randomUUID().toString().replace("-", "") + "\"";
    if (current.isPresent()) {
      h.createUpdate("UPDATE arm_resources SET body = :body, etag = :etag, changed_at = :now WHERE resource_key = :key")
          .bind("body", Json.text(body)).bind("etag", etag).bind("now", now).bind("key", id.key()).execute();
      ArmResource was = current.get();
      return new PutResult(new ArmResource(was.id(), was.type(), etag, body, was.createdAt(), now.toInstant()), false);
    }
    h.createUpdate("INSERT INTO arm_resources (resource_key, resource_id, subscription_id, resource_group_key, "
            + "parent_key, type_key, name, body, etag, created_at, changed_at) VALUES (:key, :id, :sub, :rg, :parent, "
            + ":type, :name, :body, :etag, :now, :now)")
        .bind("key", id.key()).bind("id", id.toString()).bind("sub", subscriptionId)
        .bind("rg", id.resourceGroup().map(g -> g.toLowerCase(Locale.ROOT)).orElse(null))
        .bind("parent", id.parent().key()).bind("type", type.toLowerCase(Locale.ROOT)).bind("name", id.name())
        .bind("body", Json.text(body)).bind("etag", etag).bind("now", now).execute();
    return new PutResult(new ArmResource(id, type, etag, body, now.toInstant(), now.toInstant()), true);
  }

  /**
   * Deletes a resource and everything beneath it (children, and for a resource group every resource
   * in it). Answers false when there was nothing to delete.
   */
  public boolean delete(String subscriptionId, ResourceId id, Preconditions conditions) {
    return jdbi.inTransaction(h -> delete(h, subscriptionId, id, conditions));
  }

  /** {@link #delete(String, ResourceId, Preconditions)} inside the caller's transaction. */
  public boolean delete(Handle h, String subscriptionId, ResourceId id, Preconditions conditions) {
    requireSame(subscriptionId, id);
    Optional<ArmResource> current = h.createQuery("SELECT * FROM arm_resources WHERE resource_key = :key FOR UPDATE")
        .bind("key", id.key()).map(ResourceStore::row).findOne();
    conditions.check(current.map(ArmResource::etag).orElse(null));
    if (current.isEmpty()) {
      return false;
    }
    for (WriteGuard guard : guards) {
      guard.check(view(h), id, WriteGuard.Action.DELETE);
    }
    h.createUpdate("DELETE FROM arm_resources WHERE subscription_id = :sub AND (resource_key = :key OR "
            + "resource_key LIKE :prefix ESCAPE '!')")
        .bind("sub", subscriptionId).bind("key", id.key()).bind("prefix", likePrefix(id.key()) + "/%").execute();
    for (DeleteListener listener : deleteListeners) {
      listener.deleted(h, id);
    }
    return true;
  }

  /** Resources of one type directly beneath a parent (a scope or a resource), in key order. */
  public List<ArmResource> list(String subscriptionId, ResourceId parent, String type, Paging.Cursor cursor) {
    requireSame(subscriptionId, parent);
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM arm_resources WHERE parent_key = :parent AND "
            + "type_key = :type AND resource_key > :after ORDER BY resource_key LIMIT :limit")
        .bind("parent", parent.key()).bind("type", type.toLowerCase(Locale.ROOT))
        .bind("after", cursor.afterKey().orElse("")).bind("limit", cursor.limit() + 1)
        .map(ResourceStore::row).list());
  }

  /**
   * Every resource inside a scope except resource groups themselves: a subscription, or one
   * resource group when {@code resourceGroup} is given.
   */
  public List<ArmResource> listInScope(String subscriptionId, Optional<String> resourceGroup, Paging.Cursor cursor) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM arm_resources WHERE subscription_id = :sub AND "
            + "type_key <> 'microsoft.resources/resourcegroups' "
            + (resourceGroup.isPresent() ? "AND resource_group_key = :rg " : "")
            + "AND resource_key > :after ORDER BY resource_key LIMIT :limit")
        .bind("sub", subscriptionId).bind("rg", resourceGroup.map(g -> g.toLowerCase(Locale.ROOT)).orElse(null))
        .bind("after", cursor.afterKey().orElse("")).bind("limit", cursor.limit() + 1)
        .map(ResourceStore::row).list());
  }

  /** {@code key} escaped for a {@code LIKE ... ESCAPE '!'} pattern. */
  public static String likePrefix(String key) {
    return key.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  private static void requireSame(String subscriptionId, ResourceId id) {
    if (!id.subscriptionId().equalsIgnoreCase(subscriptionId)) {
      throw Problem.notFound("ResourceNotFound", "The resource '" + id + "' was not found.");
    }
  }

  private static ArmResource row(ResultSet rs, StatementContext ctx) throws SQLException {
    return new ArmResource(ResourceId.parse(rs.getString("resource_id")), typeOf(rs),
        rs.getString("etag"), Json.parseObject(rs.getString("body")),
        instant(rs, "created_at"), instant(rs, "changed_at"));
  }

  private static String typeOf(ResultSet rs) throws SQLException {
    // The canonical spelling comes from the id itself; the stored key is lower-case.
    return ResourceId.parse(rs.getString("resource_id")).type();
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }
}
