package org.stackledger.usage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * The usage routes: intake on the stack admin endpoint, the tenant API
 * ({@code Microsoft.Commerce/usageAggregates}) on the tenant endpoint, and the provider API
 * ({@code Microsoft.Commerce.Admin/subscriberUsageAggregates}, and its pre-1808 path under
 * {@code Microsoft.Commerce}) on the admin endpoint — with the usage API's own parameter rules and
 * error codes (spec §5.3). The query routes parse the request and read through {@link UsageReads}
 * as the request's caller, which decides whose usage it may see.
 */
final class UsageRoutes {
  static final String USAGE_API_VERSION = "2015-06-01-preview";
  static final ApiVersions INTAKE_VERSIONS = ApiVersions.of("Stackledger.Usage/usageEvents", "2026-11-01");
  static final int PAGE_SIZE = 1000;
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

  private final Arm arm;
  private final Intake intake;
  private final UsageReads reads;
  private final UsageSettings settings;
  private final IntakeToday today;
  private final Clock clock;
  private final long bodyLimit;
  private final int maxEvents;

  UsageRoutes(Arm arm, Intake intake, Aggregator aggregator, UsageQueries queries, UsageSettings settings,
      IntakeToday today, Clock clock, long bodyLimit, int maxEvents) {
    this.arm = arm;
    this.intake = intake;
    this.reads = new UsageReads(arm, queries, aggregator);
    this.settings = settings;
    this.today = today;
    this.clock = clock;
    this.bodyLimit = bodyLimit;
    this.maxEvents = maxEvents;
  }

  UsageReads reads() {
    return reads;
  }

  /**
   * @param takesBatches whether this process is an intake node ({@code serve --roles}); one that is not
   *        answers a batch 503 {@code NotAnIntakeNode}, so a load balancer sends it to one that is
   */
  void registerIntake(Router router, boolean takesBatches) {
    router.post("/providers/Stackledger.Usage/usageEvents", takesBatches ? this::intake : ex -> {
      throw Problem.unavailable("NotAnIntakeNode", "This server does not take usage batches (it was started with "
          + "--roles without intake); send them to an intake node of the deployment.", null);
    });
    settings.register(router);
    today.register(router);
  }

  void registerTenantApi(Router router) {
    router.get("/subscriptions/{subscriptionId}/providers/Microsoft.Commerce/usageAggregates",
        ex -> tenant(ex, ex.pathParam("subscriptionId")));
    router.get("/providers/Microsoft.Commerce/usageAggregates", ex -> tenant(ex, null));
    // "/subscriptions//providers/..." (an empty id) arrives with its repeated slash collapsed; without
    // this route it would be a 404 rather than the usage API's SubscriptionIdMissingInRequest.
    router.get("/subscriptions/providers/Microsoft.Commerce/usageAggregates", ex -> tenant(ex, null));
  }

  void registerProviderApi(Router router) {
    router.get("/subscriptions/{subscriptionId}/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates",
        ex -> provider(ex, ex.pathParam("subscriptionId"), "Microsoft.Commerce.Admin"));
    router.get("/subscriptions/{subscriptionId}/providers/Microsoft.Commerce/subscriberUsageAggregates",
        ex -> provider(ex, ex.pathParam("subscriptionId"), "Microsoft.Commerce"));
    router.get("/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates",
        ex -> provider(ex, null, "Microsoft.Commerce.Admin"));
    router.get("/providers/Microsoft.Commerce/subscriberUsageAggregates", ex -> provider(ex, null, "Microsoft.Commerce"));
    // The empty subscription id, collapsed as for the tenant API.
    router.get("/subscriptions/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates",
        ex -> provider(ex, null, "Microsoft.Commerce.Admin"));
    router.get("/subscriptions/providers/Microsoft.Commerce/subscriberUsageAggregates",
        ex -> provider(ex, null, "Microsoft.Commerce"));
  }

  private Reply intake(Exchange ex) throws IOException {
    INTAKE_VERSIONS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Usage/usageEvents/write");
    requireJson(ex);
    byte[] body;
    try {
      body = ex.body(bodyLimit);
    } catch (Exchange.BodyTooLargeException e) {
      throw Problem.tooLarge("BatchTooLarge", "events", "A usage batch is at most " + bodyLimit + " bytes; split it.");
    }
    UsageIntake.Receipt receipt = intake.accept(EventParser.parse(body, maxEvents));
    ObjectNode out = Json.object();
    out.put("accepted", receipt.accepted());
    out.put("duplicates", receipt.duplicates());
    if (receipt.reportedTime() != null) {
      out.put("reportedTime", receipt.reportedTime().toString());
    }
    return Reply.json(200, out);
  }

