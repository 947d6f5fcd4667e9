package org.stackledger.access;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.Paging;
import org.stackledger.arm.ResourceId;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;

/**
 * {@code Microsoft.Authorization/roleAssignments} and {@code roleDefinitions} at subscription,
 * resource-group and resource scope: how an owner gives a user or service principal a role. The
 * routes parse and render; {@link RoleAssignmentAdmin} checks the request's caller and does the work.
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
  private final RoleAssignmentAdmin admin;

  private RoleAssignmentRoutes(Arm arm, RoleAssignmentAdmin admin) {
    this.arm = arm;
    this.admin = admin;
  }

  /** Registers the routes, which read and change assignments through {@code admin} as the request's caller. */
  public static void register(Router router, Arm arm, RoleAssignmentAdmin admin) {
    RoleAssignmentRoutes routes = new RoleAssignmentRoutes(arm, admin);
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
  private static ResourceId scope(Exchange ex) {
    VERSIONS.require(ex);
    String path = ex.path();
    int at = path.toLowerCase(Locale.ROOT).lastIndexOf("/providers/microsoft.authorization/");
    return ResourceId.parse(path.substring(0, at));
  }

  private Reply put(Exchange ex) throws Exception {
    ResourceId scope = scope(ex);
    RoleAssignmentAdmin.Assigning assigning = admin.assigning(AccessControl.caller(ex), scope);
    String name = RoleAssignmentAdmin.assignmentName(ex.pathParam("roleAssignmentName"));
    RoleAssignments.Created result = assigning.assign(name, arm.body().required(ex));
    return Reply.json(result.created() ? 201 : 200, result.assignment().toJson());
  }

  private Reply get(Exchange ex) {
    ResourceId scope = scope(ex);
    return Reply.json(200, admin.get(AccessControl.caller(ex), scope, ex.pathParam("roleAssignmentName")).toJson());
  }

  private Reply delete(Exchange ex) {
    ResourceId scope = scope(ex);
    return admin.delete(AccessControl.caller(ex), scope, ex.pathParam("roleAssignmentName"))
        .map(removed -> Reply.json(200, removed.toJson())).orElseGet(() -> Reply.empty(204));
  }

  private Reply list(Exchange ex) {
    ResourceId scope = scope(ex);
    RoleAssignmentAdmin.Listing listing = admin.listing(AccessControl.caller(ex), scope);
    Paging.Cursor cursor = arm.paging().cursor(ex);
    List<RoleAssignment> page = listing.page(cursor.afterKey().orElse(""), cursor.limit() + 1);
    return Reply.json(200, arm.paging().page(ex, cursor, page, RoleAssignment::assignmentId, RoleAssignment::toJson));
  }

  private Reply definitions(Exchange ex) {
    ResourceId scope = scope(ex);
    ObjectNode out = Json.object();
    var value = out.putArray("value");
    admin.definitions(AccessControl.caller(ex), scope).forEach(r -> value.add(render(scope, r)));
    return Reply.json(200, out);
  }

  private Reply definition(Exchange ex) {
    ResourceId scope = scope(ex);
    return Reply.json(200, render(scope, admin.definition(AccessControl.caller(ex), scope,
        ex.pathParam("roleDefinitionId"))));
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
