package org.stackledger.stamp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ResourceId;
import org.stackledger.http.Guids;
import org.stackledger.http.Json;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;

/**
 * Guest directories as the operator onboards and offboards them ({@code Register-/Unregister-AzsGuestDirectoryTenant}).
 * Each way in checks the signed-in {@link Caller} for a root-scope role allowing the action (403
 * {@code AuthorizationFailed}) before it reads the path's admin subscription and resource group; the
 * admin API and the console both call here, so there is one check. The admin subscription segment only
 * has to be a GUID and the resource group need not exist: the onboarding is the deployment's.
 *
 * <p>Listing and onboarding are two steps ({@link #listing}, {@link #onboarding}), so a route reads its
 * paging parameters or body only once the caller has passed, as ARM answers (who, then what).
 */
public final class GuestDirectoryAdmin {
  private static final String ACTIONS = "Microsoft.Subscriptions.Admin/directoryTenants/";

  private final AccessControl access;
  private final StampFacts facts;
  private final GuestDirectories store;
  private final TenantDiscovery discovery;

  GuestDirectoryAdmin(Arm arm, StampFacts facts, GuestDirectories store, TenantDiscovery discovery) {
    this.access = AccessControl.of(arm);
    this.facts = facts;
    this.store = store;
    this.discovery = discovery;
  }

  private record Where(String subscription, String group) {}

  private Where operator(Caller caller, String action, String adminSubscriptionId, String resourceGroup) {
    access.requireRoot(caller, ACTIONS + action);
    return new Where(ResourceId.checkSubscription(adminSubscriptionId), ResourceId.checkResourceGroup(resourceGroup));
  }

  private static String name(String directoryTenantName) {
    return ResourceId.checkName(directoryTenantName, "directoryTenantName");
  }

  /** The caller's right to list the guest directories onboarded in a resource group. */
  public Listing listing(Caller caller, String adminSubscriptionId, String resourceGroup) {
    return new Listing(operator(caller, "read", adminSubscriptionId, resourceGroup));
  }

  /** One guest directory; 404 {@code ResourceNotFound} when it is not onboarded in that resource group. */
  public GuestDirectory get(Caller caller, String adminSubscriptionId, String resourceGroup, String name) {
    Where w = operator(caller, "read", adminSubscriptionId, resourceGroup);
    return found(w, name(name));
  }

  /** The caller's right to onboard the directory {@code name} (a domain such as contoso.onmicrosoft.com). */
  public Onboarding onboarding(Caller caller, String adminSubscriptionId, String resourceGroup, String name) {
    Where w = operator(caller, "write", adminSubscriptionId, resourceGroup);
    return new Onboarding(w, name(name));
  }

  /** Offboards the directory; false when it was not onboarded there. */
  public boolean offboard(Caller caller, String adminSubscriptionId, String resourceGroup, String name) {
    Where w = operator(caller, "delete", adminSubscriptionId, resourceGroup);
    return store.offboard(w.subscription(), w.group(), name(name));
  }

  private GuestDirectory found(Where w, String name) {
    return store.byName(name).filter(d -> d.adminSubscriptionId().equalsIgnoreCase(w.subscription())
            && d.resourceGroup().equalsIgnoreCase(w.group()))
        .orElseThrow(() -> Problem.notFound("ResourceNotFound", "The directory tenant '" + name
            + "' is not onboarded in resource group '" + w.group() + "'."));
  }

  /** Guest directories a caller was allowed to list; only {@link GuestDirectoryAdmin} makes one. */
  public final class Listing {
    private final Where where;

    private Listing(Where where) {
      this.where = where;
    }

    /** Up to {@code limit} directories of the resource group after {@code afterKey} (a lower-case name). */
    public List<GuestDirectory> page(String afterKey, int limit) {
      return store.inGroup(where.subscription(), where.group(), afterKey, limit);
    }
  }

  /** An onboarding a caller was allowed; only {@link GuestDirectoryAdmin} makes one. */
  public final class Onboarding {
    private final Where where;
    private final String name;

    private Onboarding(Where where, String name) {
      this.where = where;
      this.name = name;
    }

    /**
     * Onboards the directory, its tenant id resolved at the login endpoint as the cmdlet does; the
     * request ({@code null} for none) may give the location (the deployment's region) and
     * {@code properties.tenantId}, which must then be the resolved one.
     */
    public GuestDirectories.Onboarded onboard(ObjectNode request) {
      ObjectNode in = request == null ? Json.object() : request;
      String location = facts.region();
      JsonNode loc = in.get("location");
      if (loc != null && !loc.isNull()) {
        if (!loc.isTextual() || !loc.asText().equalsIgnoreCase(facts.region())) {
          throw Problem.invalid("LocationNotAvailableForResourceType", "location", "The location '" + loc.asText()
              + "' is not available: directory tenants are onboarded in the deployment's region '" + facts.region()
              + "'.");
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
      return store.onboard(where.subscription(), where.group(), name, resolved, location);
    }
  }
}
