package org.stackledger.identityadmin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Optional;
import org.stackledger.arm.Arm;
import org.stackledger.arm.TrackedResource;
import org.stackledger.directory.Directory;
import org.stackledger.directory.DirectoryTenant;
import org.stackledger.directory.NewServicePrincipal;
import org.stackledger.directory.Principal;
import org.stackledger.http.Exchange;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * The operator's routes for the principals of one directory tenant: service principals (a client
 * secret is shown once, when made), users (a password goes in and never comes out) and guest
 * memberships. Order of checks on every route: api-version, root-scope role, then the request.
 */
final class PrincipalAdminRoutes {
  private final Arm arm;
  private final Directory directory;

  private PrincipalAdminRoutes(Arm arm, Directory directory) {
    this.arm = arm;
    this.directory = directory;
  }

  static void register(Router router, Arm arm, Directory directory) {
    PrincipalAdminRoutes routes = new PrincipalAdminRoutes(arm, directory);
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

  private DirectoryTenant tenant(Exchange ex) {
    return directory.requireTenant(ex.pathParam("tenantName"));
  }

  // Service principals -------------------------------------------------------------------------

  private Principal servicePrincipal(DirectoryTenant t, String appId) {
    return directory.principalByAppId(appId)
        .filter(p -> p.kind() == Principal.Kind.ServicePrincipal && p.tenantId().equals(t.tenantId()))
        .orElseThrow(() -> Problem.notFound("ServicePrincipalNotFound", "The tenant '" + t.domain()
            + "' has no service principal with client id '" + appId + "'."));
  }

  private Reply listServicePrincipals(Exchange ex) {
    AdminSupport.SERVICE_PRINCIPALS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/tenants/servicePrincipals/read");
    DirectoryTenant t = tenant(ex);
    return AdminSupport.page(arm, ex, c -> directory.principals(t.tenantId(), Principal.Kind.ServicePrincipal,
        c.afterKey().orElse(""), c.limit() + 1), p -> p.appId().orElseThrow(), p -> AdminSupport.servicePrincipal(t, p));
  }

  private Reply getServicePrincipal(Exchange ex) {
    AdminSupport.SERVICE_PRINCIPALS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/tenants/servicePrincipals/read");
    DirectoryTenant t = tenant(ex);
    String appId = AdminSupport.guid(ex.pathParam("appId"), "InvalidClientId", "appId");
    return Reply.json(200, AdminSupport.servicePrincipal(t, servicePrincipal(t, appId)));
  }

  /**
   * Creates a service principal under the client id the path names (201, with
   * {@code properties.clientSecret}, the only time it is shown) or changes its display name (200,
   * no secret). Secrets are made here, never taken from the request.
   */
  private Reply putServicePrincipal(Exchange ex) throws Exception {
    AdminSupport.SERVICE_PRINCIPALS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/tenants/servicePrincipals/write");
    DirectoryTenant t = tenant(ex);
    String appId = AdminSupport.guid(ex.pathParam("appId"), "InvalidClientId", "appId");
    ObjectNode body = arm.body().optional(ex);
    ObjectNode properties = body == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
        : TrackedResource.properties(body, false);
    if (properties.has("clientSecret") || properties.has("password")) {
      throw Problem.invalid("SecretNotAccepted", "properties.clientSecret",
          "Client secrets are made by the server and shown once; add one with POST .../addSecret.");
    }
    String displayName = AdminSupport.text(properties, "displayName", 256);
    Optional<Principal> existing = directory.principalByAppId(appId);
    if (existing.isPresent()) {
      Principal p = existing.get();
      if (p.kind() != Principal.Kind.ServicePrincipal || !p.tenantId().equals(t.tenantId())) {
        // Client ids are unique across all tenants; say it is taken, not by whom.
        throw Problem.conflict("ApplicationAlreadyExists", "An application with client id '" + appId
            + "' already exists.");
      }
      if (displayName != null && !displayName.equals(p.displayName())) {
        directory.renamePrincipal(p.objectId(), displayName);
        p = servicePrincipal(t, appId);
      }
      return Reply.json(200, AdminSupport.servicePrincipal(t, p));
    }
    NewServicePrincipal made = directory.createServicePrincipal(t.tenantId(), displayName == null ? appId : displayName,
        appId, null);
    ObjectNode out = AdminSupport.servicePrincipal(t, made.principal());
    ((ObjectNode) out.get("properties")).put("clientSecret", made.clientSecret());
    return AdminSupport.secret(201, out);
  }

  /** Adds a client secret (shown once); the earlier ones keep working until they expire. */
  private Reply addSecret(Exchange ex) {
    AdminSupport.SERVICE_PRINCIPALS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/tenants/servicePrincipals/addSecret/action");
    DirectoryTenant t = tenant(ex);
    String appId = AdminSupport.guid(ex.pathParam("appId"), "InvalidClientId", "appId");
    Principal p = servicePrincipal(t, appId);
    ObjectNode out = AdminSupport.servicePrincipal(t, p);
    ((ObjectNode) out.get("properties")).put("clientSecret", directory.addClientSecret(p.objectId()));
    return AdminSupport.secret(200, out);
  }

  // Users --------------------------------------------------------------------------------------

  private Principal user(DirectoryTenant t, String upn) {
    return directory.principalByUpn(upn)
        .filter(p -> p.kind() == Principal.Kind.User && p.tenantId().equals(t.tenantId()))
        .orElseThrow(() -> Problem.notFound("UserNotFound", "The tenant '" + t.domain() + "' has no user '"
            + upn + "'."));
  }

  private Reply listUsers(Exchange ex) {
    AdminSupport.USERS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/tenants/users/read");
    DirectoryTenant t = tenant(ex);
    return AdminSupport.page(arm, ex, c -> directory.principals(t.tenantId(), Principal.Kind.User,
        c.afterKey().orElse(""), c.limit() + 1), p -> p.upn().orElseThrow(), p -> AdminSupport.user(t, p));
  }

  private Reply getUser(Exchange ex) {
    AdminSupport.USERS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/tenants/users/read");
    DirectoryTenant t = tenant(ex);
    return Reply.json(200, AdminSupport.user(t, user(t, ex.pathParam("userPrincipalName").toLowerCase(Locale.ROOT))));
  }

  /**
   * Creates a user with a password (201). Users are made once: a PUT for an existing name is a 409
   * {@code UserAlreadyExists}, so a repeated create can never change someone's password unseen. The
   * name must be in the tenant's own domain, as Entra requires a verified domain.
   */
  private Reply putUser(Exchange ex) throws Exception {
    AdminSupport.USERS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/tenants/users/write");
    DirectoryTenant t = tenant(ex);
    String upn = ex.pathParam("userPrincipalName").toLowerCase(Locale.ROOT);
    if (!upn.endsWith("@" + t.domain())) {
      throw Problem.invalid("InvalidUserPrincipalName", "userPrincipalName",
          "The user principal name '" + upn + "' must be name@" + t.domain() + ", in the tenant's domain.");
    }
    ObjectNode properties = TrackedResource.properties(arm.body().required(ex), true);
    String displayName = AdminSupport.text(properties, "displayName", 256);
    var password = properties.get("password");
    if (password == null || !password.isTextual()) {
      throw Problem.invalid("PasswordRequired", "properties.password",
          "properties.password is required: a string of at least 8 characters.");
    }
    try {
      return Reply.json(201, AdminSupport.user(t, directory.createUser(t.tenantId(), upn, displayName, password.asText())));
    } catch (Problem e) {
      throw AdminSupport.retarget(e, "password", "properties.password");
    }
  }

  // Guests -------------------------------------------------------------------------------------

  private Principal guest(DirectoryTenant t, String objectId) {
    return directory.principal(objectId).filter(p -> directory.isGuest(t.tenantId(), p.objectId()))
        .orElseThrow(() -> Problem.notFound("GuestNotFound", "The principal '" + objectId
            + "' is not a guest of the tenant '" + t.domain() + "'."));
  }

  private Reply listGuests(Exchange ex) {
    AdminSupport.GUESTS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/tenants/guests/read");
    DirectoryTenant t = tenant(ex);
    return AdminSupport.page(arm, ex, c -> directory.guests(t.tenantId(), c.afterKey().orElse(""), c.limit() + 1),
        Principal::objectId, p -> AdminSupport.guest(t, p));
  }

  private Reply getGuest(Exchange ex) {
    AdminSupport.GUESTS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/tenants/guests/read");
    DirectoryTenant t = tenant(ex);
    return Reply.json(200, AdminSupport.guest(t, guest(t, AdminSupport.guid(ex.pathParam("objectId"),
        "InvalidObjectId", "objectId"))));
  }

  /**
   * Invites a principal of another tenant (201; 200 when it already is a guest): it may then sign in
   * to this tenant. A principal cannot be a guest of its own tenant (400).
   */
  private Reply putGuest(Exchange ex) throws Exception {
    AdminSupport.GUESTS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/tenants/guests/write");
    DirectoryTenant t = tenant(ex);
    String objectId = AdminSupport.guid(ex.pathParam("objectId"), "InvalidObjectId", "objectId");
    arm.body().optional(ex);
    Principal p = directory.principal(objectId).orElseThrow(() -> Problem.invalid("PrincipalNotFound",
        "objectId", "No user or service principal has object id '" + objectId + "'."));
    if (p.tenantId().equals(t.tenantId())) {
      throw Problem.invalid("GuestOfOwnTenant", "objectId", "The principal '" + objectId
          + "' belongs to the tenant '" + t.domain() + "'; only principals of other tenants can be guests.");
    }
    boolean created = directory.addGuest(t.tenantId(), objectId);
    return Reply.json(created ? 201 : 200, AdminSupport.guest(t, p));
  }

  /** Ends a guest membership (200 with what was removed; 204 when there was none). Tokens already issued stay valid until they expire. */
  private Reply deleteGuest(Exchange ex) {
    AdminSupport.GUESTS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/tenants/guests/delete");
    DirectoryTenant t = tenant(ex);
    String objectId = AdminSupport.guid(ex.pathParam("objectId"), "InvalidObjectId", "objectId");
    Optional<Principal> p = directory.principal(objectId);
    if (p.isEmpty() || !directory.removeGuest(t.tenantId(), objectId)) {
      return Reply.empty(204);
    }
    return Reply.json(200, AdminSupport.guest(t, p.get()));
  }
}
