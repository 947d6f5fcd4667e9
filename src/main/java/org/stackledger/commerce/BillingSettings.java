package org.stackledger.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;
import org.stackledger.store.Settings;

/**
 * The platform operator's billing settings: the currency invoices are made in (the price sheet's of
 * that currency rates them) and the grace period after a month's end at which its draft invoices are
 * finalized automatically, and how old a usage hour is still billed ({@code maxUsageAge}).
 * {@code GET|PUT /providers/Stackledger.Billing/billingSettings/default}. Reading and changing them
 * over the API or from the console go through {@link #view} and {@link #writable}, which check the
 * caller: the operator's alone.
 */
public final class BillingSettings {
  static final Duration DEFAULT_GRACE = Duration.ofDays(5);
  static final Duration MAX_GRACE = Duration.ofDays(90);
  /** Well past a deployment's own intake window (7 days by default), for one that was disconnected. */
  static final Duration DEFAULT_MAX_USAGE_AGE = Duration.ofDays(90);
  static final Duration MIN_MAX_USAGE_AGE = Duration.ofDays(1);
  static final Duration MAX_MAX_USAGE_AGE = Duration.ofDays(366);
  static final String PATH = "/providers/Stackledger.Billing/billingSettings/default";
  static final ApiVersions VERSIONS = ApiVersions.of("Stackledger.Billing/billingSettings", "2026-11-01");
  private static final String GRACE = "billing.invoiceGracePeriod";
  private static final String CURRENCY = "billing.currency";
  private static final String MAX_USAGE_AGE = "billing.maxUsageAge";
  private static final String READ = "Stackledger.Billing/billingSettings/read";
  private static final String WRITE = "Stackledger.Billing/billingSettings/write";
  private final Settings settings;
  private final Arm arm;
  private final AccessControl access;

  public BillingSettings(Settings settings, Arm arm) {
    this.settings = settings;
    this.arm = arm;
    this.access = AccessControl.of(arm);
  }

  public Duration invoiceGracePeriod() {
    return settings.get(GRACE).map(Duration::parse).orElse(DEFAULT_GRACE);
  }

  /** How old a usage hour commerce still takes from a deployment; older ones refuse the batch. */
  public Duration maxUsageAge() {
    return settings.get(MAX_USAGE_AGE).map(Duration::parse).orElse(DEFAULT_MAX_USAGE_AGE);
  }

  public String currency() {
    return settings.get(CURRENCY).orElse("USD");
  }

  public void register(Router router) {
    router.get(PATH, ex -> {
      VERSIONS.require(ex);
      return Reply.json(200, view(AccessControl.caller(ex)));
    });
    router.put(PATH, this::put);
  }

  private Reply put(Exchange ex) throws java.io.IOException {
    VERSIONS.require(ex);
    // The caller first: anyone but the operator is refused before its body is read.
    Write write = writable(AccessControl.caller(ex));
    return Reply.json(200, write.put(arm.body().required(ex).path("properties")));
  }

  /** The settings as the API shows them; the operator's alone (403 {@code AuthorizationFailed}). */
  public ObjectNode view(Caller caller) {
    access.requireRoot(caller, READ);
    return render();
  }

  /** The caller's right to change the settings: the operator's alone (403 {@code AuthorizationFailed}). */
  public Write writable(Caller caller) {
    access.requireRoot(caller, WRITE);
    return new Write();
  }

  /** {@link #writable} and {@link Write#put} in one call, for a caller that has its request at hand. */
  public ObjectNode put(Caller caller, JsonNode properties) {
    return writable(caller).put(properties);
  }

  /** A change of the settings a caller was allowed to make; only {@link BillingSettings} makes one. */
  public final class Write {
    private Write() {}

    /**
     * Sets the properties given ({@code invoiceGracePeriod}, {@code currency}, {@code maxUsageAge}),
     * all or none: every invalid one is a detail of one 400. Answers the settings as the API shows them.
     */
    public ObjectNode put(JsonNode p) {
      return update(p);
    }
  }

  private ObjectNode update(JsonNode p) {
    List<Problem> problems = new ArrayList<>();
    Duration grace = null;
    String currency = null;
    if (p.has("invoiceGracePeriod")) {
      try {
        grace = Duration.parse(p.path("invoiceGracePeriod").asText());
        if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
          problems.add(Problem.invalid("InvalidProperty", "properties.invoiceGracePeriod",
              "The invoiceGracePeriod must be between PT0S and " + MAX_GRACE + "."));
        }
      } catch (DateTimeParseException e) {
        problems.add(Problem.invalid("InvalidProperty", "properties.invoiceGracePeriod",
            "The invoiceGracePeriod must be an ISO 8601 duration such as P5D."));
      }
    }
    Duration maxUsageAge = null;
    if (p.has("maxUsageAge")) {
      try {
        maxUsageAge = Duration.parse(p.path("maxUsageAge").asText());
        if (maxUsageAge.compareTo(MIN_MAX_USAGE_AGE) < 0 || maxUsageAge.compareTo(MAX_MAX_USAGE_AGE) > 0) {
          problems.add(Problem.invalid("InvalidProperty", "properties.maxUsageAge",
              "The maxUsageAge must be between " + MIN_MAX_USAGE_AGE + " and " + MAX_MAX_USAGE_AGE + "."));
        }
      } catch (DateTimeParseException e) {
        problems.add(Problem.invalid("InvalidProperty", "properties.maxUsageAge",
            "The maxUsageAge must be an ISO 8601 duration such as P90D."));
      }
    }
    if (p.has("currency")) {
      try {
        currency = Currency.getInstance(p.path("currency").asText()).getCurrencyCode();
      } catch (IllegalArgumentException e) {
        problems.add(Problem.invalid("InvalidProperty", "properties.currency",
            "The currency must be an ISO 4217 code such as USD."));
      }
    }
    if (!problems.isEmpty()) {
      throw Problem.invalid("InvalidBillingSettings", problems.get(0).target(), problems.get(0).getMessage())
          .withDetails(problems);
    }
    if (grace != null) {
      settings.put(GRACE, grace.toString());
    }
    if (currency != null) {
      settings.put(CURRENCY, currency);
    }
    if (maxUsageAge != null) {
      settings.put(MAX_USAGE_AGE, maxUsageAge.toString());
    }
    return render();
  }

  private ObjectNode render() {
    ObjectNode o = Json.object();
    o.put("id", PATH);
    o.put("name", "default");
    o.put("type", "Stackledger.Billing/billingSettings");
    ObjectNode p = o.putObject("properties");
    p.put("currency", currency());
    p.put("invoiceGracePeriod", invoiceGracePeriod().toString());
    p.put("maxUsageAge", maxUsageAge().toString());
    return o;
  }
}
