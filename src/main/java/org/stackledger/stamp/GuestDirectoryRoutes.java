package org.stackledger.stamp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ArmBody;
import org.stackledger.arm.Paging;
import org.stackledger.arm.ResourceId;
import org.stackledger.http.Exchange;
import org.stackledger.http.Guids;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * Multi-tenancy on the stack admin ARM endpoint: {@code Microsoft.Subscriptions.Admin/directoryTenants}
 * (api-version {@code 2015-11-01}), the guest directories whose principals may sign in to the deployment
 * ({@code Register-/Unregister-AzsGuestDirectoryTenant}). Every route is the operator's (a root-scope role).
 * The admin subscription segment only has to be a GUID and the resource group need not exist: the
 * onboarding is the deployment's, as its activation is.
 */
public final class GuestDirectoryRoutes {
  static final ApiVersions VERSIONS = ApiVersions.of("Microsoft.Subscriptions.Admin/directoryTenants", "2015-11-01");
  static final String TYPE = "Microsoft.Subscriptions.Admin/directoryTenants";
  static final String GROUP = "/subscriptions/{adminSubscriptionId}/resourceGroups/{resourceGroupName}";
  static final String LIST = GROUP + "/providers/" + TYPE;
  static final String ONE = LIST + "/{directoryTenantName}";

  private final Arm arm;
  private final ArmBody body;
  private final StampFacts facts;
  private final GuestDirectories store;
  private final TenantDiscovery discovery;

  public GuestDirectoryRoutes(Arm arm, ArmBody body, StampFacts facts, GuestDirectories store, TenantDiscovery discovery) {
    this.arm = arm;
    this.body = body;
    this.facts = facts;
    this.store = store;
    this.discovery = discovery;
  }

  public void register(Router router) {
    router.get(LIST, this::list);
    router.get(ONE, this::get);
    router.put(ONE, this::put);
    router.delete(ONE, this::delete);
  }

  private record Where(String subscription, String group) {}

  private Where operator(Exchange ex, String action) {
    VERSIONS.require(ex);
    arm.authorizeRoot(ex, "Microsoft.Subscriptions.Admin/directoryTenants/" + action);
    return new Where(ResourceId.checkSubscription(ex.pathParam("adminSubscriptionId")),
        ResourceId.checkResourceGroup(ex.pathParam("resourceGroupName")));
  }

  private static String name(Exchange ex) {
    return ResourceId.checkName(ex.pathParam("directoryTenantName"), "directoryTenantName");
  }

  private Reply list(Exchange ex) {
    Where w = operator(ex, "read");
    Paging.Cursor cursor = arm.paging().cursor(ex);
    List<GuestDirectory> items = store.inGroup(w.subscription(), w.group(), cursor.afterKey().orElse(""),
        cursor.limit() + 1);
    return Reply.json(200, arm.paging().page(ex, cursor, items, d -> d.name().toLowerCase(Locale.ROOT),
        GuestDirectoryRoutes::resource));
  }

  private GuestDirectory found(Where w, String name) {
    return store.byName(name).filter(d -> d.adminSubscriptionId().equalsIgnoreCase(w.subscription())
            && d.resourceGroup().equalsIgnoreCase(w.group()))
        .orElseThrow(() -> Problem.notFound("ResourceNotFound", "The directory tenant '" + name
            + "' is not onboarded in resource group '" + w.group() + "'."));
  }

  private Reply get(Exchange ex) {
    Where w = operator(ex, "read");
    return Reply.json(200, resource(found(w, name(ex))));
  }

  private Reply put(Exchange ex) throws Exception {
    Where w = operator(ex, "write");
    String name = name(ex);
    ObjectNode in = body.optional(ex);
    if (in == null) {
      in = Json.object();
    }
    String location = facts.region();
    JsonNode loc = in.get("location");
    if (loc != null && !loc.isNull()) {
      if (!loc.isTextual() || !loc.asText().equalsIgnoreCase(facts.region())) {
        throw Problem.invalid("LocationNotAvailableForResourceType", "location", "The location '" + loc.asText()
            + "' is not available: directory tenants are onboarded in the deployment's region '" + facts.region() + "'.");
      }
    }
    JsonNode given = in.path("properties").get("tenantId");
    if (given != null && !given.isNull() && (!given.isTextual() || !Guids.isGuid(given.asText()))) {
      throw Problem.invalid("InvalidTenantId", "properties.tenantId",
          "properties.tenantId must be a directory tenant id (a GUID).");
    }
    String resolved = discovery.tenantId(name).orElseThrow(() -> Problem.invalid("DirectoryTenantNotFound",
        "directoryTenantName", "The directory '" + name + "' is not known to the login endpoint: "
            + "its .well-known/openid-configuration could not be found."));
    if (given != null && !given.isNull() && !given.asText().equalsIgnoreCase(resolved)) {
      throw Problem.invalid("DirectoryTenantIdMismatch", "properties.tenantId", "properties.tenantId '"
          + given.asText() + "' is not the tenant id of the directory '" + name + "' (" + resolved + ").");
    }
    GuestDirectories.Onboarded done = store.onboard(w.subscription(), w.group(), name, resolved, location);
    return Reply.json(done.created() ? 201 : 200, resource(done.directory()));
  }

  private Reply delete(Exchange ex) {
    Where w = operator(ex, "delete");
    return store.offboard(w.subscription(), w.group(), name(ex)) ? Reply.empty(200) : Reply.empty(204);
  }

  static ObjectNode resource(GuestDirectory d) {
    ObjectNode out = Json.object();
    out.put("id", "/subscriptions/" + d.adminSubscriptionId() + "/resourceGroups/" + d.resourceGroup() + "/providers/"
        + TYPE + "/" + d.name());
    out.put("name", d.name());
    out.put("type", TYPE);
    out.put("location", d.location());
    ObjectNode p = out.putObject("properties");
    p.put("tenantId", d.tenantId());
    p.put("onboardedOn", d.onboardedAt().toString());
    p.put("provisioningState", "Succeeded");
    return out;
  }
}
