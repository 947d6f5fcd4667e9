package org.stackledger.commerce;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stackledger.registration.RegistrationStore.CloudHistory;
import org.stackledger.registration.RegistrationStore.Mapping;
import org.stackledger.registration.RegistrationStore.Period;

/**
 * Which subscription pays for a directory tenant's usage hour on one deployment (spec §4.3), decided
 * from the deployment's history alone so that attributing again gives the same answer (invariant 4):
 * the customer subscription mapped for the tenant on the deployment's registration in force at the
 * start of the usage hour; otherwise the subscription of the registration that held the CloudId then;
 * otherwise — usage of an hour before the deployment was registered — the subscription of the
 * registration now reporting it.
 */
final class Attribution {
  /** The rules, as the explanation API names them. */
  enum Rule { CustomerSubscription, RegistrationDefault }

  /** The answer for one tenant-hour. {@code mapping} is set for {@link Rule#CustomerSubscription}. */
  record Attributed(String billingSubscriptionId, Rule rule, String registrationId, Mapping mapping) {}

  private final List<Period> periods;
  private final Map<String, List<Mapping>> byTenant = new HashMap<>();
  private final String reportingRegistrationId;
  private final String reportingSubscriptionId;

  Attribution(CloudHistory history, String reportingRegistrationId, String reportingSubscriptionId) {
    this.periods = history.periods();
    for (Mapping m : history.mappings()) {
      byTenant.computeIfAbsent(m.tenantId().toLowerCase(Locale.ROOT), t -> new ArrayList<>()).add(m);
    }
    this.reportingRegistrationId = reportingRegistrationId;
    this.reportingSubscriptionId = reportingSubscriptionId.toLowerCase(Locale.ROOT);
  }

  Attributed attribute(String tenantId, Instant usageHour) {
    Period period = periodAt(usageHour);
    String registrationId = period != null ? period.registrationId() : reportingRegistrationId;
    List<Mapping> mappings = byTenant.get(tenantId);
    if (mappings != null) {
      // Mappings are oldest first and a tenant has at most one in force at a time; the last one that
      // covers the hour wins should history ever hold an overlap.
      for (int i = mappings.size() - 1; i >= 0; i--) {
        Mapping m = mappings.get(i);
        if (inForce(m.effectiveFrom(), m.effectiveTo(), usageHour)) {
          return new Attributed(m.customerSubscriptionId().toLowerCase(Locale.ROOT), Rule.CustomerSubscription,
              registrationId, m);
        }
      }
    }
    String payer = period != null ? period.subscriptionId().toLowerCase(Locale.ROOT) : reportingSubscriptionId;
    return new Attributed(payer, Rule.RegistrationDefault, registrationId, null);
  }

  private Period periodAt(Instant at) {
    for (int i = periods.size() - 1; i >= 0; i--) {
      Period p = periods.get(i);
      if (inForce(p.effectiveFrom(), p.effectiveTo(), at)) {
        return p;
      }
    }
    return null;
  }

  private static boolean inForce(Instant from, Instant to, Instant at) {
    return !from.isAfter(at) && (to == null || to.isAfter(at));
  }
}
