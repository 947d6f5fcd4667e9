package org.stackledger.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.stackledger.arm.ArmResource;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;
import org.stackledger.registration.RegistrationStore;

/**
 * The commerce facade: takes batches of usage records from registered deployments, attributes and
 * rates each new record once, and keeps the invoices. Its public methods are internal paths that
 * act for no caller (a deployment's authenticated upload, a file import, the invoice finalizer);
 * a person's reads of invoices go through {@link SubscriptionInvoices} and {@link BillingViews},
 * which check the caller.
 */
public final class Commerce {
  /** The registration a batch came from, as its stored resource says. */
  public record Reporter(String registrationId, String subscriptionId, String cloudId, String billingModel) {
    /** The reporter of a stored registration resource. */
    static Reporter of(ArmResource registration) {
      JsonNode p = registration.body().path("properties");
      return new Reporter(registration.id().toString(), registration.id().subscriptionId(), p.path("cloudId").asText(),
          p.path("billingModel").asText());
    }

    /**
     * The reporter of a registration's usage for a caller that must be the registration's own bridge
     * identity: a role lets a registration's owners act on it, but only the deployment itself reports
     * its usage (403 {@code AuthorizationFailed} for anyone else).
     */
    static Reporter bridgeOf(Caller caller, ArmResource registration) {
      String bridge = registration.body().path("properties").path("objectId").asText();
      if (!caller.objectId().equalsIgnoreCase(bridge)) {
        throw Problem.forbidden("AuthorizationFailed", "Only the registration's bridge identity ('" + bridge
            + "') may report usage for it; the caller is '" + caller.objectId() + "'.");
      }
      return of(registration);
    }
  }

  /** What one batch did: how many records it held, how many were new, how many were known already. */
  public record Ack(String batchId, int records, int accepted, int duplicates) {}

  private final Jdbi jdbi;
  private final Clock clock;
  private final RegistrationStore registrations;
  private final Supplier<Rates> rates;
  private final Invoices invoices;
  private final Supplier<Duration> maxUsageAge;

