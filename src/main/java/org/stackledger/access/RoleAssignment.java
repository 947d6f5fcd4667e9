package org.stackledger.access;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import org.stackledger.http.Json;

/**
 * A principal holds a role at a scope: {@code /} (everything, the operator's bootstrap admin), a
 * subscription, a resource group or a resource, and everything beneath it.
 */
public record RoleAssignment(String assignmentId, String scope, String roleDefinitionId, String principalId,
    String principalType, Instant createdOn) {
  static final String TYPE = "Microsoft.Authorization/roleAssignments";

  /** The lower-case scope that prefix comparisons use. */
  String scopeKey() {
    return RoleAssignments.scopeKey(scope);
  }

  /** True when this assignment's scope is the given id or one of its ancestors. */
  boolean covers(String targetKey) {
    String key = scopeKey();
    return key.equals("/") || targetKey.equals(key) || targetKey.startsWith(key + "/");
  }

  String id() {
    return (scope.equals("/") ? "" : scope) + "/providers/Microsoft.Authorization/roleAssignments/" + assignmentId;
  }

  ObjectNode toJson() {
    ObjectNode out = Json.object();
    out.put("id", id());
    out.put("name", assignmentId);
    out.put("type", TYPE);
    ObjectNode p = out.putObject("properties");
    p.put("roleDefinitionId", roleDefinitionPath());
    p.put("principalId", principalId);
    p.put("principalType", principalType);
    p.put("scope", scope);
    p.put("createdOn", createdOn.toString());
    p.put("updatedOn", createdOn.toString());
    return out;
  }

  private String roleDefinitionPath() {
    String base = scope.startsWith("/subscriptions/") ? scope.substring(0, scope.indexOf('/', 15) < 0 ? scope.length()
        : scope.indexOf('/', 15)) : "";
    return base + "/providers/Microsoft.Authorization/roleDefinitions/" + roleDefinitionId;
  }
}
