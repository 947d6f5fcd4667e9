package org.stackledger.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;
import org.stackledger.store.Settings;

/**
 * The deployment operator's usage settings: how old a usage hour the intake still takes
 * ({@code maxUsageAge}). Resource providers report within hours; usage older than this is a clock
 * or replay mistake that would otherwise reopen long-closed invoices.
 * {@code GET|PUT /providers/Stackledger.Usage/usageSettings/default}. The value is read on every
 * batch, so it is kept in memory and only this class writes it.
 */
final class UsageSettings {
  static final Duration DEFAULT_MAX_AGE = Duration.ofDays(7);
  static final Duration MIN_MAX_AGE = Duration.ofHours(1);
  /** Below the cloud's own window by default (commerce's {@code maxUsageAge}, 90 days). */
  static final Duration MAX_MAX_AGE = Duration.ofDays(90);
  static final String PATH = "/providers/Stackledger.Usage/usageSettings/default";
  static final ApiVersions VERSIONS = ApiVersions.of("Stackledger.Usage/usageSettings", "2026-11-01");
  private static final String MAX_AGE = "usage.maxUsageAge";

  private final Settings settings;
  private final Arm arm;
  private volatile Duration maxUsageAge;

  UsageSettings(Settings settings, Arm arm) {
    this.settings = settings;
    this.arm = arm;
  }

  /** The oldest usage the intake takes, measured back from the deployment's clock. */
  Duration maxUsageAge() {
    Duration d = maxUsageAge;
    if (d == null) {
      d = settings.get(MAX_AGE).map(Duration::parse).orElse(DEFAULT_MAX_AGE);
      maxUsageAge = d;
    }
    return d;
  }

  void register(Router router) {
    router.get(PATH, ex -> {
      VERSIONS.require(ex);
      arm.authorizeRoot(ex, "Stackledger.Usage/usageSettings/read");
      return Reply.json(200, render());
    });
    router.put(PATH, this::put);
  }

  private Reply put(Exchange ex) throws IOException {
    VERSIONS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Usage/usageSettings/write");
    JsonNode p = arm.body().required(ex).path("properties");
    if (p.has("maxUsageAge")) {
      Duration asked;
      try {
        asked = Duration.parse(p.path("maxUsageAge").asText());
      } catch (DateTimeParseException e) {
        throw invalid("The maxUsageAge must be an ISO 8601 duration such as P7D.");
      }
      if (asked.compareTo(MIN_MAX_AGE) < 0 || asked.compareTo(MAX_MAX_AGE) > 0) {
        throw invalid("The maxUsageAge must be between " + MIN_MAX_AGE + " and " + MAX_MAX_AGE + ".");
      }
      synchronized (this) {
        settings.put(MAX_AGE, asked.toString());
        maxUsageAge = asked;
      }
    }
    return Reply.json(200, render());
  }

  private static Problem invalid(String message) {
    return Problem.invalid("InvalidUsageSettings", "properties.maxUsageAge", message);
  }

  private ObjectNode render() {
    ObjectNode o = Json.object();
    o.put("id", PATH);
    o.put("name", "default");
    o.put("type", "Stackledger.Usage/usageSettings");
    o.putObject("properties").put("maxUsageAge", maxUsageAge().toString());
    return o;
  }
}
