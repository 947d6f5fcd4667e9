package org.stackledger.identityadmin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.arm.TrackedResource;
import org.stackledger.directory.Directory;
import org.stackledger.directory.DirectoryTenant;
import org.stackledger.directory.Principal;
import org.stackledger.directory.SigningKeys;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;

/**
 * The operator's administration of directory tenants, principal look-up and token signing keys, as a
 * signed-in caller may use it. Each way in checks the {@link Caller} for a root-scope role allowing the
 * action (403 {@code AuthorizationFailed}) before it reads anything of the request; the API and the
 * console both call here, so there is one check. Listing and writing a tenant are two steps, so a
 * route reads its paging parameters or body only once the caller has passed.
 */
public final class DirectoryAdmin {
  private final AccessControl access;
  private final Directory directory;
  private final SigningKeys keys;

  public DirectoryAdmin(Arm arm, Directory directory, SigningKeys keys) {
    this.access = AccessControl.of(arm);
    this.directory = directory;
    this.keys = keys;
  }

  /** A tenant written, and whether it was made. */
  public record TenantPut(DirectoryTenant tenant, boolean created) {}

  /** The caller's right to list tenants: a page of them by domain, after {@code afterKey}. */
  public TenantListing tenants(Caller caller) {
    access.requireRoot(caller, "Stackledger.Identity/tenants/read");
    return new TenantListing();
  }

  /** One tenant by its domain or id; 404 when there is none. */
  public DirectoryTenant tenant(Caller caller, String tenantName) {
    access.requireRoot(caller, "Stackledger.Identity/tenants/read");
    return directory.requireTenant(tenantName);
  }

  /** The caller's right to create tenants and rename them. */
  public TenantWrite writingTenants(Caller caller) {
    access.requireRoot(caller, "Stackledger.Identity/tenants/write");
    return new TenantWrite();
  }

  /** Tenants a caller was allowed to list; only {@link DirectoryAdmin} makes one. */
  public final class TenantListing {
    private TenantListing() {}

    public List<DirectoryTenant> page(String afterKey, int limit) {
      return directory.tenants(afterKey, limit);
    }
  }

  /** Tenant writes a caller was allowed; only {@link DirectoryAdmin} makes one. */
  public final class TenantWrite {
    private TenantWrite() {}

    /**
     * Creates a tenant named by its domain, or changes its display name. A tenant's id is fixed at
     * creation: a request naming another one is a 409, as is a new tenant whose id is taken.
     */
    public TenantPut put(String tenantName, ObjectNode request) {
      String domain = tenantName.toLowerCase(Locale.ROOT);
      ObjectNode properties = TrackedResource.properties(request, true);
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
        return new TenantPut(t, false);
      }
      try {
        return new TenantPut(directory.createTenant(tenantId, domain, displayName), true);
      } catch (Problem e) {
        throw e.renaming("domain", "tenantName");
      }
    }
  }

  /**
   * A principal by object id, client id or user principal name, in any tenant: how the CLI turns the
   * names people use into the object ids role assignments and guest memberships need.
   */
  public Principal principal(Caller caller, String key) {
    access.requireRoot(caller, "Stackledger.Identity/principals/read");
    Optional<Principal> found = AdminSupport.isGuid(key)
        ? directory.principal(key).or(() -> directory.principalByAppId(key))
        : directory.principalByUpn(key);
    return found.orElseThrow(() -> Problem.notFound("PrincipalNotFound",
        "No user or service principal has the object id, client id or name '" + key + "'."));
  }

  /** The caller's right to list the signing keys. */
  public KeyListing signingKeys(Caller caller) {
    access.requireRoot(caller, "Stackledger.Identity/signingKeys/read");
    return new KeyListing();
  }

  /** Signing keys a caller was allowed to list; only {@link DirectoryAdmin} makes one. */
  public final class KeyListing {
    private KeyListing() {}

    public List<SigningKeys.KeyInfo> page(String afterKey, int limit) {
      return keys.list().stream().filter(k -> AdminSupport.keyOrder(k).compareTo(afterKey) > 0)
          .sorted(Comparator.comparing(AdminSupport::keyOrder)).limit(limit).toList();
    }
  }

  /** One signing key; 404 {@code SigningKeyNotFound}. */
  public SigningKeys.KeyInfo signingKey(Caller caller, String kid) {
    access.requireRoot(caller, "Stackledger.Identity/signingKeys/read");
    return key(kid);
  }

  /** Makes a new active key; the previous one keeps verifying (retiring) until it is retired. */
  public SigningKeys.KeyInfo rotate(Caller caller) {
    access.requireRoot(caller, "Stackledger.Identity/signingKeys/rotate/action");
    return key(keys.rotate());
  }

  /**
   * Stops a retiring key from verifying. Retiring the active key would leave nothing to sign with:
   * 409. Retiring a retired key again changes nothing, so retries are safe.
   */
  public SigningKeys.KeyInfo retire(Caller caller, String kid) {
    access.requireRoot(caller, "Stackledger.Identity/signingKeys/retire/action");
    SigningKeys.KeyInfo k = key(kid);
    switch (k.state()) {
      case active -> throw Problem.conflict("SigningKeyIsActive", "Key '" + k.kid()
          + "' is the active signing key; rotate first, then retire the previous key.");
      case retiring -> keys.retire(k.kid());
      case retired -> { }
    }
    return key(k.kid());
  }

  private SigningKeys.KeyInfo key(String kid) {
    return keys.list().stream().filter(k -> k.kid().equals(kid)).findFirst().orElseThrow(() -> Problem.notFound(
        "SigningKeyNotFound", "There is no signing key with kid '" + kid + "'."));
  }
}
