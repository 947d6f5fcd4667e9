package org.stackledger.meters;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.stackledger.arm.ApiVersions;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * {@code GET /providers/Stackledger.Usage/meters[/{meterId}]} on the deployment's ARM endpoints: the
 * meter catalogue, read-only, for any signed-in caller. Like a provider's operations list it sits
 * above every subscription and names nothing of anyone's resources, so it needs no role. The list is
 * answered whole: the catalogue is fixed and smaller than one page.
 */
public final class MeterRoutes {
  static final String NAMESPACE = "Stackledger.Usage";
  static final String TYPE = NAMESPACE + "/meters";
  static final String COLLECTION = "/providers/" + TYPE;
  /** Ours, not Azure Stack's: Azure Stack publishes its meters in documents, not through an API. */
  static final ApiVersions VERSIONS = ApiVersions.of(TYPE, "2026-11-01");

  private final MeterCatalogue catalogue;

  private MeterRoutes(MeterCatalogue catalogue) {
    this.catalogue = catalogue;
  }

  public static void register(Router router, MeterCatalogue catalogue) {
    MeterRoutes routes = new MeterRoutes(catalogue);
    router.get(COLLECTION, routes::list);
    router.get(COLLECTION + "/{meterId}", routes::one);
  }

  private Reply list(Exchange ex) {
    VERSIONS.require(ex);
    ObjectNode out = Json.object();
    ArrayNode value = out.putArray("value");
    for (Meter m : catalogue.all()) {
      value.add(render(m));
    }
    return Reply.json(200, out);
  }

  private Reply one(Exchange ex) {
    VERSIONS.require(ex);
    String id = ex.pathParam("meterId");
    Meter meter = catalogue.find(id).orElseThrow(() -> Problem.notFound("MeterNotFound",
        "The meter '" + id + "' is not in the deployment's meter catalogue."));
    return Reply.json(200, render(meter));
  }

  static ObjectNode render(Meter m) {
    ObjectNode o = Json.object();
    o.put("id", COLLECTION + "/" + m.id());
    o.put("name", m.id());
    o.put("type", TYPE);
    ObjectNode p = o.putObject("properties");
    p.put("meterId", m.id());
    p.put("meterName", m.name());
    p.put("unit", m.unit());
    p.put("category", m.category());
    p.put("resourceProvider", m.resourceProvider());
    p.put("kind", pascal(m.kind().name()));
    p.put("period", pascal(m.period().name()));
    p.put("deprecated", m.deprecated());
    if (!m.notes().isEmpty()) {
      p.put("notes", m.notes());
    }
    return o;
  }

  private static String pascal(String constant) {
    return constant.charAt(0) + constant.substring(1).toLowerCase(java.util.Locale.ROOT);
  }
}
