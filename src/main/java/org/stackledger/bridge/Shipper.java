package org.stackledger.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import org.stackledger.http.Json;
import org.stackledger.stamp.Activation;
import org.stackledger.stamp.ActivationStore;
import org.stackledger.usage.Usage;

/**
 * One shipping pass: enqueue the closed reported hours the outbox does not hold yet, then — if the
 * deployment may ship — send the pending hours oldest first, each hour's parts in order, marking an
 * hour shipped only once the cloud acknowledged every part (200 stored, or 202 queued: a cloud on Kafka
 * answers once the part is on every in-sync replica of its commerce topic, and stores it later). A
 * failure stops the pass: the hours after the failing one wait behind it, so the cloud always receives
 * a deployment's hours in order,
 * and the failing hour is tried again after a backoff. Parts acknowledged before a failure are simply
 * sent again next time; the cloud counts each record once.
 */
final class Shipper {
  static final String API_VERSION = "2017-06-01";
  static final String CLOUD_UNREACHABLE = "CloudUnreachable";
  static final String REJECTED = "Rejected";

  private final Outbox outbox;
  private final Usage usage;
  private final ActivationStore activations;
  private final String cloudId;
  private final Function<String, String> tenantOf;
  private final Supplier<String> cloudArm;
  private final BridgeToken token;
  private final CommerceTarget target;
  private final Backoff backoff;
  private final Clock clock;
  private final LongConsumer shipped;

  private final Connectivity connectivity;

  Shipper(Outbox outbox, Connectivity connectivity, Bridge.Deployment deployment, Bridge.Cloud cloud, Backoff backoff, Clock clock,
      LongConsumer shipped) {
    this.outbox = outbox;
    this.usage = deployment.usage();
    this.activations = deployment.activations();
    this.cloudId = deployment.cloudId();
    this.tenantOf = deployment.tenantOf();
    this.cloudArm = cloud.arm();
    this.token = cloud.token();
    this.target = cloud.target();
    this.backoff = backoff;
    this.clock = clock;
    this.shipped = shipped;
    this.connectivity = connectivity;
  }

  /**
   * Why the deployment may not ship, from its activation in force; empty when it may. Hours reported
   * while it could not stay pending: usage is never silently dropped.
   */
  static Optional<BridgeNotReady> readiness(Optional<Activation> current, Instant now, boolean disconnected) {
    if (disconnected) {
      return Optional.of(new BridgeNotReady("Disconnected", "The operator set the deployment disconnected: it ships "
          + "nothing; export its usage as a signed file for the cloud to import, or connect it again."));
    }
    if (current.isEmpty()) {
      return Optional.of(new BridgeNotReady("NotRegistered", "The deployment is not registered (no activation in "
          + "force): it ships nothing. Register it and activate it with the cloud's activation key; its usage waits."));
    }
    Activation a = current.get();
    if (!now.isBefore(a.expiresAt())) {
      return Optional.of(new BridgeNotReady("ActivationExpired", "The deployment's activation expired at "
          + a.expiresAt() + ": it ships nothing. Activate it again with a new activation key; its usage waits."));
    }
    if ("Capacity".equalsIgnoreCase(a.billingModel()) && !a.usageReportingEnabled()) {
      return Optional.of(new BridgeNotReady("ReportingDisabled", "The deployment is registered with the Capacity "
          + "billing model and usage reporting off: it ships no usage."));
    }
    return Optional.empty();
  }

  /** @param force attempt the oldest pending hour even if its backoff has not run out (the operator asked) */
  void pass(boolean force) {
    discover();
    Optional<Activation> current = activations.current();
    if (readiness(current, clock.instant(), connectivity.disconnected()).isPresent()) {
      return;
    }
    URI url = usageUrl(current.get().registrationId());
    boolean first = true;
    for (Outbox.Row row : outbox.pending()) {
      if (!(force && first) && row.nextAttemptAt().isAfter(clock.instant())) {
        return;
      }
      first = false;
      if (!ship(row, url)) {
        return;
      }
    }
  }

  /**
   * Enqueues the closed hours after the latest one the outbox holds. Reported hours only ever close in
   * order (the clock moves forward and stamps only the current hour), so nothing before that hour can
   * be new.
   */
  private void discover() {
    Instant closed = usage.closedBefore();
    Instant from = outbox.latestHour().map(h -> h.plus(1, ChronoUnit.HOURS)).orElse(Instant.EPOCH);
    if (from.isBefore(closed)) {
      outbox.enqueue(usage.reportedHours(from, closed), clock.instant());
    }
  }

  URI usageUrl(String registrationId) {
    String base = cloudArm.get();
    base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return URI.create(base + (registrationId.startsWith("/") ? "" : "/") + registrationId + "/usage?api-version="
        + API_VERSION);
  }

  /** Ships one hour; false when an attempt failed (recorded on the hour, with its next attempt). */
  private boolean ship(Outbox.Row row, URI url) {
    String bearer;
    try {
      bearer = token.bearer();
    } catch (BridgeNotReady e) {
      outbox.failed(row.hour(), null, null, next(backoff.after(row.attempts() + 1)), e.code(), e.code(),
          e.getMessage());
      return false;
    }
    UsageRecords records = new UsageRecords(row.hour());
    usage.readHour(row.hour(), records::add);
    List<UsageRecords.Part> parts = records.parts(cloudId, tenantOf);
    long total = records.records();
    for (UsageRecords.Part part : parts) {
      CommerceTarget.Answer answer;
      try {
        answer = target.upload(url, bearer, part.json());
      } catch (IOException e) {
        outbox.failed(row.hour(), parts.size(), total, next(backoff.after(row.attempts() + 1)), CLOUD_UNREACHABLE,
            CLOUD_UNREACHABLE, "Cannot reach the cloud's commerce intake at " + url.getScheme() + "://"
                + url.getAuthority() + " (batch " + part.batchId() + "): " + describe(e));
        return false;
      }
      if (answer.status() != 200 && answer.status() != 202) {
        int status = answer.status();
        // Overloaded or briefly away: soon again. Refused: the same batch would be refused again, so
        // the longest wait, until an operator has looked (ship retries at once).
        boolean passing = status >= 500 || status == 408 || status == 429;
        CloudError error = error(answer);
        outbox.failed(row.hour(), parts.size(), total,
            next(passing ? backoff.after(row.attempts() + 1) : backoff.longest()),
            passing ? CLOUD_UNREACHABLE : REJECTED, error.code(), "The cloud answered " + status + " " + error.code()
                + " to batch " + part.batchId() + ": " + error.message());
        return false;
      }
    }
    outbox.shipped(row.hour(), parts.size(), total, clock.instant());
    shipped.accept(total);
    return true;
  }

  private Instant next(Duration delay) {
    return clock.instant().plus(delay);
  }

  private static String describe(IOException e) {
    return e.getMessage() == null || e.getMessage().isBlank() ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private record CloudError(String code, String message) {}

  /** The code and message of the cloud's ARM error envelope, or what can be said without one. */
  private static CloudError error(CommerceTarget.Answer answer) {
    try {
      JsonNode e = Json.MAPPER.readTree(answer.body() == null ? "" : answer.body()).path("error");
      if (e.hasNonNull("code")) {
        return new CloudError(e.get("code").asText(), e.path("message").asText(""));
      }
    } catch (IOException | RuntimeException ignored) {
      // Not JSON (a proxy's HTML page, say): the status is all there is.
    }
    return new CloudError("HttpStatus" + answer.status(), "no ARM error envelope in the answer");
  }
}
