package org.stackledger.commerce;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    // The records of the hour, counted per tenant and what arrival decided about them.
    Map<Stored, Long> counts = new LinkedHashMap<>();
    for (StoredRecord r : jdbi.withHandle(h -> RecordStore.ofDay(h, cloudId, hour))) {
      UsageRecord u = r.usage();
      if (u.subscriptionId().equals(subscriptionId) && u.usageHour().equals(hour)) {
        counts.merge(new Stored(u.tenantId(), r.billingSubscriptionId(), r.rule().name(), r.billingModel(),
            r.invoiceMonth(), r.adjustment(), 0), 1L, Long::sum);
      }
    }
    List<Stored> stored = new ArrayList<>(counts.size());
    counts.forEach((s, n) -> stored.add(new Stored(s.tenantId(), s.billingSubscriptionId(), s.rule(), s.billingModel(),
        s.invoiceMonth(), s.adjustment(), n)));
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
    LineKey key = LineKey.of(line);
    Map<Why, Group> byWhy = attribution(invoice).getOrDefault(key, Map.of());
    byWhy.entrySet().stream().sorted(Map.Entry.comparingByValue(java.util.Comparator.comparing(Group::first)))
        .forEach(e -> {
          ObjectNode g = groups.addObject();
          g.put("rule", e.getKey().rule());
          g.put("registrationId", e.getKey().registrationId());
          if (e.getKey().mappedFrom() != null) {
            g.put("mappingEffectiveFrom", e.getKey().mappedFrom().toString());
          }
          g.put("billingModel", e.getKey().billingModel());
          g.put("firstUsageHour", e.getValue().first().toString());
          g.put("lastUsageHour", e.getValue().last().toString());
          g.put("records", e.getValue().sum().records);
          g.put("quantity", e.getValue().sum().quantity.stripTrailingZeros());
        });
    out.put("explanation", "Each group's usage hours were billed to " + invoice.billingSubscriptionId() + " by its rule: "
        + "CustomerSubscription — the tenant " + line.tenantId() + " was mapped to it on the registration of CloudId "
        + line.cloudId() + " at the start of those hours; RegistrationDefault — the tenant was not mapped then, so the "
        + "registration's subscription pays.");
    return out;
  }

  /** What attributed a group of a line's records: the rule, the registration and mapping, the billing model. */
  private record Why(String rule, String registrationId, Instant mappedFrom, String billingModel) {}

  /** A group's first and last usage hour and its sum. */
  private record Group(Instant first, Instant last, LineSum sum) {}

  /** An invoice as final: its subscription, month and the moment it was frozen. */
  private record Frozen(String billingSubscriptionId, String month, Instant finalizedAt) {}

  /** Explanations of final invoices, which never change again; the most recently asked kept. */
  private final Map<Frozen, Map<LineKey, Map<Why, Group>>> finals = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Frozen, Map<LineKey, Map<Why, Group>>> eldest) {
      return size() > 32;
    }
  };

  /**
   * Every line's records grouped by the rule, registration and mapping that attributed them, in one
   * read of the invoice's records (a month of a large tenant is a million of them, read in about a
   * second). A final invoice never changes, so its grouping is kept and the next question about any
   * of its lines costs nothing; a draft's is read again each time, as it may grow.
   */
  private Map<LineKey, Map<Why, Group>> attribution(Invoice invoice) {
    Frozen frozen = invoice.state() == Invoice.State.Final
        ? new Frozen(invoice.billingSubscriptionId(), invoice.month(), invoice.finalizedAt()) : null;
    if (frozen != null) {
      synchronized (finals) {
        Map<LineKey, Map<Why, Group>> known = finals.get(frozen);
        if (known != null) {
          return known;
        }
      }
    }
    Map<LineKey, Map<Why, Group>> byLine = new HashMap<>();
    for (StoredRecord r : jdbi.withHandle(h -> RecordStore.onInvoice(h, invoice.billingSubscriptionId(),
        invoice.month()))) {
      Instant hour = r.usage().usageHour();
      byLine.computeIfAbsent(LineKey.of(r), k -> new HashMap<>()).compute(
          new Why(r.rule().name(), r.registrationId(), r.mappedFrom(), r.billingModel()),
          (w, was) -> was == null ? new Group(hour, hour, new LineSum())
              : new Group(hour.isBefore(was.first()) ? hour : was.first(), hour.isAfter(was.last()) ? hour : was.last(),
                  was.sum())).sum().add(r);
    }
    if (frozen != null) {
      synchronized (finals) {
        finals.put(frozen, byLine);
      }
    }
    return byLine;
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
