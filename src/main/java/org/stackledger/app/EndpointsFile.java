package org.stackledger.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.stackledger.http.Json;

/**
 * {@code endpoints.json} in the data folder: every endpoint role's base URL, the certificate to
 * trust, the home tenant and the operator's subscription. The CLI and scripts find the server
 * through it. Keys are only ever added, never renamed; the file is replaced atomically, so a reader
 * never sees half of it.
 */
final class EndpointsFile {
  private EndpointsFile() {}

  static void write(Path dataDir, Map<EndpointRole, String> urls, Path certificate, String homeTenantId,
      String operatorSubscriptionId) throws IOException {
    ObjectNode out = Json.object();
    urls.forEach((role, url) -> out.put(role.key(), url));
    if (certificate == null) {
      out.putNull("certificate");
    } else {
      out.put("certificate", certificate.toAbsolutePath().toString());
    }
    out.put("homeTenantId", homeTenantId);
    out.put("operatorSubscriptionId", operatorSubscriptionId);
    Path target = dataDir.resolve("endpoints.json");
    Path partial = dataDir.resolve("endpoints.json.partial");
    Files.write(partial, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(out));
    Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
