package org.stackledger.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ArmBody;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * The operator's retention API on the stack admin ARM endpoint (api-version {@code 2026-11-01}, root
 * scope, action {@code Stackledger.Usage/archives/action}): {@code POST
 * /providers/Stackledger.Usage/archives} with {@code {"before": "2026-01"}} archives the months before
 * it, and {@code POST /providers/Stackledger.Usage/archives/import} with {@code {"file": path}} puts a
 * file back. Paths are the server's: the files are written in its data folder and read where the
 * operator names.
 */
public final class ArchiveRoutes {
  static final ApiVersions VERSIONS = ApiVersions.of("Stackledger.Usage/archives", "2026-11-01");
  static final String PATH = "/providers/Stackledger.Usage/archives";
  private static final String ACTION = "Stackledger.Usage/archives/action";

  private final Arm arm;
  private final Retention retention;

  public ArchiveRoutes(Arm arm, Retention retention) {
    this.arm = arm;
    this.retention = retention;
  }

  public void register(Router router) {
    router.post(PATH, ex -> {
      JsonNode body = operatorBody(ex);
      YearMonth before;
      try {
        before = YearMonth.parse(body.path("before").asText());
      } catch (DateTimeParseException e) {
        throw Problem.invalid("InvalidParameter", "before", "'before' must be a month, e.g. 2026-01.");
      }
      ArrayNode months = Json.MAPPER.createArrayNode();
      for (Retention.Archived a : retention.archive(before)) {
        months.addObject().put("month", a.month().toString()).put("file", a.file().toString())
            .put("batches", a.batches()).put("events", a.events());
      }
      ObjectNode out = Json.object();
      out.set("months", months);
      return Reply.json(200, out);
    });
    router.post(PATH + "/import", ex -> {
      JsonNode body = operatorBody(ex);
      Path file = ArmBody.serverPath(body, "file");
      Retention.Imported i = retention.importFile(file);
      ObjectNode out = Json.object();
      out.put("month", i.month().toString());
      out.put("batches", i.batches());
      out.put("events", i.events());
      out.put("restoredBatches", i.restoredBatches());
      out.put("restoredEvents", i.restoredEvents());
      return Reply.json(200, out);
    });
  }

  private JsonNode operatorBody(Exchange ex) throws java.io.IOException {
    VERSIONS.require(ex);
    arm.authorizeRoot(ex, ACTION);
    return arm.body().required(ex);
  }
}
