package org.stackledger.usersubscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.Paging;
import org.stackledger.arm.Preconditions;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.TrackedResource;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * Plans and offers on the stack admin ARM endpoint ({@code Microsoft.Subscriptions.Admin/plans} and
 * {@code /offers}, api-version {@code 2015-11-01}): PUT, GET, DELETE and the lists by resource group and
 * by subscription. Only the operator (a root-scope role in the home directory) may call them; the
 * subscription in the id must exist, as a plan's id is what offers and subscriptions refer to.
 */
final class OfferingRoutes {
  static final String NAMESPACE = "Microsoft.Subscriptions.Admin";
  static final String SUB = "/subscriptions/{subscriptionId}";
  static final String GROUP = SUB + "/resourceGroups/{resourceGroupName}";
  static final String COMPUTE = "Microsoft.Compute";
  private static final Pattern SERVICE = Pattern.compile("[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)+");
  private static final List<String> OFFER_STATES = List.of("Private", "Public", "Decommissioned");

  private final Arm arm;
  private final Offerings store;
  private final Supplier<String> region;

  OfferingRoutes(Arm arm, Offerings store, Supplier<String> region) {
    this.arm = arm;
    this.store = store;
    this.region = region;
  }

  void register(Router router) {
    for (Offering.Kind kind : Offering.Kind.values()) {
      String collection = "/providers/" + NAMESPACE + "/" + kind.segment;
      String one = GROUP + collection + "/{" + param(kind) + "}";
      router.get(SUB + collection, ex -> list(ex, kind, false));
      router.get(GROUP + collection, ex -> list(ex, kind, true));
      router.get(one, ex -> Reply.json(200, existing(authorized(ex, kind, "read", true, true), kind).toJson()));
      router.put(one, ex -> put(ex, kind));
      router.delete(one, ex -> delete(ex, kind));
    }
  }

  private static String param(Offering.Kind kind) {
    return kind == Offering.Kind.PLANS ? "planName" : "offerName";
  }

  static ApiVersions versions(Offering.Kind kind) {
    return ApiVersions.of(kind.type(), "2015-11-01");
  }

  /**
   * The operator check, then the subscription's: the root-scope check comes first so that anyone else
   * gets the same 403 whatever the path names; then the subscription must exist (and take writes).
   */
  private ResourceId authorized(Exchange ex, Offering.Kind kind, String action, boolean inGroup, boolean item) {
    versions(kind).require(ex);
    String permission = kind.type() + "/" + action;
    arm.authorizeRoot(ex, permission);
    String sub = ResourceId.checkSubscription(ex.pathParam("subscriptionId"));
    ResourceId target = ResourceId.subscription(sub);
    if (inGroup || item) {
      target = ResourceId.resourceGroup(sub, ex.pathParam("resourceGroupName"));
    }
    if (item) {
      String name = ResourceId.checkName(ex.pathParam(param(kind)), param(kind));
      target = ResourceId.parse(target + "/providers/" + NAMESPACE + "/" + kind.segment + "/" + name);
    }
    arm.authorize(ex, target, permission);
    return target;
  }

  private Offering existing(ResourceId id, Offering.Kind kind) {
    return store.find(id).filter(o -> o.kind() == kind).orElseThrow(() -> Problem.notFound("ResourceNotFound",
        "The Resource '" + kind.type() + "/" + id.name() + "' under resource group '" + id.resourceGroup().orElse("")
            + "' was not found."));
  }

  private Reply list(Exchange ex, Offering.Kind kind, boolean inGroup) {
    ResourceId scope = authorized(ex, kind, "read", inGroup, false);
    Paging.Cursor cursor = arm.paging().cursor(ex);
    List<Offering> items = store.list(kind, scope.subscriptionId(), inGroup ? scope.resourceGroup() : Optional.empty(),
        cursor.afterKey().orElse(""), cursor.limit() + 1);
    return Reply.json(200, arm.paging().page(ex, cursor, items, Offering::key, Offering::toJson));
  }

  private Reply put(Exchange ex, Offering.Kind kind) throws Exception {
    ResourceId id = authorized(ex, kind, "write", true, true);
    ObjectNode in = arm.body().required(ex);
    String location = location(in);
    ObjectNode given = TrackedResource.properties(in, false);
    ObjectNode properties = Json.object();
    properties.put("displayName", Optional.ofNullable(TrackedResource.text(given, "displayName", 256)).orElse(id.name()));
    String description = TrackedResource.text(given, "description", 1024);
    if (description != null) {
      properties.put("description", description);
    }
    List<ResourceId> basePlans = List.of();
    if (kind == Offering.Kind.PLANS) {
      plan(given, properties);
    } else {
      properties.put("state", offerState(given));
      basePlans = basePlans(given, properties.putArray("basePlanIds"));
    }
    Offerings.Put done = store.put(id, kind, location, properties, basePlans, Preconditions.of(ex));
    return Reply.json(done.created() ? 201 : 200, done.offering().toJson()).header("ETag", done.offering().etag());
  }

