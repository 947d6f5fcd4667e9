package org.stackledger.arm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.stackledger.http.Json;

/** An Azure subscription as the cloud ARM endpoint shows it. */
public record Subscription(String subscriptionId, String displayName, String tenantId, State state, Instant createdAt) {
  /** Subscription states as Resource Manager names them. */
  public enum State { Enabled, Warned, PastDue, Disabled, Deleted }

  public ObjectNode toJson() {
    ObjectNode out = Json.object();
    out.put("id", "/subscriptions/" + subscriptionId);
    out.put("authorizationSource", "RoleBased");
    out.putArray("managedByTenants");
    out.put("subscriptionId", subscriptionId);
    out.put("tenantId", tenantId);
    out.put("displayName", displayName);
    out.put("state", state.name());
    ObjectNode policies = out.putObject("subscriptionPolicies");
    policies.put("locationPlacementId", "Public_2014-09-01");
    policies.put("quotaId", "PayAsYouGo_2014-09-01");
    policies.put("spendingLimit", "Off");
    return out;
  }
}
