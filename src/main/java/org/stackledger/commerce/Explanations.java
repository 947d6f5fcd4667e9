package org.stackledger.commerce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ResourceId;
import org.stackledger.http.Guids;
import org.stackledger.http.Json;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;
import org.stackledger.registration.RegistrationStore;

/**
 * Why usage was billed where it was: which subscription pays for a deployment's local subscription in
 * an hour, by which rule, and what was billed for it ({@link #attribution}); and which mappings put an
 * invoice line's records on its subscription ({@link #line}). The tenant is the one the deployment
 * reported with the subscription's records; with no record yet the caller names it and gets what would
 * be billed. An attribution is the business of whoever may read the registration that held the
 * CloudId: the routes ({@link CommerceRoutes}) and the console ask it with the signed-in caller, and
 * this class checks it; to others the CloudId answers 404 as if unknown.
 */
public final class Explanations {
  private final AccessControl access;
  private final Jdbi jdbi;
  private final RegistrationStore registrations;

  public Explanations(Arm arm, Jdbi jdbi, RegistrationStore registrations) {
    this.access = AccessControl.of(arm);
    this.jdbi = jdbi;
    this.registrations = registrations;
  }

  /**
   * Who pays for {@code subscriptionId} (a local subscription of the deployment of {@code cloudId})
   * in the hour of {@code usageTime}, asked by {@code caller}.
   *
   * @param tenantId the directory tenant to attribute (a GUID as the user gave it), needed only when
   *     no usage of that hour has arrived
   */
  public ObjectNode attribution(Caller caller, String cloudIdText, String subscriptionIdText, Instant usageTime,
      Optional<String> tenantId) {
    String cloudId = guid(cloudIdText, "cloudId");
    String subscriptionId = guid(subscriptionIdText, "subscriptionId");
    Instant hour = usageTime.truncatedTo(ChronoUnit.HOURS);
    RegistrationStore.CloudHistory history = registrations.cloudHistory(cloudId);
    if (history.periods().isEmpty()) {
      throw unknownCloud(cloudId);
    }
    RegistrationStore.Period latest = history.periods().get(history.periods().size() - 1);
    ResourceId registration = ResourceId.parse(latest.registrationId());
    access.require(caller, registration, "Microsoft.AzureStack/registrations/read");

    List<Stored> stored = jdbi.withHandle(h -> h.createQuery("SELECT tenant_id, billing_subscription_id, "
            + "attribution_rule, billing_model, invoice_month, adjustment, COUNT(*) AS n FROM commerce_usage_records "
            + "WHERE origin_key = :o AND cloud_id = :c AND local_subscription_id = :s AND usage_hour = :h GROUP BY tenant_id, "
            + "billing_subscription_id, attribution_rule, billing_model, invoice_month, adjustment")
        .bind("o", UsageRecord.originKey(cloudId, subscriptionId, hour)).bind("c", cloudId).bind("s", subscriptionId)
        .bind("h", RecordStore.at(hour))
        .map((rs, ctx) -> new Stored(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getBoolean(6), rs.getLong(7))).list());
    String tenant = tenantId.map(t -> guid(t, "tenantId"))
        .orElse(stored.isEmpty() ? null : stored.get(0).tenantId());
    if (tenant == null) {
      throw Problem.notFound("UsageNotFound", "No usage of subscription '" + subscriptionId + "' on CloudId '"
          + cloudId + "' for the hour " + hour + " has arrived; name its directory tenant (tenantId) to ask who would pay.");
    }
    Attribution.Attributed a = new Attribution(history, latest.registrationId(), latest.subscriptionId())
        .attribute(tenant, hour);
    ObjectNode out = Json.object();
    out.put("cloudId", cloudId);
    out.put("subscriptionId", subscriptionId);
    out.put("tenantId", tenant);
    out.put("usageHour", hour.toString());
    out.put("billingSubscriptionId", a.billingSubscriptionId());
    out.put("rule", a.rule().name());
    out.put("registrationId", a.registrationId());
    if (a.mapping() != null) {
      ObjectNode m = out.putObject("mapping");
      m.put("customerSubscriptionId", a.mapping().customerSubscriptionId());
      m.put("effectiveFrom", a.mapping().effectiveFrom().toString());
      if (a.mapping().effectiveTo() != null) {
        m.put("effectiveTo", a.mapping().effectiveTo().toString());
        m.put("endedBy", a.mapping().endedBy().name());
      }
    }
    out.put("explanation", a.rule() == Attribution.Rule.CustomerSubscription
        ? "The tenant " + tenant + " was mapped to customer subscription " + a.billingSubscriptionId()
            + " on the deployment's registration at the start of this usage hour."
        : "The tenant " + tenant + " had no customer subscription mapped on the deployment's registration at the start "
            + "of this usage hour, so the registration's subscription " + a.billingSubscriptionId() + " pays.");
    var billed = out.putArray("billed");
    for (Stored s : stored) {
      ObjectNode b = billed.addObject();
      b.put("billingSubscriptionId", s.billingSubscriptionId());
      b.put("rule", s.rule());
      b.put("billingModel", s.billingModel());
      if (s.invoiceMonth() == null) {
        b.putNull("invoiceMonth");
      } else {
        b.put("invoiceMonth", s.invoiceMonth());
      }
      b.put("adjustment", s.adjustment());
      b.put("records", s.records());
    }
    return out;
  }

