package org.stackledger.stamp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.Paging;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.identity.Caller;

/**
 * Multi-tenancy on the stack admin ARM endpoint: {@code Microsoft.Subscriptions.Admin/directoryTenants}
 * (api-version {@code 2015-11-01}), the guest directories whose principals may sign in to the deployment
 * ({@code Register-/Unregister-AzsGuestDirectoryTenant}). Every route is the operator's (a root-scope role).
 * The admin subscription segment only has to be a GUID and the resource group need not exist: the
 * onboarding is the deployment's, as its activation is. The routes parse and render;
 * {@link GuestDirectoryAdmin} checks the request's caller and does the work.
 */
public final class GuestDirectoryRoutes {
  static final ApiVersions VERSIONS = ApiVersions.of("Microsoft.Subscriptions.Admin/directoryTenants", "2015-11-01");
  static final String TYPE = "Microsoft.Subscriptions.Admin/directoryTenants";
  static final String GROUP = "/subscriptions/{adminSubscriptionId}/resourceGroups/{resourceGroupName}";
  static final String LIST = GROUP + "/providers/" + TYPE;
  static final String ONE = LIST + "/{directoryTenantName}";

  private final Arm arm;
  private final GuestDirectoryAdmin admin;

  GuestDirectoryRoutes(Arm arm, GuestDirectoryAdmin admin) {
    this.arm = arm;
    this.admin = admin;
  }

  public void register(Router router) {
    router.get(LIST, this::list);
    router.get(ONE, this::get);
    router.put(ONE, this::put);
    router.delete(ONE, this::delete);
  }

  private static Caller caller(Exchange ex) {
    VERSIONS.require(ex);
    return AccessControl.caller(ex);
  }

  private Reply list(Exchange ex) {
    GuestDirectoryAdmin.Listing listing = admin.listing(caller(ex), ex.pathParam("adminSubscriptionId"),
        ex.pathParam("resourceGroupName"));
    Paging.Cursor cursor = arm.paging().cursor(ex);
    List<GuestDirectory> items = listing.page(cursor.afterKey().orElse(""), cursor.limit() + 1);
    return Reply.json(200, arm.paging().page(ex, cursor, items, d -> d.name().toLowerCase(Locale.ROOT),
        GuestDirectoryRoutes::resource));
  }

  private Reply get(Exchange ex) {
    return Reply.json(200, resource(admin.get(caller(ex), ex.pathParam("adminSubscriptionId"),
        ex.pathParam("resourceGroupName"), ex.pathParam("directoryTenantName"))));
  }

  private Reply put(Exchange ex) throws Exception {
    GuestDirectoryAdmin.Onboarding onboarding = admin.onboarding(caller(ex), ex.pathParam("adminSubscriptionId"),
        ex.pathParam("resourceGroupName"), ex.pathParam("directoryTenantName"));
    GuestDirectories.Onboarded done = onboarding.onboard(arm.body().optional(ex));
    return Reply.json(done.created() ? 201 : 200, resource(done.directory()));
  }

  private Reply delete(Exchange ex) {
    return admin.offboard(caller(ex), ex.pathParam("adminSubscriptionId"), ex.pathParam("resourceGroupName"),
        ex.pathParam("directoryTenantName")) ? Reply.empty(200) : Reply.empty(204);
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