  /**
   * Refuses, before the body is read, a batch that is not declared JSON or NDJSON: ARM's rule for
   * every body, so that a client sending XML by mistake hears of it instead of being half-understood.
   */
  private static void requireJson(Exchange ex) {
    String type = ex.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    String media = type.split(";", 2)[0].trim();
    if (!(media.equals("application/json") || media.equals("text/json") || media.endsWith("+json")
        || media.equals("application/x-ndjson") || media.equals("application/jsonl"))) {
      throw Problem.unsupportedContent("UnsupportedMediaType", "Content-Type", "The content type '" + (type.isEmpty() ? "(none)" : type)
          + "' is not supported. Send application/json (an array of events) or application/x-ndjson.");
    }
  }

  private Reply tenant(Exchange ex, String subscriptionId) {
    requireVersion(ex);
    if (subscriptionId == null) {
      throw missingSubscription();
    }
    UsageReads.Grant grant = reads.tenant(AccessControl.caller(ex), subscriptionId);
    String sub = grant.subscriptionId();
    Window w = window(ex);
    boolean details = showDetails(ex);
    String fingerprint = "t|" + sub + "|" + w + "|" + details;
    UsageQueries.Position after = continuation(ex, fingerprint);
    UsageQueries.Page page = reads.subscription(grant, w.from(), w.to(), w.granularity(), !details, after, PAGE_SIZE);
    return answer(ex, page, w, "Microsoft.Commerce", fingerprint);
  }

  private Reply provider(Exchange ex, String subscriptionId, String namespace) {
    requireVersion(ex);
    if (subscriptionId == null) {
      throw missingSubscription();
    }
    UsageReads.Grant grant = reads.provider(AccessControl.caller(ex), subscriptionId, namespace);
    String provider = grant.subscriptionId();
    Window w = window(ex);
    String subscriber = reads.subscriber(grant, ex.query("subscriberId").orElse(null));
    boolean details = showDetails(ex);
    String fingerprint = "p|" + provider + "|" + subscriber + "|" + w + "|" + details;
    UsageQueries.Position after = continuation(ex, fingerprint);
    UsageQueries.Page page = reads.directTenants(grant, subscriber, w.from(), w.to(), w.granularity(), !details,
        after, PAGE_SIZE);
    return answer(ex, page, w, namespace, fingerprint);
  }

  private static Problem missingSubscription() {
    return Problem.invalid("SubscriptionIdMissingInRequest", "subscriptionId",
        "The subscription id is missing from the request path (/subscriptions/{subscriptionId}/providers/...).");
  }

  private static void requireVersion(Exchange ex) {
    String version = ex.query("api-version").orElse("");
    if (version.isBlank()) {
      throw Problem.invalid("NoApiVersion", "api-version",
          "The api-version query parameter is required; the usage API takes api-version=" + USAGE_API_VERSION + ".");
    }
    if (!version.equalsIgnoreCase(USAGE_API_VERSION)) {
      throw Problem.invalid("InvalidApiVersionParameter", "api-version", "The api-version '" + version
          + "' is not supported by the usage API; use " + USAGE_API_VERSION + ".");
    }
  }

  /** The reported window and granularity a usage query asks for, checked as spec §5.3 says. */
  record Window(Instant from, Instant to, UsageQueries.Granularity granularity) {
    @Override
    public String toString() {
      return from.getEpochSecond() + "|" + to.getEpochSecond() + "|" + granularity;
    }
  }

  private Window window(Exchange ex) {
    String g = ex.query("aggregationGranularity").filter(s -> !s.isBlank()).orElse("Daily");
    UsageQueries.Granularity granularity = switch (g.toLowerCase(Locale.ROOT)) {
      case "daily" -> UsageQueries.Granularity.DAILY;
      case "hourly" -> UsageQueries.Granularity.HOURLY;
      default -> throw Problem.invalid("InvalidAggregationGranularity", "aggregationGranularity",
          "The aggregationGranularity '" + g + "' is invalid; use Daily or Hourly.");
    };
    Instant from = boundary(ex, "reportedStartTime", granularity);
    Instant to = boundary(ex, "reportedEndTime", granularity);
    if (!to.isAfter(from)) {
      throw Problem.invalid("InvalidProperty", "reportedEndTime",
          "The reportedEndTime must be after the reportedStartTime.");
    }
    if (to.isAfter(clock.instant())) {
      throw Problem.invalid("RequestEndTimeIsInFuture", "reportedEndTime", "The reportedEndTime '"
          + ex.query("reportedEndTime").orElse("") + "' is in the future; usage is reported for closed periods only.");
    }
    return new Window(from, to, granularity);
  }

