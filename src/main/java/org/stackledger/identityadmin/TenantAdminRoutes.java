package org.stackledger.identityadmin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Optional;
import org.stackledger.arm.Arm;
import org.stackledger.arm.TrackedResource;
import org.stackledger.directory.Directory;
import org.stackledger.directory.DirectoryTenant;
import org.stackledger.directory.Principal;
import org.stackledger.directory.SigningKeys;
import org.stackledger.http.Exchange;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * The operator's routes for directory tenants, principal look-up and token signing keys, at the
 * root scope of the cloud ARM endpoint. Every route first checks the api-version, then that the
 * caller holds a root-scope role allowing the action, and only then reads the request.
 */
public final class TenantAdminRoutes {
  private final Arm arm;
  private final Directory directory;
  private final SigningKeys keys;
  private final String homeTenantId;

  private TenantAdminRoutes(Arm arm, Directory directory, SigningKeys keys, String homeTenantId) {
    this.arm = arm;
    this.directory = directory;
    this.keys = keys;
    this.homeTenantId = homeTenantId;
  }

  /** Registers these routes and {@link PrincipalAdminRoutes}: the whole {@code Stackledger.Identity} namespace. */
  public static void register(Router router, Arm arm, Directory directory, SigningKeys keys, String homeTenantId) {
    TenantAdminRoutes routes = new TenantAdminRoutes(arm, directory, keys, homeTenantId);
    String base = AdminSupport.BASE;
    router.get(base + "/tenants", routes::listTenants);
    router.get(base + "/tenants/{tenantName}", routes::getTenant);
    router.put(base + "/tenants/{tenantName}", routes::putTenant);
    router.get(base + "/principals/{principalKey}", routes::lookup);
    router.get(base + "/signingKeys", routes::listKeys);
    router.get(base + "/signingKeys/{kid}", routes::getKey);
    router.post(base + "/signingKeys/rotate", routes::rotate);
    router.post(base + "/signingKeys/{kid}/retire", routes::retire);
    PrincipalAdminRoutes.register(router, arm, directory);
  }

  private Reply listTenants(Exchange ex) {
    AdminSupport.TENANTS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/tenants/read");
    return AdminSupport.page(arm, ex, c -> directory.tenants(c.afterKey().orElse(""), c.limit() + 1),
        DirectoryTenant::domain, t -> AdminSupport.tenant(t, homeTenantId));
  }

  private Reply getTenant(Exchange ex) {
    AdminSupport.TENANTS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/tenants/read");
    return Reply.json(200, AdminSupport.tenant(directory.requireTenant(ex.pathParam("tenantName")), homeTenantId));
  }

  /**
   * Creates a tenant named by its domain (201) or changes its display name (200). A tenant's id is
   * fixed at creation: a PUT naming another one is a 409, as is a new tenant whose id is taken.
   */
  private Reply putTenant(Exchange ex) throws Exception {
    AdminSupport.TENANTS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/tenants/write");
    String domain = ex.pathParam("tenantName").toLowerCase(Locale.ROOT);
    ObjectNode properties = TrackedResource.properties(arm.body().required(ex), true);
    String displayName = AdminSupport.text(properties, "displayName", 256);
    String tenantId = AdminSupport.text(properties, "tenantId", 36);
    if (tenantId != null) {
      tenantId = AdminSupport.guid(tenantId, "InvalidTenantId", "properties.tenantId");
    }
    Optional<DirectoryTenant> existing = directory.tenant(domain);
    if (existing.isPresent()) {
      DirectoryTenant t = existing.get();
      if (!t.domain().equals(domain)) {
        throw Problem.invalid("InvalidDomainName", "tenantName",
            "A tenant is created and changed under its domain name, not its id.");
      }
      if (tenantId != null && !tenantId.equals(t.tenantId())) {
        throw Problem.conflict("TenantAlreadyExists", "The tenant '" + domain + "' exists with another id; "
            + "a tenant's id cannot change.");
      }
      if (displayName != null && !displayName.equals(t.displayName())) {
        t = directory.renameTenant(t.tenantId(), displayName);
      }
      return Reply.json(200, AdminSupport.tenant(t, homeTenantId));
    }
    try {
      return Reply.json(201, AdminSupport.tenant(directory.createTenant(tenantId, domain, displayName), homeTenantId));
    } catch (Problem e) {
      throw AdminSupport.retarget(e, "domain", "tenantName");
    }
  }

  /**
   * Finds a principal by object id, client id or user principal name, in any tenant: how the CLI
   * turns the names people use into the object ids role assignments and guest memberships need.
   */
  private Reply lookup(Exchange ex) {
    AdminSupport.PRINCIPALS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/principals/read");
    String key = ex.pathParam("principalKey");
    Optional<Principal> found = AdminSupport.isGuid(key)
        ? directory.principal(key).or(() -> directory.principalByAppId(key))
        : directory.principalByUpn(key);
    Principal p = found.orElseThrow(() -> Problem.notFound("PrincipalNotFound",
        "No user or service principal has the object id, client id or name '" + key + "'."));
    return Reply.json(200, AdminSupport.principal(AdminSupport.BASE, "principals", p.objectId(), p));
  }

  private Reply listKeys(Exchange ex) {
    AdminSupport.SIGNING_KEYS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/signingKeys/read");
    return AdminSupport.page(arm, ex, c -> keys.list().stream()
            .filter(k -> AdminSupport.keyOrder(k).compareTo(c.afterKey().orElse("")) > 0)
            .sorted(java.util.Comparator.comparing(AdminSupport::keyOrder)).limit(c.limit() + 1L).toList(),
        AdminSupport::keyOrder, AdminSupport::key);
  }

  private SigningKeys.KeyInfo key(String kid) {
    return keys.list().stream().filter(k -> k.kid().equals(kid)).findFirst().orElseThrow(() -> Problem.notFound(
        "SigningKeyNotFound", "There is no signing key with kid '" + kid + "'."));
  }

  private Reply getKey(Exchange ex) {
    AdminSupport.SIGNING_KEYS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/signingKeys/read");
    return Reply.json(200, AdminSupport.key(key(ex.pathParam("kid"))));
  }

  /** Makes a new active key; the previous one keeps verifying (retiring) until it is retired. */
  private Reply rotate(Exchange ex) {
    AdminSupport.SIGNING_KEYS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/signingKeys/rotate/action");
    return Reply.json(200, AdminSupport.key(key(keys.rotate())));
  }

  /**
   * Stops a retiring key from verifying. Retiring the active key would leave nothing to sign with:
   * 409. Retiring a retired key again changes nothing and answers 200, so retries are safe.
   */
  private Reply retire(Exchange ex) {
    AdminSupport.SIGNING_KEYS.require(ex);
    arm.authorizeRoot(ex, "Stackledger.Identity/signingKeys/retire/action");
    SigningKeys.KeyInfo k = key(ex.pathParam("kid"));
    switch (k.state()) {
      case active -> throw Problem.conflict("SigningKeyIsActive", "Key '" + k.kid()
          + "' is the active signing key; rotate first, then retire the previous key.");
      case retiring -> keys.retire(k.kid());
      case retired -> { }
    }
    return Reply.json(200, AdminSupport.key(key(k.kid())));
  }
}
