package org.stackledger.access;

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

/** The role assignments, kept in {@code role_assignments}. */
public final class RoleAssignments {
  private final Jdbi jdbi;
  private final Clock clock;

  public RoleAssignments(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  static String scopeKey(String scope) {
    String s = scope.replaceAll("/{2,}", "/");
    if (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    return s.toLowerCase(Locale.ROOT);
  }

  private static String subscriptionOf(String scopeKey) {
    String[] parts = scopeKey.split("/");
    return parts.length >= 3 && parts[1].equals("subscriptions") ? parts[2] : null;
  }

  /**
   * Records an assignment. The same role for the same principal at the same scope under another
   * name is a 409 {@code RoleAssignmentExists}; a different assignment under a taken name is a 409
   * {@code RoleAssignmentUpdateNotPermitted}.
   *
   * @return the assignment and whether it was created (false: it already existed as given)
   */
  public Created assign(String assignmentId, String scope, RoleDefinition role, String principalId, String principalType) {
    return jdbi.inTransaction(h -> assign(h, assignmentId, scope, role, principalId, principalType));
  }

  /** {@link #assign(String, String, RoleDefinition, String, String)} inside the caller's transaction. */
  public Created assign(Handle h, String assignmentId, String scope, RoleDefinition role, String principalId,
      String principalType) {
    String key = scopeKey(scope);
    Optional<RoleAssignment> named = h.createQuery("SELECT * FROM role_assignments WHERE assignment_id = :id FOR UPDATE")
        .bind("id", assignmentId).map(RoleAssignments::row).findOne();
    if (named.isPresent()) {
      RoleAssignment a = named.get();
      if (a.scopeKey().equals(key) && a.roleDefinitionId().equals(role.id()) && a.principalId().equals(principalId)) {
        return new Created(a, false);
      }
      throw Problem.conflict("RoleAssignmentUpdateNotPermitted",
          "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.");
    }
    long same = h.createQuery("SELECT COUNT(*) FROM role_assignments WHERE scope_key = :key AND principal_id = :p "
            + "AND role_definition_id = :r")
        .bind("key", key).bind("p", principalId).bind("r", role.id()).mapTo(Long.class).one();
    if (same > 0) {
      throw Problem.conflict("RoleAssignmentExists", "The role assignment already exists.");
    }
    OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    h.createUpdate("INSERT INTO role_assignments (assignment_id, scope, scope_key, subscription_id, role_definition_id, "
            + "principal_id, principal_type, created_at) VALUES (:id, :scope, :key, :sub, :role, :p, :type, :now)")
        .bind("id", assignmentId).bind("scope", scope).bind("key", key).bind("sub", subscriptionOf(key))
        .bind("role", role.id()).bind("p", principalId).bind("type", principalType).bind("now", now).execute();
    return new Created(new RoleAssignment(assignmentId, scope, role.id(), principalId, principalType, now.toInstant()), true);
  }

  /** The outcome of {@link #assign}. */
  public record Created(RoleAssignment assignment, boolean created) {}

  public Optional<RoleAssignment> find(String scope, String assignmentId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM role_assignments WHERE assignment_id = :id AND scope_key = :key")
        .bind("id", assignmentId.toLowerCase(Locale.ROOT)).bind("key", scopeKey(scope))
        .map(RoleAssignments::row).findOne());
  }

  public boolean delete(String scope, String assignmentId) {
    return jdbi.withHandle(h -> delete(h, scope, assignmentId));
  }

  /** {@link #delete(String, String)} inside the caller's transaction. */
  public boolean delete(Handle h, String scope, String assignmentId) {
    return h.createUpdate("DELETE FROM role_assignments WHERE assignment_id = :id AND scope_key = :key")
        .bind("id", assignmentId.toLowerCase(Locale.ROOT)).bind("key", scopeKey(scope)).execute() > 0;
  }

  /** Every assignment a principal holds. */
  public List<RoleAssignment> forPrincipal(String principalId) {
    return jdbi.withHandle(h -> forPrincipal(h, principalId));
  }

  /** {@link #forPrincipal(String)} inside the caller's transaction. */
  public List<RoleAssignment> forPrincipal(Handle h, String principalId) {
    return h.createQuery("SELECT * FROM role_assignments WHERE principal_id = :p")
        .bind("p", principalId.toLowerCase(Locale.ROOT)).map(RoleAssignments::row).list();
  }

  /** Assignments that apply at a scope: at it, above it (inherited) or beneath it. */
  public List<RoleAssignment> around(String scope, String afterId, int limit) {
    String key = scopeKey(scope);
    String sub = subscriptionOf(key);
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM role_assignments WHERE (subscription_id = :sub OR "
            + "subscription_id IS NULL) AND assignment_id > :after ORDER BY assignment_id")
        .bind("sub", sub).bind("after", afterId).map(RoleAssignments::row).list().stream()
        .filter(a -> a.covers(key) || a.scopeKey().startsWith(key + "/"))
        .limit(limit).toList());
  }

  private static RoleAssignment row(ResultSet rs, StatementContext ctx) throws SQLException {
    return new RoleAssignment(rs.getString("assignment_id"), rs.getString("scope"), rs.getString("role_definition_id"),
        rs.getString("principal_id"), rs.getString("principal_type"),
        rs.getObject("created_at", OffsetDateTime.class).toInstant());
  }
}