  /**
   * {@code showDetails} of Microsoft's usage aggregates: {@code true} (the default) answers a row per
   * resource instance; {@code false} sums a subscription's instances into one row per meter and
   * period, without {@code instanceData}.
   */
  private static boolean showDetails(Exchange ex) {
    String v = ex.query("showDetails").map(String::trim).filter(s -> !s.isEmpty()).orElse("true");
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw Problem.invalid("InvalidProperty", "showDetails",
        "The parameter 'showDetails' must be true or false, not '" + v + "'.");
  }

  private static Instant boundary(Exchange ex, String name, UsageQueries.Granularity granularity) {
    String text = ex.query(name).map(String::trim).filter(s -> !s.isEmpty()).orElseThrow(() ->
        Problem.invalid("InvalidProperty", name, "The parameter '" + name + "' is required."));
    Instant at;
    try {
      // Microsoft's documentation shows an offset followed by Z (…T18:53:11+00:00Z); take it as the offset.
      // An unescaped '+' in the query arrives as a space; put it back.
      String plain = text.replace(' ', '+');
      String iso = plain.length() > 6 && plain.endsWith("Z") && (plain.charAt(plain.length() - 7) == '+'
          || plain.charAt(plain.length() - 7) == '-') ? plain.substring(0, plain.length() - 1) : plain;
      at = OffsetDateTime.parse(iso).toInstant();
    } catch (DateTimeParseException e) {
      throw Problem.invalid("InvalidProperty", name, "The parameter '" + name + "' must be an ISO-8601 "
          + "date-time in UTC, such as 2026-11-01T00:00:00Z.");
    }
    if (!at.truncatedTo(granularity.unit).equals(at)) {
      throw Problem.invalid("InvalidProperty", name, "The parameter '" + name + "' must be "
          + (granularity == UsageQueries.Granularity.DAILY ? "a UTC midnight for Daily granularity"
              : "on an hour boundary for Hourly granularity") + ", not " + text + ".");
    }
    return at;
  }

  private static UsageQueries.Position continuation(Exchange ex, String fingerprint) {
    String token = ex.query("continuationToken").filter(s -> !s.isBlank()).orElse(null);
    if (token == null) {
      return null;
    }
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", -1);
      if (parts.length == 6 && parts[0].equals("1") && parts[5].equals(Integer.toHexString(fingerprint.hashCode()))) {
        return new UsageQueries.Position(Instant.ofEpochSecond(Long.parseLong(parts[1])), parts[2], parts[3], parts[4]);
      }
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      // Not ours: answered below. A forged token can carry a period no Instant holds; that is a
      // DateTimeException, which would otherwise escape as a 500.
    }
    throw Problem.invalid("InvalidProperty", "continuationToken",
        "The continuationToken is not one this query returned; start again without it.");
  }

  private static String token(UsageQueries.Position p, String fingerprint) {
    String text = "1\n" + p.period().getEpochSecond() + "\n" + p.subscriptionId() + "\n" + p.meterId() + "\n"
        + p.instanceKey() + "\n" + Integer.toHexString(fingerprint.hashCode());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Reply answer(Exchange ex, UsageQueries.Page page, Window w, String namespace, String fingerprint) {
    ObjectNode out = Json.object();
    ArrayNode value = out.putArray("value");
    String type = namespace + "/UsageAggregate";
    for (UsageQueries.Row r : page.rows()) {
      ObjectNode row = value.addObject();
      String name = r.subscriptionId() + "-" + r.meterId();
      row.put("id", "/subscriptions/" + r.subscriptionId() + "/providers/" + type + "/" + name);
      row.put("name", name);
      row.put("type", type);
      ObjectNode props = row.putObject("properties");
      props.put("subscriptionId", r.subscriptionId());
      props.put("usageStartTime", TIME.format(r.periodStart().atOffset(ZoneOffset.UTC)));
      props.put("usageEndTime", TIME.format(r.periodStart().plus(1, w.granularity().unit).atOffset(ZoneOffset.UTC)));
      if (r.instanceData() != null) {
        props.put("instanceData", r.instanceData());
      }
      props.put("quantity", r.quantity().signum() == 0 ? java.math.BigDecimal.ZERO : r.quantity().stripTrailingZeros());
      props.put("meterId", r.meterId());
    }
    if (page.next() != null) {
      StringBuilder link = new StringBuilder(ex.url()).append('?');
      Exchange.decodePairs(ex.rawQuery()).forEach((k, v) -> {
        if (!k.equalsIgnoreCase("continuationToken")) {
          link.append(encode(k)).append('=').append(encode(v)).append('&');
        }
      });
      link.append("continuationToken=").append(token(page.next(), fingerprint));
      out.put("nextLink", link.toString());
    }
    return Reply.json(200, out);
  }

  private static String encode(String s) {
    return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
