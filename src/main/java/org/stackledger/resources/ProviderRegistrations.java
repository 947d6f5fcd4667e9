package org.stackledger.resources;

import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** Which provider namespaces each subscription has registered, kept in {@code provider_registrations}. */
public final class ProviderRegistrations {
  private final Jdbi jdbi;

  public ProviderRegistrations(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** True when the subscription has registered the namespace, e.g. before creating its resources. */
  public boolean isRegistered(String subscriptionId, String namespace) {
    return state(subscriptionId, namespace).equals("Registered");
  }

  String state(String subscriptionId, String namespace) {
    return jdbi.withHandle(h -> h.createQuery("SELECT state FROM provider_registrations WHERE subscription_id = :sub "
            + "AND namespace_key = :ns")
        .bind("sub", subscriptionId).bind("ns", namespace.toLowerCase(Locale.ROOT))
        .mapTo(String.class).findOne().orElse("NotRegistered"));
  }

  Map<String, String> states(String subscriptionId) {
    return jdbi.withHandle(h -> h.createQuery("SELECT namespace_key, state FROM provider_registrations "
            + "WHERE subscription_id = :sub")
        .bind("sub", subscriptionId)
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).list().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  void set(String subscriptionId, String namespace, String state, OffsetDateTime now) {
    jdbi.useTransaction(h -> {
      int updated = h.createUpdate("UPDATE provider_registrations SET state = :state, changed_at = :now "
              + "WHERE subscription_id = :sub AND namespace_key = :ns")
          .bind("state", state).bind("now", now).bind("sub", subscriptionId)
          .bind("ns", namespace.toLowerCase(Locale.ROOT)).execute();
      if (updated == 0) {
        h.createUpdate("INSERT INTO provider_registrations (subscription_id, namespace_key, namespace, state, changed_at) "
                + "VALUES (:sub, :ns, :namespace, :state, :now)")
            .bind("sub", subscriptionId).bind("ns", namespace.toLowerCase(Locale.ROOT)).bind("namespace", namespace)
            .bind("state", state).bind("now", now).execute();
      }
    });
  }
}
