package org.stackledger.usage;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;

/**
 * What the deployment's usage intake took today, the operator's "events today":
 * {@code GET /providers/Stackledger.Usage/usageIntake/default}. The day is the deployment clock's UTC
 * day, as usage hours are; an event counts in the hour it was reported (accepted), not the hour of
 * its usage window, and only once — a repeat the intake recognised is not in the log. Read from the
 * log's batch rows, so it costs a row a batch of today, not an event, and it is the same on every
 * intake node of a deployment (all append to one log).
 */
final class IntakeToday {
  static final String PATH = "/providers/Stackledger.Usage/usageIntake/default";
  static final ApiVersions VERSIONS = ApiVersions.of("Stackledger.Usage/usageIntake", "2026-11-01");

  private final UsageLog log;
  private final Arm arm;
  private final Clock clock;

  IntakeToday(UsageLog log, Arm arm, Clock clock) {
    this.log = log;
    this.arm = arm;
    this.clock = clock;
  }

  void register(Router router) {
    router.get(PATH, this::get);
  }

  private Reply get(Exchange ex) {
    VERSIONS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Usage/usageIntake/read");
    Instant day = clock.instant().truncatedTo(ChronoUnit.DAYS);
    List<UsageLog.HourTally> hours = log.tally(day, day.plus(1, ChronoUnit.DAYS));
    long events = 0;
    long batches = 0;
    ObjectNode o = Json.object();
    o.put("id", PATH);
    o.put("name", "default");
    o.put("type", "Stackledger.Usage/usageIntake");
    ObjectNode p = o.putObject("properties");
    ArrayNode byHour = o.arrayNode();
    for (UsageLog.HourTally h : hours) {
      events += h.events();
      batches += h.batches();
      byHour.addObject().put("hour", h.hour().toString()).put("events", h.events()).put("batches", h.batches());
    }
    p.put("day", day.toString().substring(0, 10));
    p.put("eventsToday", events);
    p.put("batchesToday", batches);
    log.lastReportedAt().ifPresentOrElse(at -> p.put("lastReportedAt", at.toString()), () -> p.putNull("lastReportedAt"));
    p.set("hours", byHour);
    return Reply.json(200, o);
  }
}
