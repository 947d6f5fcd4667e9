package org.stackledger.stamp;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.problem.Problem;

/**
 * The guest directory tenants onboarded onto the deployment ({@code Microsoft.Subscriptions.Admin/directoryTenants}),
 * history kept: offboarding ends an onboarding, never deletes it. At most one onboarding per directory
 * and per name is in force (the table's unique constraints, so concurrent writers cannot both win).
 */
public final class GuestDirectories {
  private final Jdbi jdbi;
  private final Clock clock;

  public GuestDirectories(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  private static String key(String name) {
    return name.toLowerCase(Locale.ROOT);
  }

  /** Whether the directory tenant is onboarded now (read on every request: offboarding is immediate). */
  public boolean isOnboarded(String tenantId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM stack_directory_tenants WHERE active_tenant_id = :t")
        .bind("t", tenantId.toLowerCase(Locale.ROOT)).mapTo(Integer.class).one() > 0);
  }

  /** The onboarding in force under that name, wherever it lives. */
  public Optional<GuestDirectory> byName(String name) {
    return jdbi.withHandle(h -> byName(h, name));
  }

  private static Optional<GuestDirectory> byName(Handle h, String name) {
    return h.createQuery("SELECT * FROM stack_directory_tenants WHERE active_name = :n").bind("n", key(name))
        .map(GuestDirectories::row).findFirst();
  }

  /** The onboardings in force in a resource group, by name, after {@code afterKey}. */
  public List<GuestDirectory> inGroup(String subscription, String group, String afterKey, int limit) {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM stack_directory_tenants WHERE active_name IS NOT NULL "
            + "AND LOWER(admin_subscription_id) = :s AND LOWER(resource_group) = :g AND active_name > :after "
            + "ORDER BY active_name FETCH FIRST :limit ROWS ONLY")
        .bind("s", key(subscription)).bind("g", key(group)).bind("after", afterKey).bind("limit", limit)
        .map(GuestDirectories::row).list());
  }

  /** Every onboarding, oldest first. */
  public List<GuestDirectory> history() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM stack_directory_tenants ORDER BY onboarding_id")
        .map(GuestDirectories::row).list());
  }

  public record Onboarded(GuestDirectory directory, boolean created) {}

  /**
   * Onboards the directory under {@code name} in that group, or updates the location of the onboarding
   * in force there. 409 when the name is in force elsewhere or for another directory, or the directory
   * under another name.
   */
  public Onboarded onboard(String subscription, String group, String name, String tenantId, String location) {
    String tenant = tenantId.toLowerCase(Locale.ROOT);
    try {
      return jdbi.inTransaction(h -> {
        Optional<GuestDirectory> same = byName(h, name);
        if (same.isPresent()) {
          GuestDirectory d = same.get();
          if (!d.adminSubscriptionId().equalsIgnoreCase(subscription) || !d.resourceGroup().equalsIgnoreCase(group)) {
            throw Problem.conflict("DirectoryTenantAlreadyOnboarded", "The directory tenant '" + name
                + "' is already onboarded in resource group '" + d.resourceGroup() + "' of subscription '"
                + d.adminSubscriptionId() + "'.");
          }
          if (!d.tenantId().equals(tenant)) {
            throw Problem.conflict("DirectoryTenantAlreadyOnboarded", "The name '" + name
                + "' is onboarded for directory tenant '" + d.tenantId() + "'; offboard it first.");
          }
          h.createUpdate("UPDATE stack_directory_tenants SET location = :l WHERE onboarding_id = :id")
              .bind("l", location).bind("id", d.id()).execute();
          return new Onboarded(one(h, d.id()), false);
        }
        Optional<GuestDirectory> other = h.createQuery("SELECT * FROM stack_directory_tenants WHERE active_tenant_id = :t")
            .bind("t", tenant).map(GuestDirectories::row).findFirst();
        if (other.isPresent()) {
          throw Problem.conflict("DirectoryTenantAlreadyOnboarded", "The directory tenant '" + tenant
              + "' is already onboarded as '" + other.get().name() + "'.");
        }
        long id = h.createUpdate("INSERT INTO stack_directory_tenants (tenant_id, name, admin_subscription_id, "
                + "resource_group, location, onboarded_at, active_tenant_id, active_name) "
                + "VALUES (:t, :n, :s, :g, :l, :at, :t, :k)")
            .bind("t", tenant).bind("n", name).bind("s", subscription).bind("g", group).bind("l", location)
            .bind("at", now().atOffset(ZoneOffset.UTC)).bind("k", key(name))
            .executeAndReturnGeneratedKeys("onboarding_id").mapTo(Long.class).one();
        return new Onboarded(one(h, id), true);
      });
    } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException raced) {
      // A concurrent onboarding of the same name or directory won the unique constraint.
      throw Problem.conflict("DirectoryTenantAlreadyOnboarded",
          "The directory tenant '" + name + "' was onboarded concurrently; read it and retry.");
    }
  }

  /** Offboards the onboarding in force under that name in that group; false when there is none. */
  public boolean offboard(String subscription, String group, String name) {
    return jdbi.inTransaction(h -> h.createUpdate("UPDATE stack_directory_tenants SET offboarded_at = :now, "
            + "active_tenant_id = NULL, active_name = NULL WHERE active_name = :k AND LOWER(admin_subscription_id) = :s "
            + "AND LOWER(resource_group) = :g")
        .bind("now", now().atOffset(ZoneOffset.UTC)).bind("k", key(name)).bind("s", key(subscription))
        .bind("g", key(group)).execute() > 0);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  private static GuestDirectory one(Handle h, long id) {
    return h.createQuery("SELECT * FROM stack_directory_tenants WHERE onboarding_id = :id").bind("id", id)
        .map(GuestDirectories::row).one();
  }

  private static GuestDirectory row(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
    OffsetDateTime off = rs.getObject("offboarded_at", OffsetDateTime.class);
    return new GuestDirectory(rs.getLong("onboarding_id"), rs.getString("tenant_id"), rs.getString("name"),
        rs.getString("admin_subscription_id"), rs.getString("resource_group"), rs.getString("location"),
        rs.getObject("onboarded_at", OffsetDateTime.class).toInstant(), off == null ? null : off.toInstant());
  }
}
