package org.stackledger.locks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ArmResource;
import org.stackledger.arm.Paging;
import org.stackledger.arm.Preconditions;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.ResourceStore;
import org.stackledger.arm.TrackedResource;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * Management locks ({@code Microsoft.Authorization/locks}) at subscription and resource-group scope.
 * An operator puts a {@code CanNotDelete} lock on the group that holds a registration so nobody
 * deletes it by mistake; {@link LockGuard} enforces the locks on every write.
 */
public final class LockRoutes {
  static final String NAMESPACE = "Microsoft.Authorization";
  static final String TYPE = NAMESPACE + "/locks";
  static final ApiVersions VERSIONS = ApiVersions.of(TYPE, "2015-01-01", "2016-09-01", "2017-04-01", "2020-05-01");

  private final Arm arm;

  private LockRoutes(Arm arm) {
    this.arm = arm;
  }

  public static void register(Router router, Arm arm) {
    LockRoutes routes = new LockRoutes(arm);
    arm.providers().add(NAMESPACE, "locks", VERSIONS, List.of());
    arm.resources().addGuard(new LockGuard());
    for (String scope : List.of("/subscriptions/{subscriptionId}", "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}")) {
      String collection = scope + "/providers/Microsoft.Authorization/locks";
      router.get(collection, routes::list);
      router.get(collection + "/{lockName}", routes::get);
      router.head(collection + "/{lockName}", routes::head);
      router.put(collection + "/{lockName}", routes::put);
      router.delete(collection + "/{lockName}", routes::delete);
    }
  }

  private ResourceId scope(Exchange ex, String verb) {
    VERSIONS.require(ex);
    String subscription = ResourceId.checkSubscription(ex.pathParam("subscriptionId"));
    boolean inGroup = ex.path().toLowerCase(java.util.Locale.ROOT).contains("/resourcegroups/");
    ResourceId scope = inGroup ? ResourceId.resourceGroup(subscription, ex.pathParam("resourceGroupName"))
        : ResourceId.subscription(subscription);
    arm.authorize(ex, scope, "Microsoft.Authorization/locks/" + verb);
    if (!inGroup) {
      return scope;
    }
    ResourceId group = scope;
    if (arm.resources().get(subscription, group).isEmpty()) {
      throw Problem.notFound("ResourceGroupNotFound", "Resource group '" + group.name() + "' could not be found.");
    }
    return group;
  }

  private ResourceId id(Exchange ex, String verb) {
    return scope(ex, verb).child(NAMESPACE, "locks", ResourceId.checkName(ex.pathParam("lockName"), "lockName"));
  }

  private Reply put(Exchange ex) throws Exception {
    ResourceId id = id(ex, "write");
    ObjectNode request = arm.body().required(ex);
    ObjectNode properties = TrackedResource.properties(request, true);
    ObjectNode body = Json.object();
    ObjectNode stored = body.putObject("properties");
    stored.put("level", level(properties.get("level")).name());
    JsonNode notes = properties.get("notes");
    if (notes != null && !notes.isNull()) {
      if (!notes.isTextual() || notes.asText().length() > 512) {
        throw Problem.invalid("InvalidRequestContent", "properties.notes",
            "properties.notes must be a string of at most 512 characters.");
      }
      stored.put("notes", notes.asText());
    }
    ResourceStore.PutResult result = arm.resources().put(id.subscriptionId(), id, TYPE, body, Preconditions.of(ex));
    return Arm.resource(result.created() ? 201 : 200, result.resource());
  }

  private static LockLevel level(JsonNode node) {
    if (node == null || !node.isTextual()) {
      throw Problem.invalid("InvalidRequestContent", "properties.level",
          "properties.level is required: one of CanNotDelete, ReadOnly.");
    }
    Optional<LockLevel> level = LockLevel.parse(node.asText());
    return level.orElseThrow(() -> Problem.invalid("InvalidLockLevel", "properties.level",
        "The lock level '" + node.asText() + "' is invalid: use CanNotDelete or ReadOnly."));
  }

  private Reply get(Exchange ex) {
    ResourceId id = id(ex, "read");
    return Arm.resource(200, arm.resources().get(id.subscriptionId(), id).orElseThrow(() -> Problem.notFound(
        "LockNotFound", "The lock '" + id.name() + "' could not be found.")));
  }

  /** {@code HEAD} on a lock id: what the Azure SDK's {@code checkExistenceById} sends. 204 or 404, no body. */
  private Reply head(Exchange ex) {
    get(ex);
    return Reply.empty(204);
  }

  private Reply delete(Exchange ex) {
    ResourceId id = id(ex, "delete");
    return arm.resources().delete(id.subscriptionId(), id, Preconditions.of(ex)) ? Reply.empty(200) : Reply.empty(204);
  }

  private Reply list(Exchange ex) {
    ResourceId scope = scope(ex, "read");
    Paging.Cursor cursor = arm.paging().cursor(ex);
    List<ArmResource> locks = arm.resources().list(scope.subscriptionId(), scope, TYPE, cursor);
    return Reply.json(200, arm.paging().page(ex, cursor, locks, r -> r.id().key(), ArmResource::toJson));
  }
}
