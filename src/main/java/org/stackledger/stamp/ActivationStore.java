package org.stackledger.stamp;

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

/** The deployment's activations, history kept: an activation or a deactivation only ends the one in force. */
public final class ActivationStore {
  private final Jdbi jdbi;
  private final Clock clock;

  public ActivationStore(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  /** The activation in force (possibly expired), if any. */
  public Optional<Activation> current() {
    return jdbi.withHandle(this::current);
  }

  private Optional<Activation> current(Handle h) {
    return h.createQuery("SELECT * FROM stamp_activations WHERE deactivated_at IS NULL ORDER BY activation_id DESC")
        .map(ActivationStore::row).findFirst();
  }

  /** Every activation, oldest first. */
  public List<Activation> history() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM stamp_activations ORDER BY activation_id")
        .map(ActivationStore::row).list());
  }

  /** Ends the activation in force (if any) and records this one; answers it and whether one was replaced. */
  public record Activated(Activation activation, boolean replaced) {}

  public Activated activate(Activation a) {
    Instant now = now();
    return jdbi.inTransaction(h -> {
      int ended = end(h, now);
      long id = h.createUpdate("INSERT INTO stamp_activations (registration_id, registration_subscription_id, cloud_id, "
              + "billing_model, usage_reporting_enabled, marketplace_syndication_enabled, agreement_number, object_id, key_id, "
              + "expires_at, activated_at, bridge_app_id, bridge_tenant_id) "
              + "VALUES (:rid, :rsub, :cloud, :model, :usage, :synd, :agr, :oid, :kid, :exp, :at, :bapp, :btenant)")
          .bind("rid", a.registrationId()).bind("rsub", a.registrationSubscriptionId()).bind("cloud", a.cloudId())
          .bind("model", a.billingModel()).bind("usage", a.usageReportingEnabled())
          .bind("synd", a.marketplaceSyndicationEnabled()).bind("agr", a.agreementNumber()).bind("oid", a.objectId())
          .bind("kid", a.keyId()).bind("exp", at(a.expiresAt().truncatedTo(ChronoUnit.MICROS))).bind("at", at(now))
          .bind("bapp", a.bridgeAppId()).bind("btenant", a.bridgeTenantId())
          .executeAndReturnGeneratedKeys("activation_id").mapTo(Long.class).one();
      return new Activated(h.createQuery("SELECT * FROM stamp_activations WHERE activation_id = :id").bind("id", id)
          .map(ActivationStore::row).one(), ended > 0);
    });
  }

  /** Ends the activation in force; false when there was none. */
  public boolean deactivate() {
    Instant now = now();
    return jdbi.inTransaction(h -> end(h, now) > 0);
  }

  private static int end(Handle h, Instant now) {
    return h.createUpdate("UPDATE stamp_activations SET deactivated_at = :now WHERE deactivated_at IS NULL")
        .bind("now", at(now)).execute();
  }

  private static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Activation row(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx) throws SQLException {
    OffsetDateTime off = rs.getObject("deactivated_at", OffsetDateTime.class);
    return new Activation(rs.getLong("activation_id"), rs.getString("registration_id"),
        rs.getString("registration_subscription_id"), rs.getString("cloud_id"), rs.getString("billing_model"),
        rs.getBoolean("usage_reporting_enabled"), rs.getBoolean("marketplace_syndication_enabled"),
        rs.getString("agreement_number"), rs.getString("object_id"), rs.getString("key_id"),
        rs.getObject("expires_at", OffsetDateTime.class).toInstant(),
        rs.getObject("activated_at", OffsetDateTime.class).toInstant(), off == null ? null : off.toInstant(),
        rs.getString("bridge_app_id"), rs.getString("bridge_tenant_id"));
  }
}
