package org.stackledger.resources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
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
 * Resource groups ({@code Microsoft.Resources/resourceGroups}): PUT, PATCH, GET, HEAD, DELETE and
 * list. Deleting a group deletes every resource in it, unless a lock forbids it.
 */
public final class ResourceGroupRoutes {
  static final String TYPE = "Microsoft.Resources/resourceGroups";
  private static final String ITEM = "/subscriptions/{subscriptionId}/resourcegroups/{resourceGroupName}";

  private final Arm arm;

  private ResourceGroupRoutes(Arm arm) {
    this.arm = arm;
  }

  public static void register(Router router, Arm arm) {
    ResourceGroupRoutes routes = new ResourceGroupRoutes(arm);
    router.get("/subscriptions/{subscriptionId}/resourcegroups", routes::list);
    router.put(ITEM, routes::put);
    router.patch(ITEM, routes::patch);
    router.get(ITEM, routes::get);
    router.head(ITEM, routes::head);
    router.delete(ITEM, routes::delete);
    router.get(ITEM + "/resources", routes::listResources);
    router.get("/subscriptions/{subscriptionId}/resources", routes::listResources);
  }

  private ResourceId id(Exchange ex, String verb) {
    ResourcesApi.RESOURCE_GROUPS.require(ex);
    ResourceId id = ResourceId.resourceGroup(ex.pathParam("subscriptionId"), ex.pathParam("resourceGroupName"));
    arm.authorize(ex, id, "Microsoft.Resources/subscriptions/resourceGroups/" + verb);
    return id;
  }

  private ArmResource existing(ResourceId id) {
    return arm.resources().get(id.subscriptionId(), id).orElseThrow(() -> notFound(id));
  }

  private static Problem notFound(ResourceId id) {
    return Problem.notFound("ResourceGroupNotFound", "Resource group '" + id.name() + "' could not be found.");
  }

  private Reply put(Exchange ex) throws Exception {
    ResourceId id = id(ex, "write");
    ObjectNode request = arm.body().required(ex);
    String location = TrackedResource.location(request);
    ObjectNode tags = TrackedResource.tags(request);
    Optional<ArmResource> current = arm.resources().get(id.subscriptionId(), id);
    if (current.isPresent() && !current.get().body().path("location").asText().equals(location)) {
      throw Problem.conflict("InvalidResourceGroupLocation", "location", "Invalid resource group location '" + location
          + "'. The Resource group already exists in location '" + current.get().body().path("location").asText()
          + "'.");
    }
    ObjectNode body = body(location, tags, managedBy(request));
    ResourceStore.PutResult result = arm.resources().put(id.subscriptionId(), id, TYPE, body, Preconditions.of(ex));
    return Arm.resource(result.created() ? 201 : 200, result.resource());
  }

  private Reply patch(Exchange ex) throws Exception {
    ResourceId id = id(ex, "write");
    ObjectNode request = arm.body().required(ex);
    ArmResource current = existing(id);
    ObjectNode body = current.body().deepCopy();
    if (request.has("tags")) {
      ObjectNode tags = TrackedResource.tags(request);
      if (tags.isEmpty()) {
        body.remove("tags");   // as a PUT without tags shows none
      } else {
        body.set("tags", tags);
      }
    }
    if (request.has("managedBy")) {
      String managedBy = managedBy(request);
      if (managedBy == null) {
        body.remove("managedBy");
      } else {
        body.put("managedBy", managedBy);
      }
    }
    Preconditions conditions = Preconditions.of(ex);
    if (conditions.ifMatch() == null) {
      // Guards against a concurrent change between our read and our write.
      conditions = new Preconditions(current.etag(), conditions.ifNoneMatch());
    }
    return Arm.resource(200, arm.resources().put(id.subscriptionId(), id, TYPE, body, conditions).resource());
  }

  private static String managedBy(ObjectNode request) {
    JsonNode node = request.get("managedBy");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw Problem.invalid("InvalidRequestContent", "managedBy", "managedBy must be a string (a resource id).");
    }
    return node.asText();
  }

  private static ObjectNode body(String location, ObjectNode tags, String managedBy) {
    ObjectNode body = Json.object();
    body.put("location", location);
    if (managedBy != null) {
      body.put("managedBy", managedBy);
    }
    if (!tags.isEmpty()) {
      body.set("tags", tags);
    }
    body.putObject("properties").put("provisioningState", "Succeeded");
    return body;
  }

  private Reply get(Exchange ex) {
    return Arm.resource(200, existing(id(ex, "read")));
  }

  private Reply head(Exchange ex) {
    // A missing group is the same error as for GET; the server drops the body of a HEAD answer
    // but keeps x-ms-error-code.
    existing(id(ex, "read"));
    return Reply.empty(204);
  }

  /**
   * Microsoft publishes 200 and 202 only for ResourceGroups_Delete, so generated SDKs throw on the 204 our
   * other DELETEs answer for "nothing there"; a missing group is Azure's own answer instead, 404
   * ResourceGroupNotFound. Deletes finish within the request, so 202 is never sent.
   */
  private Reply delete(Exchange ex) {
    ResourceId id = id(ex, "delete");
    if (!arm.resources().delete(id.subscriptionId(), id, Preconditions.of(ex))) {
      throw notFound(id);
    }
    return Reply.empty(200);
  }

  private Reply list(Exchange ex) {
    ResourcesApi.RESOURCE_GROUPS.require(ex);
    String subscription = arm.authorize(ex, ResourceId.subscription(ex.pathParam("subscriptionId")),
        "Microsoft.Resources/subscriptions/resourceGroups/read").subscriptionId();
    Paging.Cursor cursor = arm.paging().cursor(ex);
    List<ArmResource> groups = arm.resources().list(subscription, ResourceId.subscription(subscription), TYPE, cursor);
    return Reply.json(200, arm.paging().page(ex, cursor, groups, r -> r.id().key(), ArmResource::toJson));
  }

  /** {@code GET .../resources}: every resource of a subscription or of one group, as generic resources. */
  private Reply listResources(Exchange ex) {
    ResourcesApi.RESOURCES.require(ex);
    String subscription = ResourceId.checkSubscription(ex.pathParam("subscriptionId"));
    Optional<String> group = Optional.empty();
    if (ex.path().split("/").length > 4) {
      ResourceId groupId = ResourceId.resourceGroup(subscription, ex.pathParam("resourceGroupName"));
      arm.authorize(ex, groupId, "Microsoft.Resources/subscriptions/resourceGroups/resources/read");
      existing(groupId);
      group = Optional.of(groupId.name());
    } else {
      arm.authorize(ex, ResourceId.subscription(subscription), "Microsoft.Resources/subscriptions/resources/read");
    }
    Paging.Cursor cursor = arm.paging().cursor(ex);
    List<ArmResource> items = arm.resources().listInScope(subscription, group, cursor);
    return Reply.json(200, arm.paging().page(ex, cursor, items, r -> r.id().key(), ArmResource::toJson));
  }
}
