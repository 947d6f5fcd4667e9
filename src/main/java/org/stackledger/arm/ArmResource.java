package org.stackledger.arm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.stackledger.http.Json;

/**
 * A stored resource: its id, type, ETag and body. The body holds everything a client sees except
 * {@code id}, {@code name}, {@code type} and {@code etag}, which the store owns.
 */
public record ArmResource(ResourceId id, String type, String etag, ObjectNode body, Instant createdAt,
    Instant changedAt) {

  /** The resource as Resource Manager shows it. */
  public ObjectNode toJson() {
    ObjectNode out = Json.object();
    out.put("id", id.toString());
    out.put("name", id.name());
    out.put("type", type);
    out.setAll(body.deepCopy());
    out.put("etag", etag);
    return out;
  }
}
