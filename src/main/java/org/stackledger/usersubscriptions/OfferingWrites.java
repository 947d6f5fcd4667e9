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
import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.arm.Preconditions;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.TrackedResource;
import org.stackledger.http.Json;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;

/**
 * Plans and offers as the operator makes, changes and removes them. The admin API and the console call
 * it with the signed-in {@link Caller}, which it checks as the routes did: the root-scope check first,
 * so anyone else gets the same 403 whatever the path names; then the path's shape; then the
 * subscription in the id must exist and take writes. A write is two steps, {@link #writable} then
 * {@link Write#put}, so the route reads the request body only after the caller passed.
 */
public final class OfferingWrites {
  static final String COMPUTE = "Microsoft.Compute";
  private static final Pattern SERVICE = Pattern.compile("[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z][A-Za-z0-9]*)+");
  private static final List<String> OFFER_STATES = List.of("Private", "Public", "Decommissioned");

  private final AccessControl access;
  private final Offerings store;
  private final Supplier<String> region;

  OfferingWrites(Arm arm, Offerings store, Supplier<String> region) {
    this.access = AccessControl.of(arm);
    this.store = store;
    this.region = region;
  }

  /**
   * The operator check for {@code action} on a plan or offer ({@code name} given, in {@code group}), on
   * the plans or offers of a resource group ({@code group} given) or of a subscription; answers the
   * target's id.
   */
  ResourceId authorized(Caller caller, Offering.Kind kind, String action, String subscriptionId, String group,
      String name) {
    String permission = kind.type() + "/" + action;
    access.requireRoot(caller, permission);
    String sub = ResourceId.checkSubscription(subscriptionId);
    ResourceId target = ResourceId.subscription(sub);
    if (group != null || name != null) {
      target = ResourceId.resourceGroup(sub, group);
    }
    if (name != null) {
      String checked = ResourceId.checkName(name, OfferingRoutes.param(kind));
      target = ResourceId.parse(target + "/providers/" + OfferingRoutes.NAMESPACE + "/" + kind.segment + "/" + checked);
    }
    access.authorize(caller, target, permission);
    return target;
  }

  /** The caller's right to make or change the plan or offer {@code name} in a resource group. */
  public Write writable(Caller caller, Offering.Kind kind, String subscriptionId, String group, String name) {
    return new Write(kind, authorized(caller, kind, "write", subscriptionId, group, name));
  }

  /** {@link #writable} and {@link Write#put} in one call, for a caller that has its request at hand. */
  public Offerings.Put put(Caller caller, Offering.Kind kind, String subscriptionId, String group, String name,
      ObjectNode request, Preconditions conditions) {
    return writable(caller, kind, subscriptionId, group, name).put(request, conditions);
  }

  /** Deletes the plan or offer; false when there was none. */
  public boolean delete(Caller caller, Offering.Kind kind, String subscriptionId, String group, String name,
      Preconditions conditions) {
    return store.delete(authorized(caller, kind, "delete", subscriptionId, group, name), conditions);
  }

  /** A plan or offer a caller was allowed to write; only {@link OfferingWrites} makes one. */
  public final class Write {
    private final Offering.Kind kind;
    private final ResourceId id;

    private Write(Offering.Kind kind, ResourceId id) {
      this.kind = kind;
      this.id = id;
    }

    /** Makes or replaces the plan or offer from an ARM request body. */
    public Offerings.Put put(ObjectNode in, Preconditions conditions) {
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
      return store.put(id, kind, location, properties, basePlans, conditions);
    }
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
