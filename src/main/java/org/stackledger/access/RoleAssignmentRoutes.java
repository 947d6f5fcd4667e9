package org.stackledger.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.Paging;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.TrackedResource;
import org.stackledger.http.Exchange;
import org.stackledger.http.Guids;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * {@code Microsoft.Authorization/roleAssignments} and {@code roleDefinitions} at subscription,
 * resource-group and resource scope: how an owner gives a user or service principal a role.
 */
public final class RoleAssignmentRoutes {
  static final ApiVersions VERSIONS = ApiVersions.of("Microsoft.Authorization/roleAssignments", "2015-07-01",
      "2017-10-01-preview", "2018-01-01-preview", "2018-09-01-preview", "2020-04-01-preview", "2020-08-01-preview",
      "2020-10-01-preview", "2022-04-01");
  private static final List<String> SCOPES = List.of(
      "/subscriptions/{subscriptionId}",
      "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}",
      "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}/providers/{namespace}/{type}/{name}",
      "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}/providers/{namespace}/{type}/{name}/{childType}/{childName}");

  private final Arm arm;
  private final RoleAssignments assignments;
  private final Function<String, Optional<String>> principalType;

  private RoleAssignmentRoutes(Arm arm, RoleAssignments assignments, Function<String, Optional<String>> principalType) {
    this.arm = arm;
    this.assignments = assignments;
    this.principalType = principalType;
  }

  /**
   * @param principalType the directory's answer to "what is the principal with this object id"
   *                      ({@code User} or {@code ServicePrincipal}), empty when there is none
   */
  public static void register(Router router, Arm arm, RoleAssignments assignments,
      Function<String, Optional<String>> principalType) {
    RoleAssignmentRoutes routes = new RoleAssignmentRoutes(arm, assignments, principalType);
    arm.providers().add("Microsoft.Authorization", "roleAssignments", VERSIONS, List.of());
    arm.providers().add("Microsoft.Authorization", "roleDefinitions", VERSIONS, List.of());
    for (String scope : SCOPES) {
      String collection = scope + "/providers/Microsoft.Authorization/roleAssignments";
      router.get(collection, routes::list);
      router.get(collection + "/{roleAssignmentName}", routes::get);
      router.put(collection + "/{roleAssignmentName}", routes::put);
      router.delete(collection + "/{roleAssignmentName}", routes::delete);
      router.get(scope + "/providers/Microsoft.Authorization/roleDefinitions", routes::definitions);
      router.get(scope + "/providers/Microsoft.Authorization/roleDefinitions/{roleDefinitionId}", routes::definition);
    }
  }

  /** The scope of the request, parsed from the path before {@code /providers/Microsoft.Authorization}. */
  private ResourceId scope(Exchange ex) {
    String path = ex.path();
    int at = path.toLowerCase(Locale.ROOT).lastIndexOf("/providers/microsoft.authorization/");
    return ResourceId.parse(path.substring(0, at));
  }

  private ResourceId authorize(Exchange ex, String action) {
    VERSIONS.require(ex);
    ResourceId scope = scope(ex);
    arm.authorize(ex, scope, action);
    if (!scope.isScope() || scope.resourceGroup().isPresent()) {
      if (arm.resources().get(scope.subscriptionId(), scope).isEmpty()) {
        throw Problem.notFound(scope.isScope() ? "ResourceGroupNotFound" : "ResourceNotFound",
            "The scope '" + scope + "' does not exist.");
      }
    }
    return scope;
  }

  private static String assignmentName(Exchange ex) {
    String name = ex.pathParam("roleAssignmentName");
    if (!Guids.isGuid(name)) {
      throw Problem.invalid("InvalidRoleAssignmentId", "roleAssignmentName",
          "The role assignment ID '" + name + "' is not valid. The role assignment ID must be a GUID.");
    }
    return name.toLowerCase(Locale.ROOT);
  }

