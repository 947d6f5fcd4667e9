package org.stackledger.arm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Supplier;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;

/**
 * {@code GET /metadata/endpoints?api-version=2015-01-01}: how Azure CLI and PowerShell discover a
 * custom cloud (an Azure Stack ARM endpoint) — where to sign in, which audiences tokens must carry,
 * and the portal, gallery and graph endpoints.
 */
public final class MetadataRoutes {
  static final ApiVersions VERSIONS = ApiVersions.of("metadata/endpoints", "2015-01-01");

  /** What one ARM endpoint tells its clients. */
  public record Endpoints(String loginEndpoint, List<String> audiences, String portalEndpoint, String galleryEndpoint,
      String graphEndpoint) {}

  private MetadataRoutes() {}

  /** Adds the anonymous metadata route; {@code endpoints} is read per request since ports bind late. */
  public static void register(Router router, Supplier<Endpoints> endpoints) {
    router.anonymous("GET", "/metadata/endpoints", ex -> {
      VERSIONS.require(ex);
      Endpoints e = endpoints.get();
      ObjectNode out = Json.object();
      out.put("galleryEndpoint", e.galleryEndpoint());
      out.put("graphEndpoint", e.graphEndpoint());
      out.put("portalEndpoint", e.portalEndpoint());
      ObjectNode auth = out.putObject("authentication");
      auth.put("loginEndpoint", e.loginEndpoint());
      var audiences = auth.putArray("audiences");
      e.audiences().forEach(audiences::add);
      return Reply.json(200, out);
    });
  }
}