  /**
   * Why a billed line's records were billed to its subscription: the records behind the line, grouped
   * by the rule that attributed them (and the mapping, by its start), each with the usage hours it
   * covers. A line's records share one billing subscription, so this says which mappings — or the
   * registration default — put them there.
   */
  ObjectNode line(Invoice invoice, int number) {
    Invoice.Line line = invoice.lines().stream().filter(l -> l.number() == number).findFirst()
        .orElseThrow(() -> Problem.notFound("InvoiceLineNotFound", "The invoice of " + invoice.month()
            + " has no line " + number + "."));
    ObjectNode out = Json.object();
    out.set("line", InvoiceJson.renderLine(line));
    var groups = out.putArray("attribution");
    jdbi.useHandle(h -> h.createQuery("SELECT attribution_rule, registration_id, customer_mapped_from, billing_model, "
            + "MIN(usage_hour) AS first_hour, MAX(usage_hour) AS last_hour, COUNT(*) AS n, SUM(quantity) AS q "
            + "FROM commerce_usage_records WHERE billing_subscription_id = :s AND invoice_month = :m AND cloud_id = :c "
            + "AND local_subscription_id = :l AND tenant_id = :t AND meter_id = :meter AND commerce_meter_id = :cm "
            + "AND usage_month = :um AND adjustment = :adj AND unit_price = :p AND unit_divisor = :d "
            + "GROUP BY attribution_rule, registration_id, customer_mapped_from, billing_model ORDER BY first_hour")
        .bind("s", invoice.billingSubscriptionId()).bind("m", invoice.month()).bind("c", line.cloudId())
        .bind("l", line.localSubscriptionId()).bind("t", line.tenantId()).bind("meter", line.meterId())
        .bind("cm", line.commerceMeterId()).bind("um", line.usageMonth()).bind("adj", line.adjustment())
        .bind("p", line.unitPrice()).bind("d", line.unitDivisor())
        .map((rs, ctx) -> {
          ObjectNode g = Json.object();
          g.put("rule", rs.getString("attribution_rule"));
          g.put("registrationId", rs.getString("registration_id"));
          java.time.OffsetDateTime mapped = rs.getObject("customer_mapped_from", java.time.OffsetDateTime.class);
          if (mapped != null) {
            g.put("mappingEffectiveFrom", mapped.toInstant().toString());
          }
          g.put("billingModel", rs.getString("billing_model"));
          g.put("firstUsageHour", rs.getObject("first_hour", java.time.OffsetDateTime.class).toInstant().toString());
          g.put("lastUsageHour", rs.getObject("last_hour", java.time.OffsetDateTime.class).toInstant().toString());
          g.put("records", rs.getLong("n"));
          g.put("quantity", rs.getBigDecimal("q").stripTrailingZeros());
          return g;
        }).forEach(groups::add));
    out.put("explanation", "Each group's usage hours were billed to " + invoice.billingSubscriptionId() + " by its rule: "
        + "CustomerSubscription — the tenant " + line.tenantId() + " was mapped to it on the registration of CloudId "
        + line.cloudId() + " at the start of those hours; RegistrationDefault — the tenant was not mapped then, so the "
        + "registration's subscription pays.");
    return out;
  }

  private record Stored(String tenantId, String billingSubscriptionId, String rule, String billingModel,
      String invoiceMonth, boolean adjustment, long records) {}

  private static Problem unknownCloud(String cloudId) {
    return Problem.notFound("CloudIdNotFound", "No registration holds or held the CloudId '" + cloudId + "'.");
  }

  /** A GUID parameter, lower-case; 400 {@code InvalidParameter} naming it otherwise. */
  static String guid(String v, String name) {
    if (!Guids.isGuid(v)) {
      throw Problem.invalid("InvalidParameter", name, "The " + name + " must be a GUID.");
    }
    return v.toLowerCase(Locale.ROOT);
  }
}
