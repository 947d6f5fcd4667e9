package org.stackledger.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.stackledger.arm.Arm;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;
import org.stackledger.stamp.Activation;

/**
 * {@code GET /providers/Stackledger.Bridge/usageFile?from=&to=&api-version=2026-11-01} on the stack
 * admin endpoint: the usage a disconnected deployment cannot ship, as a signed file for the cloud to
 * import. It holds the closed reported hours in {@code [from, to)}, cut into exactly the batches the
 * bridge would upload, so a file and the connected path give the cloud the same records (each counted
 * once, whichever way it arrives first). Signed with the deployment's bridge key.
 */
public final class UsageFileExport {
  /** Signs the batches into a usage file (the cloud's format): the composition root's. */
  @FunctionalInterface
  public interface Signer {
    byte[] sign(String cloudId, String registrationId, Instant from, Instant to, List<JsonNode> batches);
  }

  private final Bridge.Deployment deployment;
  private final Arm arm;
  private final Signer signer;

  public UsageFileExport(Bridge.Deployment deployment, Arm arm, Signer signer) {
    this.deployment = deployment;
    this.arm = arm;
    this.signer = signer;
  }

  public void register(Router router) {
    router.get(BridgeRoutes.PROVIDER + "/usageFile", this::export);
  }

  private Reply export(Exchange ex) throws IOException {
    BridgeRoutes.VERSIONS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Bridge/usageFile/action");
    Instant from = hour(ex, "from");
    Instant to = hour(ex, "to");
    if (!to.isAfter(from)) {
      throw Problem.invalid("InvalidParameter", "to", "The 'to' hour must be after 'from'.");
    }
    Instant closed = deployment.usage().closedBefore();
    if (to.isAfter(closed)) {
      throw Problem.invalid("InvalidParameter", "to", "Usage is closed up to " + closed
          + "; a file holds closed hours only, so 'to' must not be later.");
    }
    Activation activation = deployment.activations().current().orElseThrow(() -> Problem.conflict(
        "NotRegistered", "The deployment is not activated: a usage file names the registration it is for."));
    List<JsonNode> batches = new ArrayList<>();
    for (Instant hour : deployment.usage().reportedHours(from, to)) {
      UsageRecords records = new UsageRecords(hour);
      deployment.usage().readHour(hour, records::add);
      for (UsageRecords.Part part : records.parts(deployment.cloudId(), deployment.tenantOf())) {
        batches.add(Json.EXACT.readTree(part.json()));
      }
    }
    byte[] file = signer.sign(deployment.cloudId(), activation.registrationId(), from, to, batches);
    return Reply.bytes(200, file, "application/json").header("Content-Disposition",
        "attachment; filename=\"usage-" + deployment.cloudId() + "-" + from.toString().substring(0, 13) + ".json\"");
  }

  private static Instant hour(Exchange ex, String name) {
    String v = ex.query(name).orElseThrow(() -> Problem.invalid("MissingParameter", name,
        "The query parameter '" + name + "' is required."));
    try {
      Instant t = OffsetDateTime.parse(v).toInstant();
      if (!t.equals(t.truncatedTo(ChronoUnit.HOURS))) {
        throw Problem.invalid("InvalidParameter", name, "The '" + name + "' must be the start of an hour.");
      }
      return t;
    } catch (DateTimeParseException e) {
      throw Problem.invalid("InvalidParameter", name, "The '" + name
          + "' must be an ISO 8601 date and time with an offset.");
    }
  }
}
