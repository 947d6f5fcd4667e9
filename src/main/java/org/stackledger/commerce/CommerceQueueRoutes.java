package org.stackledger.commerce;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.kafka.ConsumerLag;
import org.stackledger.problem.Problem;

/**
 * {@code GET /providers/Stackledger.Billing/commerceQueue} on the cloud ARM endpoint, the operator's:
 * whether uploads are queued on Kafka, the commerce workers' lag per partition (asked of the cluster
 * now), and the newest uploads the store refused after they were queued ({@code commerce_rejected_uploads}).
 */
final class CommerceQueueRoutes {
  static final String PATH = "/providers/Stackledger.Billing/commerceQueue";
  private static final ApiVersions VERSIONS = ApiVersions.of("Stackledger.Billing/commerceQueue", "2026-11-01");
  private static final String READ = "Stackledger.Billing/commerceQueue/read";
  private static final int REJECTIONS_SHOWN = 100;
  private static final Duration LAG_WAIT = Duration.ofSeconds(5);

  private final AccessControl access;
  private final RejectedUploads rejected;
  /** The commerce group's lag, or {@code null} when uploads are stored at once (no Kafka). */
  private final ConsumerLag lag;

  CommerceQueueRoutes(Arm arm, RejectedUploads rejected, ConsumerLag lag) {
    this.access = AccessControl.of(arm);
    this.rejected = rejected;
    this.lag = lag;
  }

  void register(Router router) {
    router.get(PATH, this::get);
  }

  private Reply get(Exchange ex) {
    VERSIONS.require(ex);
    access.requireRoot(AccessControl.caller(ex), READ);
    ObjectNode out = Json.object();
    out.put("queued", lag != null);
    ArrayNode partitions = out.putArray("partitions");
    if (lag != null) {
      try {
        for (ConsumerLag.Partition p : lag.partitions(LAG_WAIT)) {
          partitions.addObject().put("partition", p.partition()).put("committed", p.committed()).put("end", p.end())
              .put("lag", p.lag());
        }
      } catch (IllegalStateException e) {
        throw Problem.unavailable("CommerceQueueUnavailable", "The commerce queue's cluster did not answer: "
            + e.getMessage(), Duration.ofSeconds(30));
      }
    }
    ArrayNode value = out.putArray("rejectedUploads");
    for (RejectedUploads.Rejection r : rejected.newest(REJECTIONS_SHOWN)) {
      value.addObject().put("uploadId", r.uploadId()).put("registrationId", r.registrationId())
          .put("batchId", r.batchId()).put("records", r.records()).put("source", r.source()).put("code", r.code())
          .put("message", r.message()).put("receivedAt", r.receivedAt().toString())
          .put("rejectedAt", r.rejectedAt().toString());
    }
    return Reply.json(200, out);
  }
}
