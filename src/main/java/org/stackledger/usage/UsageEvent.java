package org.stackledger.usage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One usage record as a resource provider reports it: so much of a meter, used by one resource of
 * one user subscription within one usage window. {@code eventId} is the provider's idempotency key,
 * unique on the deployment. {@code tags} and {@code additionalInfo} are compact JSON object text, or
 * {@code null}; they travel into the usage APIs' {@code instanceData} unchanged.
 */
public record UsageEvent(String eventId, String subscriptionId, String meterId, BigDecimal quantity,
    Instant usageStartTime, Instant usageEndTime, String resourceUri, String location, String tags,
    String additionalInfo) {

  public UsageEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(subscriptionId, "subscriptionId");
    Objects.requireNonNull(meterId, "meterId");
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(usageStartTime, "usageStartTime");
    Objects.requireNonNull(usageEndTime, "usageEndTime");
    Objects.requireNonNull(resourceUri, "resourceUri");
    Objects.requireNonNull(location, "location");
  }

  /** A batch as the HTTP intake takes it: a JSON array of event objects. */
  public static byte[] toJson(java.util.List<UsageEvent> batch) {
    var array = org.stackledger.http.Json.MAPPER.createArrayNode();
    for (UsageEvent e : batch) {
      var o = array.addObject();
      o.put("eventId", e.eventId());
      o.put("subscriptionId", e.subscriptionId());
      o.put("meterId", e.meterId());
      o.put("quantity", e.quantity());
      o.put("usageStartTime", e.usageStartTime().toString());
      o.put("usageEndTime", e.usageEndTime().toString());
      o.put("resourceUri", e.resourceUri());
      o.put("location", e.location());
      if (e.tags() != null) {
        o.set("tags", org.stackledger.http.Json.parseObject(e.tags()));
      }
      if (e.additionalInfo() != null) {
        o.set("additionalInfo", org.stackledger.http.Json.parseObject(e.additionalInfo()));
      }
    }
    return org.stackledger.http.Json.bytes(array);
  }
}
