package org.stackledger.bridge;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;

/**
 * The bridge's operator API on the stack admin ARM endpoint (api-version {@code 2026-11-01}), both at
 * the root scope: {@code GET /providers/Stackledger.Bridge/status} (action
 * {@code Stackledger.Bridge/status/read}, so Reader suffices) and {@code POST
 * /providers/Stackledger.Bridge/ship} (action {@code Stackledger.Bridge/ship/action}), which runs a
 * pass now and answers the status after it.
 */
final class BridgeRoutes {
  static final ApiVersions VERSIONS = ApiVersions.of("Stackledger.Bridge/status", "2026-11-01");
  static final String PROVIDER = "/providers/Stackledger.Bridge";

  private final Arm arm;
  private final Bridge bridge;

  BridgeRoutes(Arm arm, Bridge bridge) {
    this.arm = arm;
    this.bridge = bridge;
  }

  void register(Router router) {
    router.get(PROVIDER + "/status", ex -> {
      operator(ex, "Stackledger.Bridge/status/read");
      return Reply.json(200, json(bridge.status(), bridge.aggregationLag()));
    });
    router.post(PROVIDER + "/disconnect", ex -> {
      operator(ex, "Stackledger.Bridge/connectivity/action");
      return Reply.json(200, json(bridge.connect(false), bridge.aggregationLag()));
    });
    router.post(PROVIDER + "/connect", ex -> {
      operator(ex, "Stackledger.Bridge/connectivity/action");
      return Reply.json(200, json(bridge.connect(true), bridge.aggregationLag()));
    });
    router.post(PROVIDER + "/ship", ex -> {
      operator(ex, "Stackledger.Bridge/ship/action");
      return Reply.json(200, json(bridge.ship(), bridge.aggregationLag()));
    });
  }

  private void operator(Exchange ex, String action) {
    VERSIONS.require(ex);
    arm.authorizeRoot(ex, action);
  }

  /** The status, with the aggregation group's lag per partition where the usage log is on Kafka. */
  static ObjectNode json(BridgeStatus s, java.util.List<Bridge.PartitionLag> lag) {
    ObjectNode out = json(s);
    if (!lag.isEmpty()) {
      var partitions = out.putArray("aggregationLag");
      for (Bridge.PartitionLag p : lag) {
        partitions.addObject().put("partition", p.partition()).put("committedOffset", p.committed())
            .put("endOffset", p.end()).put("lag", p.lag());
      }
    }
    return out;
  }

  static ObjectNode json(BridgeStatus s) {
    ObjectNode out = Json.object();
    out.put("state", s.state());
    out.put("reason", s.reason());
    out.put("cloudId", s.cloudId());
    out.put("registrationId", s.registrationId());
    out.put("oldestUnshippedHour", text(s.oldestUnshippedHour()));
    out.put("lagSeconds", s.lagSeconds());
    out.put("pendingHours", s.pendingHours());
    out.put("shippedHours", s.shippedHours());
    out.put("shippedRecords", s.shippedRecords());
    out.put("lastShippedAt", text(s.lastShippedAt()));
    if (s.lastError() == null) {
      out.putNull("lastError");
    } else {
      out.putObject("lastError").put("code", s.lastError().code()).put("message", s.lastError().message());
    }
    out.put("nextAttemptAt", text(s.nextAttemptAt()));
    return out;
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