  /**
   * @param maxUsageAge how old a usage hour the cloud still bills (the operator's billing setting):
   *        generous, since a deployment cut off from the cloud ships the hours it took when it is back
   */
  public Commerce(Jdbi jdbi, Clock clock, RegistrationStore registrations, Supplier<Rates> rates,
      Supplier<Duration> maxUsageAge) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.registrations = registrations;
    this.rates = rates;
    this.invoices = new Invoices(jdbi, clock);
    this.maxUsageAge = maxUsageAge;
    // Records a release before the compact form stored, moved once; on a current store one empty query.
    LegacyRecords.move(jdbi);
  }

  /**
   * Stores a batch's new records, attributed and rated, all or nothing: the internal path for usage a
   * deployment has already been proven to have sent (an upload by its bridge identity, a usage file
   * signed with its key, the bench's simulated deployments). No person's request reaches it; a route
   * calls it only after {@link Reporter#bridgeOf} or a file's signature said who sent the batch. A record already stored with
   * the same quantity is a duplicate (a retry, a re-import) and changes nothing; with another quantity
   * the whole batch is refused (409 {@code UsageRecordConflict}): a closed hour never changes.
   */
  public Ack ingestAsBridge(Reporter reporter, UsageReport report, String source) {
    // One connection for the whole batch: the reads before the transaction (the age window, the
    // currency and prices, the CloudId's timeline) take the handle this opens instead of one each.
    return jdbi.withHandle(h -> ingest(reporter, report, source, clock.instant()));
  }

  /**
   * Stores a batch that was checked ({@link #check}) and queued at {@code receivedAt}, as
   * {@link #ingestAsBridge} does, with the usage age judged as of its arrival: a batch acknowledged as
   * queued is not refused later because the queue made it wait.
   */
  Ack ingestQueued(Reporter reporter, UsageReport report, String source, Instant receivedAt) {
    return jdbi.withHandle(h -> ingest(reporter, report, source, receivedAt));
  }

  /**
   * Refuses a batch for everything that can be told without the stored records (as {@link #ingestAsBridge}
   * would): another CloudId, usage too old, one record twice with two quantities. What is left to
   * refuse later is a record stored before with another quantity.
   */
  void check(Reporter reporter, UsageReport report) {
    distinct(reporter, report, clock.instant());
  }

  private Ack ingest(Reporter reporter, UsageReport report, String source, Instant receivedAt) {
    Distinct batch = distinct(reporter, report, receivedAt);
    List<RatedRecord> rated = rate(reporter, batch.records());
    for (int attempt = 1; ; attempt++) {
      try {
        int accepted = store(report.cloudId().toLowerCase(java.util.Locale.ROOT), rated, batch.position(), source,
            report.batchId());
        return new Ack(report.batchId(), report.records().size(), accepted, report.records().size() - accepted);
      } catch (JdbiException e) {
        // Two uploads of the same records at once: the loser's insert meets the winner's keys. Once
        // more, and they are found as duplicates.
        if (attempt >= 3 || !org.stackledger.store.Database.isUniqueViolation(e)) {
          throw e;
        }
      }
    }
  }

  /** A batch's records by key, each once, and the index in the batch of each key's first record. */
  private record Distinct(Map<RecordStore.Key, UsageRecord> records, Map<RecordStore.Key, Integer> position) {}

  private Distinct distinct(Reporter reporter, UsageReport report, Instant receivedAt) {
    if (!reporter.cloudId().equalsIgnoreCase(report.cloudId())) {
      throw Problem.invalid("CloudIdMismatch", "cloudId", "The batch is of CloudId '" + report.cloudId()
          + "' but the registration '" + reporter.registrationId() + "' is bound to CloudId '" + reporter.cloudId() + "'.");
    }
    refuseTooOld(report, receivedAt);
    Map<RecordStore.Key, Integer> position = new HashMap<>();
    Map<RecordStore.Key, UsageRecord> unique = new LinkedHashMap<>();
    UsageRecord.Keys keys = new UsageRecord.Keys();
    for (int i = 0; i < report.records().size(); i++) {
      UsageRecord r = report.records().get(i);
      RecordStore.Key key = keys.binary(r);
      UsageRecord seen = unique.putIfAbsent(key, r);
      if (seen != null) {
        if (seen.quantity().compareTo(r.quantity()) != 0) {
          throw Problem.invalid("DuplicateUsageRecord", "records[" + i + "]", "records[" + i
              + "] has the identity of records[" + position.get(key) + "] with another quantity.");
        }
      } else {
        position.put(key, i);
      }
    }
    return new Distinct(unique, position);
  }

  /**
   * Refuses the whole batch (400 {@code UsageTooOld}) when a record's usage hour is older than the
   * window. Whole, as every refusal of a batch is: the bridge then parks the hour for the operator,
   * who may widen the window and ship it again, instead of some of its usage vanishing.
   */
  private void refuseTooOld(UsageReport report, Instant receivedAt) {
    Duration window = maxUsageAge.get();
    Instant oldest = receivedAt.minus(window).truncatedTo(ChronoUnit.HOURS);
    List<Problem> problems = new ArrayList<>();
    for (int i = 0; i < report.records().size() && problems.size() < 100; i++) {
      if (report.records().get(i).usageHour().isBefore(oldest)) {
        problems.add(Problem.invalid("UsageTooOld", "records[" + i + "].usageStartTime", "records[" + i
            + "]: the usage hour is more than " + window + " old (the maxUsageAge of the billing settings)."));
      }
    }
    if (!problems.isEmpty()) {
      throw Problem.invalid("UsageTooOld", problems.get(0).target(), problems.get(0).getMessage()
          + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more records in details)" : ""))
          .withDetails(problems);
    }
  }

  /** @param records the batch's records by key (each key computed once, in {@link #ingest}) */
  private List<RatedRecord> rate(Reporter reporter, Map<RecordStore.Key, UsageRecord> records) {
    RegistrationStore.CloudHistory history = registrations.cloudHistory(reporter.cloudId());
    Attribution attribution = new Attribution(history, reporter.registrationId(), reporter.subscriptionId());
    // No invoice opens for a month before the deployment was first registered: usage of such an hour
    // (taken by the deployment before it registered) is billed on the registration month's invoice.
    YearMonth registered = history.periods().isEmpty() ? null
        : YearMonth.from(history.periods().get(0).effectiveFrom().atOffset(ZoneOffset.UTC));
    BillingModel model = BillingModel.of(reporter.billingModel());
    Rates prices = rates.get();
    // A batch holds a few tenants, meters and hours and thousands of records: attribution is decided
    // once per (tenant, usage hour) and the price once per (meter, usage hour), then looked up.
    Map<TenantHour, Attribution.Attributed> attributed = new HashMap<>();
    Map<MeterHour, Rates.Rate> rated = new HashMap<>();
    Map<Instant, String[]> months = new HashMap<>();
    List<RatedRecord> out = new ArrayList<>(records.size());
    for (Map.Entry<RecordStore.Key, UsageRecord> e : records.entrySet()) {
      UsageRecord r = e.getValue();
      Instant hour = r.usageHour();
      Attribution.Attributed a = attributed.computeIfAbsent(new TenantHour(r.tenantId(), hour),
          k -> attribution.attribute(k.tenantId(), k.hour()));
      Rates.Rate rate = rated.computeIfAbsent(new MeterHour(r.meterId(), hour),
          k -> prices.at(k.meterId(), k.hour()).orElse(new Rates.Rate(k.meterId(), BigDecimal.ZERO, 1)));
      BigDecimal price = model.priced() ? rate.unitPrice() : BigDecimal.ZERO;
      String[] month = months.computeIfAbsent(hour, h -> {
        YearMonth usageMonth = YearMonth.from(h.atOffset(ZoneOffset.UTC));
        return new String[] {usageMonth.toString(),
            registered != null && usageMonth.isBefore(registered) ? registered.toString() : usageMonth.toString()};
      });
      out.add(new RatedRecord(r, e.getKey(), a, model, rate.commerceMeterId(), prices.currency(), price,
          rate.unitDivisor(), month[0], model.billed() ? month[1] : null, false));
    }
    return out;
  }

  private record TenantHour(String tenantId, Instant hour) {}

  private record MeterHour(String meterId, Instant hour) {}

  private int store(String cloudId, List<RatedRecord> rated, Map<RecordStore.Key, Integer> position, String source,
      String batchId) {
    List<RecordStore.Key> keys = new ArrayList<>(rated.size());
    for (RatedRecord r : rated) {
      keys.add(r.key());
    }
    return jdbi.inTransaction(h -> {
      Map<RecordStore.Key, BigDecimal> known = RecordStore.known(h, cloudId, keys);
      List<RatedRecord> fresh = new ArrayList<>(rated.size());
      for (int i = 0; i < rated.size(); i++) {
        RatedRecord r = rated.get(i);
        BigDecimal stored = known.isEmpty() ? null : known.get(keys.get(i));
        if (stored == null) {
          fresh.add(r);
        } else if (stored.compareTo(r.usage().quantity()) != 0) {
          throw Problem.conflict("UsageRecordConflict", "records[" + position.get(r.key()) + "] was reported "
              + "before with quantity " + stored.stripTrailingZeros().toPlainString() + "; a closed hour never changes.");
        }
      }
      // Lock the invoices the new records go on, in key order so concurrent batches never wait in a circle.
      java.util.SortedMap<Invoices.Key, String> invoiceOf = new TreeMap<>();
      for (RatedRecord r : fresh) {
        if (r.invoiceMonth() != null) {
          invoiceOf.put(new Invoices.Key(r.attributed().billingSubscriptionId(), r.invoiceMonth()), null);
        }
      }
      Instant now = clock.instant();
      Invoices.openMonthsFor(h, invoiceOf, currencyOf(fresh), now);
      List<RatedRecord> placed = new ArrayList<>(fresh.size());
      for (RatedRecord r : fresh) {
        if (r.invoiceMonth() == null) {
          placed.add(r);
          continue;
        }
        String month = invoiceOf.get(new Invoices.Key(r.attributed().billingSubscriptionId(), r.invoiceMonth()));
        placed.add(r.billedOn(month, !month.equals(r.usageMonth())));
      }
      RecordStore.insert(h, cloudId, placed, source, batchId, now);
      return placed.size();
    });
  }

  private static String currencyOf(List<RatedRecord> records) {
    return records.isEmpty() ? "USD" : records.get(0).currency();
  }


  /*
   * The invoice reads below answer whoever asks, so they are not public: a caller reads invoices
   * through SubscriptionInvoices or BillingViews, which check who it is first.
   */

  /** The invoices of a billing subscription, newest first (totals, no lines). */
  List<Invoice> invoices(String billingSubscriptionId) {
    return invoices.list(billingSubscriptionId);
  }

  Optional<Invoice> invoice(String billingSubscriptionId, String month) {
    return invoices.find(billingSubscriptionId, month);
  }

  Invoice finalizeInvoice(String billingSubscriptionId, String month, String by) {
    return invoices.finalizeInvoice(billingSubscriptionId, month, by);
  }

  /**
   * Finalizes the month's invoice of a billing subscription, if it has one, for no caller: the path
   * of tools that act as the platform itself (the demo's month end), never of a person's request,
   * which goes through {@link SubscriptionInvoices#finalizeInvoice} and its operator check.
   *
   * @param by what finalized it, recorded on the invoice
   */
  public Optional<Invoice> finalizeWithoutCaller(String billingSubscriptionId, String month, String by) {
    return invoice(billingSubscriptionId, month).map(i -> finalizeInvoice(billingSubscriptionId, month, by));
  }

  /**
   * Finalizes the drafts whose month ended more than {@code grace} ago: the invoice finalizer's
   * internal path, which acts for no caller.
   */
  public int finalizeDue(Duration grace) {
    return invoices.finalizeDue(grace, "grace period");
  }
}
