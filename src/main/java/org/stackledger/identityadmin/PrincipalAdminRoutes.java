package org.stackledger.identityadmin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.directory.Principal;
import org.stackledger.http.Exchange;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.identity.Caller;

/**
 * The operator's routes for the principals of one directory tenant: service principals (a client
 * secret is shown once, when made), users (a password goes in and never comes out) and guest
 * memberships. Order of checks on every route: api-version, root-scope role (through
 * {@link PrincipalAdmin}, as the request's caller), then the request.
 */
final class PrincipalAdminRoutes {
  private final Arm arm;
  private final PrincipalAdmin admin;

  private PrincipalAdminRoutes(Arm arm, PrincipalAdmin admin) {
    this.arm = arm;
    this.admin = admin;
  }

  static void register(Router router, Arm arm, PrincipalAdmin admin) {
    PrincipalAdminRoutes routes = new PrincipalAdminRoutes(arm, admin);
    String tenant = AdminSupport.BASE + "/tenants/{tenantName}";
    router.get(tenant + "/servicePrincipals", routes::listServicePrincipals);
    router.get(tenant + "/servicePrincipals/{appId}", routes::getServicePrincipal);
    router.put(tenant + "/servicePrincipals/{appId}", routes::putServicePrincipal);
    router.post(tenant + "/servicePrincipals/{appId}/addSecret", routes::addSecret);
    router.get(tenant + "/users", routes::listUsers);
    router.get(tenant + "/users/{userPrincipalName}", routes::getUser);
    router.put(tenant + "/users/{userPrincipalName}", routes::putUser);
    router.get(tenant + "/guests", routes::listGuests);
    router.get(tenant + "/guests/{objectId}", routes::getGuest);
    router.put(tenant + "/guests/{objectId}", routes::putGuest);
    router.delete(tenant + "/guests/{objectId}", routes::deleteGuest);
  }

  private static Caller caller(Exchange ex, ApiVersions versions) {
    versions.require(ex);
    return AccessControl.caller(ex);
  }

  private static String tenant(Exchange ex) {
    return ex.pathParam("tenantName");
  }

  // Service principals -------------------------------------------------------------------------

  private Reply listServicePrincipals(Exchange ex) {
    PrincipalAdmin.Listing listing = admin.servicePrincipals(caller(ex, AdminSupport.SERVICE_PRINCIPALS), tenant(ex));
    return AdminSupport.page(arm, ex, c -> listing.page(c.afterKey().orElse(""), c.limit() + 1),
        p -> p.appId().orElseThrow(), p -> AdminSupport.servicePrincipal(listing.tenant(), p, admin.redirectUris(p)));
  }

  private Reply getServicePrincipal(Exchange ex) {
    PrincipalAdmin.InTenant found = admin.servicePrincipal(caller(ex, AdminSupport.SERVICE_PRINCIPALS), tenant(ex),
        ex.pathParam("appId"));
    return Reply.json(200, AdminSupport.servicePrincipal(found.tenant(), found.principal(), admin.redirectUris(found.principal())));
  }

  /**
   * Creates a service principal under the client id the path names (201, with
   * {@code properties.clientSecret}, the only time it is shown) or changes its display name (200,
   * no secret).
   */
  private Reply putServicePrincipal(Exchange ex) throws Exception {
    PrincipalAdmin.ServicePrincipalWrite write = admin.writingServicePrincipal(
        caller(ex, AdminSupport.SERVICE_PRINCIPALS), tenant(ex), ex.pathParam("appId"));
    PrincipalAdmin.ServicePrincipalPut done = write.put(arm.body().optional(ex));
    ObjectNode out = AdminSupport.servicePrincipal(done.tenant(), done.principal(), admin.redirectUris(done.principal()));
    if (done.clientSecret() == null) {
      return Reply.json(200, out);
    }
    ((ObjectNode) out.get("properties")).put("clientSecret", done.clientSecret());
    return AdminSupport.secret(201, out);
  }

  /** Adds a client secret (shown once); the earlier ones keep working until they expire. */
  private Reply addSecret(Exchange ex) {
    PrincipalAdmin.ServicePrincipalPut done = admin.addSecret(caller(ex, AdminSupport.SERVICE_PRINCIPALS),
        tenant(ex), ex.pathParam("appId"));
    ObjectNode out = AdminSupport.servicePrincipal(done.tenant(), done.principal(), admin.redirectUris(done.principal()));
    ((ObjectNode) out.get("properties")).put("clientSecret", done.clientSecret());
    return AdminSupport.secret(200, out);
  }

  // Users --------------------------------------------------------------------------------------

  private Reply listUsers(Exchange ex) {
    PrincipalAdmin.Listing listing = admin.users(caller(ex, AdminSupport.USERS), tenant(ex));
    return AdminSupport.page(arm, ex, c -> listing.page(c.afterKey().orElse(""), c.limit() + 1),
        p -> p.upn().orElseThrow(), p -> AdminSupport.user(listing.tenant(), p));
  }

  private Reply getUser(Exchange ex) {
    PrincipalAdmin.InTenant found = admin.user(caller(ex, AdminSupport.USERS), tenant(ex),
        ex.pathParam("userPrincipalName"));
    return Reply.json(200, AdminSupport.user(found.tenant(), found.principal()));
  }

  /** Creates a user with a password (201); an existing name is a 409 {@code UserAlreadyExists}. */
  private Reply putUser(Exchange ex) throws Exception {
    PrincipalAdmin.UserWrite write = admin.writingUser(caller(ex, AdminSupport.USERS), tenant(ex),
        ex.pathParam("userPrincipalName"));
    PrincipalAdmin.InTenant made = write.create(arm.body().required(ex));
    return Reply.json(201, AdminSupport.user(made.tenant(), made.principal()));
  }

  // Guests -------------------------------------------------------------------------------------

  private Reply listGuests(Exchange ex) {
    PrincipalAdmin.Listing listing = admin.guests(caller(ex, AdminSupport.GUESTS), tenant(ex));
    return AdminSupport.page(arm, ex, c -> listing.page(c.afterKey().orElse(""), c.limit() + 1),
        Principal::objectId, p -> AdminSupport.guest(listing.tenant(), p));
  }

  private Reply getGuest(Exchange ex) {
    PrincipalAdmin.InTenant found = admin.guest(caller(ex, AdminSupport.GUESTS), tenant(ex), ex.pathParam("objectId"));
    return Reply.json(200, AdminSupport.guest(found.tenant(), found.principal()));
  }

  /** Invites a principal of another tenant (201; 200 when it already is a guest). */
  private Reply putGuest(Exchange ex) throws Exception {
    PrincipalAdmin.GuestWrite write = admin.invitingGuest(caller(ex, AdminSupport.GUESTS), tenant(ex),
        ex.pathParam("objectId"));
    // The body carries nothing, but a malformed one is still refused, as before.
    arm.body().optional(ex);
    PrincipalAdmin.GuestPut done = write.invite();
    return Reply.json(done.created() ? 201 : 200, AdminSupport.guest(done.tenant(), done.principal()));
  }

  /** Ends a guest membership (200 with what was removed; 204 when there was none). */
  private Reply deleteGuest(Exchange ex) {
    return admin.removeGuest(caller(ex, AdminSupport.GUESTS), tenant(ex), ex.pathParam("objectId"))
        .map(g -> Reply.json(200, AdminSupport.guest(g.tenant(), g.principal()))).orElseGet(() -> Reply.empty(204));
  }
}
