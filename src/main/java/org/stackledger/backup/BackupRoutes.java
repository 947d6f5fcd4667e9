package org.stackledger.backup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ArmBody;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;

/**
 * {@code POST /providers/Stackledger.Store/backup?api-version=2026-11-01} with {@code {"file": path}}
 * on the stack admin endpoint (root scope, action {@code Stackledger.Store/backup/action}): an online
 * backup of the embedded store to a new file on the server.
 */
public final class BackupRoutes {
  static final ApiVersions VERSIONS = ApiVersions.of("Stackledger.Store/backup", "2026-11-01");

  private final Arm arm;
  private final Backup backup;

  public BackupRoutes(Arm arm, Backup backup) {
    this.arm = arm;
    this.backup = backup;
  }

  public void register(Router router) {
    router.post("/providers/Stackledger.Store/backup", ex -> {
      VERSIONS.require(ex);
      arm.authorizeRoot(ex, "Stackledger.Store/backup/action");
      Path file = ArmBody.serverPath(arm.body().required(ex), "file");
      long bytes = backup.write(file);
      ObjectNode out = Json.object();
      out.put("file", file.toString());
      out.put("bytes", bytes);
      return Reply.json(200, out);
    });
  }
}
