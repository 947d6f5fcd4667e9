package org.stackledger.identityadmin;

import org.stackledger.access.AccessControl;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.directory.DirectoryTenant;
import org.stackledger.directory.Principal;
import org.stackledger.http.Exchange;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.identity.Caller;

/**
 * The operator's routes for directory tenants, principal look-up and token signing keys, at the
 * root scope of the cloud ARM endpoint. Every route first checks the api-version, then (through
 * {@link DirectoryAdmin}, as the request's caller) that the caller holds a root-scope role allowing the
 * action, and only then reads the request.
 */
public final class TenantAdminRoutes {
  private final Arm arm;
  private final DirectoryAdmin admin;
  private final String homeTenantId;

  private TenantAdminRoutes(Arm arm, DirectoryAdmin admin, String homeTenantId) {
    this.arm = arm;
    this.admin = admin;
    this.homeTenantId = homeTenantId;
  }

  /** Registers these routes and {@link PrincipalAdminRoutes}: the whole {@code Stackledger.Identity} namespace. */
  public static void register(Router router, Arm arm, DirectoryAdmin admin, PrincipalAdmin principals,
      String homeTenantId) {
    TenantAdminRoutes routes = new TenantAdminRoutes(arm, admin, homeTenantId);
    String base = AdminSupport.BASE;
    router.get(base + "/tenants", routes::listTenants);
    router.get(base + "/tenants/{tenantName}", routes::getTenant);
    router.put(base + "/tenants/{tenantName}", routes::putTenant);
    router.get(base + "/principals/{principalKey}", routes::lookup);
    router.get(base + "/signingKeys", routes::listKeys);
    router.get(base + "/signingKeys/{kid}", routes::getKey);
    router.post(base + "/signingKeys/rotate", routes::rotate);
    router.post(base + "/signingKeys/{kid}/retire", routes::retire);
    PrincipalAdminRoutes.register(router, arm, principals);
  }

  private static Caller caller(Exchange ex, ApiVersions versions) {
    versions.require(ex);
    return AccessControl.caller(ex);
  }

  private Reply listTenants(Exchange ex) {
    DirectoryAdmin.TenantListing listing = admin.tenants(caller(ex, AdminSupport.TENANTS));
    return AdminSupport.page(arm, ex, c -> listing.page(c.afterKey().orElse(""), c.limit() + 1),
        DirectoryTenant::domain, t -> AdminSupport.tenant(t, homeTenantId));
  }

  private Reply getTenant(Exchange ex) {
    return Reply.json(200, AdminSupport.tenant(admin.tenant(caller(ex, AdminSupport.TENANTS),
        ex.pathParam("tenantName")), homeTenantId));
  }

  /** Creates a tenant named by its domain (201) or changes its display name (200). */
  private Reply putTenant(Exchange ex) throws Exception {
    DirectoryAdmin.TenantWrite write = admin.writingTenants(caller(ex, AdminSupport.TENANTS));
    DirectoryAdmin.TenantPut done = write.put(ex.pathParam("tenantName"), arm.body().required(ex));
    return Reply.json(done.created() ? 201 : 200, AdminSupport.tenant(done.tenant(), homeTenantId));
  }

  /** Finds a principal by object id, client id or user principal name, in any tenant. */
  private Reply lookup(Exchange ex) {
    Principal p = admin.principal(caller(ex, AdminSupport.PRINCIPALS), ex.pathParam("principalKey"));
    return Reply.json(200, AdminSupport.principal(AdminSupport.BASE, "principals", p.objectId(), p));
  }

  private Reply listKeys(Exchange ex) {
    DirectoryAdmin.KeyListing listing = admin.signingKeys(caller(ex, AdminSupport.SIGNING_KEYS));
    return AdminSupport.page(arm, ex, c -> listing.page(c.afterKey().orElse(""), c.limit() + 1),
        AdminSupport::keyOrder, AdminSupport::key);
  }

  private Reply getKey(Exchange ex) {
    return Reply.json(200, AdminSupport.key(admin.signingKey(caller(ex, AdminSupport.SIGNING_KEYS),
        ex.pathParam("kid"))));
  }

  private Reply rotate(Exchange ex) {
    return Reply.json(200, AdminSupport.key(admin.rotate(caller(ex, AdminSupport.SIGNING_KEYS))));
  }

  private Reply retire(Exchange ex) {
    return Reply.json(200, AdminSupport.key(admin.retire(caller(ex, AdminSupport.SIGNING_KEYS),
        ex.pathParam("kid"))));
  }
}
