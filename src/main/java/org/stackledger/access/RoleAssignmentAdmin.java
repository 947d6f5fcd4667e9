package org.stackledger.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.TrackedResource;
import org.stackledger.http.Guids;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;

/**
 * Role assignments as a signed-in caller may read and change them at a subscription, resource-group or
 * resource scope: how an owner gives a user or service principal a role. Each way in checks the
 * {@link Caller} as ARM does (404 for a subscription it cannot see, 403 without the permission, 409
 * when the subscription takes no change), then that the scope exists; the API and the console both call
 * here, so there is one check.
 *
 * <p>Listing and assigning are two steps ({@link #listing}, {@link #assigning}), so a route reads its
 * paging parameters or body only once the caller has passed.
 */
public final class RoleAssignmentAdmin {
  static final String READ = "Microsoft.Authorization/roleAssignments/read";
  static final String WRITE = "Microsoft.Authorization/roleAssignments/write";
  static final String DELETE = "Microsoft.Authorization/roleAssignments/delete";
  static final String DEFINITIONS_READ = "Microsoft.Authorization/roleDefinitions/read";

  private final Arm arm;
  private final AccessControl access;
  private final RoleAssignments assignments;
  private final Function<String, Optional<String>> principalType;

  /**
   * @param principalType the directory's answer to "what is the principal with this object id"
   *                      ({@code User} or {@code ServicePrincipal}), empty when there is none
   */
  public RoleAssignmentAdmin(Arm arm, RoleAssignments assignments, Function<String, Optional<String>> principalType) {
    this.arm = arm;
    this.access = AccessControl.of(arm);
    this.assignments = assignments;
    this.principalType = principalType;
  }

  /** The caller's right to {@code action} at {@code scope}, which must exist; answers the scope. */
  ResourceId authorized(Caller caller, ResourceId scope, String action) {
    access.authorize(caller, scope, action);
    if (!scope.isScope() || scope.resourceGroup().isPresent()) {
      if (arm.resources().get(scope.subscriptionId(), scope).isEmpty()) {
        throw Problem.notFound(scope.isScope() ? "ResourceGroupNotFound" : "ResourceNotFound",
            "The scope '" + scope + "' does not exist.");
      }
    }
    return scope;
  }

  /** A role assignment's name: a GUID, lower-case; 400 {@code InvalidRoleAssignmentId} otherwise. */
  static String assignmentName(String name) {
    if (!Guids.isGuid(name)) {
      throw Problem.invalid("InvalidRoleAssignmentId", "roleAssignmentName",
          "The role assignment ID '" + name + "' is not valid. The role assignment ID must be a GUID.");
    }
    return name.toLowerCase(Locale.ROOT);
  }

  /** The caller's right to list the assignments at and around {@code scope}. */
  public Listing listing(Caller caller, ResourceId scope) {
    return new Listing(authorized(caller, scope, READ));
  }

  /** One assignment at the scope; 404 {@code RoleAssignmentNotFound}. */
  public RoleAssignment get(Caller caller, ResourceId scope, String name) {
    authorized(caller, scope, READ);
    String id = assignmentName(name);
    return assignments.find(scope.toString(), id).orElseThrow(() -> Problem.notFound(
        "RoleAssignmentNotFound", "The role assignment '" + id + "' is not found."));
  }

  /** The caller's right to assign roles at {@code scope}. */
  public Assigning assigning(Caller caller, ResourceId scope) {
    return new Assigning(authorized(caller, scope, WRITE));
  }

  /** Removes the assignment; answers it, or empty when there was none at the scope. */
  public Optional<RoleAssignment> delete(Caller caller, ResourceId scope, String name) {
    authorized(caller, scope, DELETE);
    String id = assignmentName(name);
    Optional<RoleAssignment> existing = assignments.find(scope.toString(), id);
    if (existing.isEmpty() || !assignments.delete(scope.toString(), id)) {
      return Optional.empty();
    }
    return existing;
  }

  /** The built-in role definitions, which the caller may read at {@code scope}. */
  public List<RoleDefinition> definitions(Caller caller, ResourceId scope) {
    authorized(caller, scope, DEFINITIONS_READ);
    return RoleDefinition.BUILT_IN;
  }

  /** One built-in role definition; 404 {@code RoleDefinitionDoesNotExist}. */
  public RoleDefinition definition(Caller caller, ResourceId scope, String id) {
    authorized(caller, scope, DEFINITIONS_READ);
    return RoleDefinition.find(id).orElseThrow(() -> Problem.notFound(
        "RoleDefinitionDoesNotExist", "The role definition '" + id + "' does not exist."));
  }

  /** Assignments a caller was allowed to list; only {@link RoleAssignmentAdmin} makes one. */
  public final class Listing {
    private final ResourceId scope;

    private Listing(ResourceId scope) {
      this.scope = scope;
    }

    /** Up to {@code limit} assignments at, above and below the scope after {@code afterId}. */
    public List<RoleAssignment> page(String afterId, int limit) {
      return assignments.around(scope.toString(), afterId, limit);
    }
  }

  /** Assignments a caller was allowed to make at a scope; only {@link RoleAssignmentAdmin} makes one. */
  public final class Assigning {
    private final ResourceId scope;

    private Assigning(ResourceId scope) {
      this.scope = scope;
    }

    /**
     * Assigns {@code properties.roleDefinitionId} to {@code properties.principalId} under the name
     * {@code name} (a GUID); {@code properties.principalType}, when given, must be the principal's.
     */
    public RoleAssignments.Created assign(String name, ObjectNode request) {
      String id = assignmentName(name);
      ObjectNode properties = TrackedResource.properties(request, true);
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
      return assignments.assign(id, scope.toString(), role, principalId, type);
    }
  }

  private static String text(ObjectNode properties, String field) {
    JsonNode node = properties.get(field);
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw Problem.invalid("InvalidRequestContent", "properties." + field, "properties." + field + " is required.");
    }
    return node.asText();
  }
}