  private Reply delete(Exchange ex, Offering.Kind kind) {
    ResourceId id = authorized(ex, kind, "delete", true, true);
    return store.delete(id, Preconditions.of(ex)) ? Reply.empty(200) : Reply.empty(204);
  }

  /** Plans and offers live in the deployment's one region; absent means that region. */
  private String location(ObjectNode in) {
    if (!in.hasNonNull("location")) {
      return region.get();
    }
    String location = TrackedResource.location(in);
    if (!location.equalsIgnoreCase(region.get())) {
      throw Problem.invalid("LocationNotAvailableForResourceType", "location", "The location '"
          + in.path("location").asText() + "' is not available: plans and offers live in the deployment's region '"
          + region.get() + "'.");
    }
    return region.get();
  }

  /**
   * A plan's services (resource provider namespaces, each once) and its compute quota. Azure Stack
   * links a plan to quota resources by id ({@code quotaIds}); we carry the one limit billing needs,
   * the vCPU count of {@code Microsoft.Compute.Admin} quotas, inline as {@code quota.coresLimit}
   * (absent or null: no limit), which only means something when the plan offers Microsoft.Compute.
   */
  private static void plan(ObjectNode given, ObjectNode out) {
    Map<String, String> services = new LinkedHashMap<>();
    JsonNode list = given.get("services");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw Problem.invalid("InvalidServiceNamespace", "properties.services",
            "properties.services must be an array of resource provider namespaces, such as \"Microsoft.Compute\".");
      }
      for (int i = 0; i < list.size(); i++) {
        JsonNode s = list.get(i);
        if (!s.isTextual() || !SERVICE.matcher(s.asText()).matches()) {
          throw Problem.invalid("InvalidServiceNamespace", "properties.services[" + i + "]", "'" + s.asText()
              + "' is not a resource provider namespace such as \"Microsoft.Storage\".");
        }
        services.putIfAbsent(s.asText().toLowerCase(Locale.ROOT), s.asText());
      }
    }
    ArrayNode names = out.putArray("services");
    services.values().forEach(names::add);
    ObjectNode quota = out.putObject("quota");
    JsonNode q = given.get("quota");
    JsonNode cores = q == null || q.isNull() ? null : q.get("coresLimit");
    if (q != null && !q.isNull() && !q.isObject()) {
      throw Problem.invalid("InvalidQuota", "properties.quota", "properties.quota must be an object such as "
          + "{\"coresLimit\": 20}.");
    }
    if (cores == null || cores.isNull()) {
      quota.putNull("coresLimit");
      return;
    }
    if (!cores.isIntegralNumber() || !cores.canConvertToInt() || cores.asInt() < 0) {
      throw Problem.invalid("InvalidQuota", "properties.quota.coresLimit",
          "properties.quota.coresLimit must be a whole number of vCPUs from 0, or null for no limit.");
    }
    if (!services.containsKey(COMPUTE.toLowerCase(Locale.ROOT))) {
      throw Problem.invalid("InvalidQuota", "properties.quota.coresLimit",
          "A vCPU quota needs Microsoft.Compute among properties.services.");
    }
    quota.put("coresLimit", cores.asInt());
  }

  private static String offerState(ObjectNode given) {
    JsonNode state = given.get("state");
    if (state == null || state.isNull()) {
      return "Private";
    }
    return OFFER_STATES.stream().filter(s -> state.isTextual() && s.equalsIgnoreCase(state.asText())).findFirst()
        .orElseThrow(() -> Problem.invalid("InvalidOfferState", "properties.state", "The offer state '"
            + state.asText() + "' is invalid: use " + String.join(", ", OFFER_STATES) + "."));
  }

  /** The offer's base plans: at least one, each the full id of an existing plan; written in the plans' spelling. */
  private List<ResourceId> basePlans(ObjectNode given, ArrayNode out) {
    JsonNode ids = given.get("basePlanIds");
    if (ids == null || !ids.isArray() || ids.isEmpty()) {
      throw Problem.invalid("BasePlanRequired", "properties.basePlanIds",
          "properties.basePlanIds must list at least one plan, by its full resource id.");
    }
    List<ResourceId> plans = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      int index = i;
      String text = ids.get(i).asText();
      Optional<Offering> plan = Optional.empty();
      if (ids.get(i).isTextual()) {
        try {
          plan = store.find(ResourceId.parse(text)).filter(p -> p.kind() == Offering.Kind.PLANS);
        } catch (Problem malformed) {
          // A malformed id names no plan: the same answer as an unknown one, for the same field.
        }
      }
      Offering found = plan.orElseThrow(() -> planNotFound(index, text));
      ResourceId id = ResourceId.parse(found.id());
      if (!plans.contains(id)) {
        plans.add(id);
        out.add(found.id());
      }
    }
    return plans;
  }

  static Problem planNotFound(int index, String id) {
    return Problem.invalid("PlanNotFound", "properties.basePlanIds[" + index + "]", "The plan '" + id
        + "' does not exist: properties.basePlanIds must name existing plans by their full resource id.");
  }
}
