package org.stackledger.usersubscriptions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.stackledger.http.Json;

/**
 * A plan or an offer of the deployment as stored: {@code id} keeps the spelling of its first PUT,
 * {@code properties} the type's own properties (validated before they are stored).
 */
public record Offering(String id, Kind kind, String location, ObjectNode properties, String etag, Instant createdAt) {
  /** The two resource types, by the segment that names them in an id. */
  public enum Kind {
    PLANS("plans"), OFFERS("offers");

    final String segment;

    Kind(String segment) {
      this.segment = segment;
    }

    String type() {
      return OfferingRoutes.NAMESPACE + "/" + segment;
    }
  }

  String key() {
    return id.toLowerCase(java.util.Locale.ROOT);
  }

  String name() {
    return id.substring(id.lastIndexOf('/') + 1);
  }

  /** The ARM resource, as the admin API answers it. */
  public ObjectNode toJson() {
    ObjectNode out = Json.object();
    out.put("id", id);
    out.put("name", name());
    out.put("type", kind.type());
    out.put("location", location);
    ObjectNode p = properties.deepCopy();
    p.put("name", name());
    p.put("provisioningState", "Succeeded");
    out.set("properties", p);
    out.put("etag", etag);
    return out;
  }
}