  private Reply put(Exchange ex) throws Exception {
    ResourceId scope = authorize(ex, "Microsoft.Authorization/roleAssignments/write");
    String name = assignmentName(ex);
    ObjectNode properties = TrackedResource.properties(arm.body().required(ex), true);
    String roleDefinitionId = text(properties, "roleDefinitionId");
    RoleDefinition role = RoleDefinition.find(roleDefinitionId).orElseThrow(() -> Problem.invalid(
        "RoleDefinitionDoesNotExist", "properties.roleDefinitionId",
        "The specified role definition with ID '" + roleDefinitionId + "' does not exist."));
    String principalId = text(properties, "principalId").toLowerCase(Locale.ROOT);
    String type = principalType.apply(principalId).orElseThrow(() -> Problem.invalid("PrincipalNotFound",
        "properties.principalId", "Principal " + principalId + " does not exist in the directory."));
    JsonNode declared = properties.get("principalType");
    if (declared != null && declared.isTextual() && !declared.asText().equalsIgnoreCase(type)) {
      throw Problem.invalid("PrincipalTypeNotSupported", "properties.principalType",
          "The principal " + principalId + " is a " + type + ", not a " + declared.asText() + ".");
    }
    RoleAssignments.Created result = assignments.assign(name, scope.toString(), role, principalId, type);
    return Reply.json(result.created() ? 201 : 200, result.assignment().toJson());
  }

  private static String text(ObjectNode properties, String field) {
    JsonNode node = properties.get(field);
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw Problem.invalid("InvalidRequestContent", "properties." + field, "properties." + field + " is required.");
    }
    return node.asText();
  }

  private Reply get(Exchange ex) {
    ResourceId scope = authorize(ex, "Microsoft.Authorization/roleAssignments/read");
    String name = assignmentName(ex);
    return Reply.json(200, assignments.find(scope.toString(), name).orElseThrow(() -> Problem.notFound(
        "RoleAssignmentNotFound", "The role assignment '" + name + "' is not found.")).toJson());
  }

  private Reply delete(Exchange ex) {
    ResourceId scope = authorize(ex, "Microsoft.Authorization/roleAssignments/delete");
    String name = assignmentName(ex);
    Optional<RoleAssignment> existing = assignments.find(scope.toString(), name);
    if (existing.isEmpty() || !assignments.delete(scope.toString(), name)) {
      return Reply.empty(204);
    }
    return Reply.json(200, existing.get().toJson());
  }

  private Reply list(Exchange ex) {
    ResourceId scope = authorize(ex, "Microsoft.Authorization/roleAssignments/read");
    Paging.Cursor cursor = arm.paging().cursor(ex);
    List<RoleAssignment> page = assignments.around(scope.toString(), cursor.afterKey().orElse(""), cursor.limit() + 1);
    return Reply.json(200, arm.paging().page(ex, cursor, page, RoleAssignment::assignmentId, RoleAssignment::toJson));
  }

  private Reply definitions(Exchange ex) {
    ResourceId scope = authorize(ex, "Microsoft.Authorization/roleDefinitions/read");
    ObjectNode out = Json.object();
    var value = out.putArray("value");
    RoleDefinition.BUILT_IN.forEach(r -> value.add(render(scope, r)));
    return Reply.json(200, out);
  }

  private Reply definition(Exchange ex) {
    ResourceId scope = authorize(ex, "Microsoft.Authorization/roleDefinitions/read");
    String id = ex.pathParam("roleDefinitionId");
    return Reply.json(200, render(scope, RoleDefinition.find(id).orElseThrow(() -> Problem.notFound(
        "RoleDefinitionDoesNotExist", "The role definition '" + id + "' does not exist."))));
  }

  private static ObjectNode render(ResourceId scope, RoleDefinition role) {
    ObjectNode out = Json.object();
    out.put("id", "/subscriptions/" + scope.subscriptionId() + "/providers/Microsoft.Authorization/roleDefinitions/" + role.id());
    out.put("name", role.id());
    out.put("type", "Microsoft.Authorization/roleDefinitions");
    ObjectNode p = out.putObject("properties");
    p.put("roleName", role.roleName());
    p.put("type", "BuiltInRole");
    p.put("description", role.description());
    p.putArray("assignableScopes").add("/");
    ObjectNode permissions = p.putArray("permissions").addObject();
    role.actions().forEach(permissions.putArray("actions")::add);
    role.notActions().forEach(permissions.putArray("notActions")::add);
    permissions.putArray("dataActions");
    permissions.putArray("notDataActions");
    return out;
  }
}
