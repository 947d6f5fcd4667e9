package org.stackledger.identityadmin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiFunction;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.arm.TrackedResource;
import org.stackledger.directory.Directory;
import org.stackledger.directory.DirectoryTenant;
import org.stackledger.directory.NewServicePrincipal;
import org.stackledger.directory.Principal;
import org.stackledger.directory.RedirectUris;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;

/**
 * The principals of one directory tenant as the operator manages them: service principals (a client
 * secret is shown once, when made), users (a password goes in and never comes out) and guest
 * memberships. Each way in checks the signed-in {@link Caller} for a root-scope role allowing the action
 * (403 {@code AuthorizationFailed}) first, then the tenant, then the request; the API and the console both
 * call here, so there is one check. Listings and writes with a body are two steps, so a route reads its
 * paging parameters or body only once the caller has passed.
 */
public final class PrincipalAdmin {
  private static final String ACTIONS = "Stackledger.Identity/tenants/";

  private final AccessControl access;
  private final Directory directory;
  private final RedirectUris redirectUris;

  public PrincipalAdmin(Arm arm, Directory directory, RedirectUris redirectUris) {
    this.access = AccessControl.of(arm);
    this.directory = directory;
    this.redirectUris = redirectUris;
  }

  /**
   * The redirect URIs registered on a service principal's application, by platform (Graph's
   * {@code web.redirectUris} and {@code spa.redirectUris}).
   */
  public java.util.Map<RedirectUris.Platform, List<String>> redirectUris(Principal servicePrincipal) {
    java.util.Map<RedirectUris.Platform, List<String>> out = new java.util.EnumMap<>(RedirectUris.Platform.class);
    for (RedirectUris.Platform platform : RedirectUris.Platform.values()) {
      out.put(platform, redirectUris.of(servicePrincipal.objectId(), platform));
    }
    return out;
  }

  /** A principal and the tenant it was asked under. */
  public record InTenant(DirectoryTenant tenant, Principal principal) {}

  /** A service principal written: {@code clientSecret} when it was made (shown once), else {@code null}. */
  public record ServicePrincipalPut(DirectoryTenant tenant, Principal principal, String clientSecret) {}

  /** A guest invited, and whether the membership is new. */
  public record GuestPut(DirectoryTenant tenant, Principal principal, boolean created) {}

  private DirectoryTenant tenant(Caller caller, String action, String tenantName) {
    access.requireRoot(caller, ACTIONS + action);
    return directory.requireTenant(tenantName);
  }

  /** Principals of a tenant a caller was allowed to list; only {@link PrincipalAdmin} makes one. */
  public static final class Listing {
    private final DirectoryTenant tenant;
    private final BiFunction<String, Integer, List<Principal>> reader;

    private Listing(DirectoryTenant tenant, BiFunction<String, Integer, List<Principal>> reader) {
      this.tenant = tenant;
      this.reader = reader;
    }

    public DirectoryTenant tenant() {
      return tenant;
    }

    /** Up to {@code limit} principals after {@code afterKey}, in key order. */
    public List<Principal> page(String afterKey, int limit) {
      return reader.apply(afterKey, limit);
    }
  }

  // Service principals -------------------------------------------------------------------------

  private Principal servicePrincipal(DirectoryTenant t, String appId) {
    return directory.principalByAppId(appId)
        .filter(p -> p.kind() == Principal.Kind.ServicePrincipal && p.tenantId().equals(t.tenantId()))
        .orElseThrow(() -> Problem.notFound("ServicePrincipalNotFound", "The tenant '" + t.domain()
            + "' has no service principal with client id '" + appId + "'."));
  }

  public Listing servicePrincipals(Caller caller, String tenantName) {
    DirectoryTenant t = tenant(caller, "servicePrincipals/read", tenantName);
    return new Listing(t, (after, limit) -> directory.principals(t.tenantId(), Principal.Kind.ServicePrincipal,
        after, limit));
  }

  public InTenant servicePrincipal(Caller caller, String tenantName, String appId) {
    DirectoryTenant t = tenant(caller, "servicePrincipals/read", tenantName);
    return new InTenant(t, servicePrincipal(t, AdminSupport.guid(appId, "InvalidClientId", "appId")));
  }

  /** The caller's right to make the service principal {@code appId} or rename it. */
  public ServicePrincipalWrite writingServicePrincipal(Caller caller, String tenantName, String appId) {
    DirectoryTenant t = tenant(caller, "servicePrincipals/write", tenantName);
    return new ServicePrincipalWrite(t, AdminSupport.guid(appId, "InvalidClientId", "appId"));
  }

  /** A service principal a caller was allowed to write; only {@link PrincipalAdmin} makes one. */
  public final class ServicePrincipalWrite {
    private final DirectoryTenant t;
    private final String appId;

    private ServicePrincipalWrite(DirectoryTenant t, String appId) {
      this.t = t;
      this.appId = appId;
    }

    /**
     * Creates the service principal (its client secret answered, the only time it is shown) or changes
     * its display name; {@code properties.web.redirectUris} and {@code properties.spa.redirectUris}, each
     * when given, replace the application's redirect URIs of that platform (each validated first, so a
     * bad one changes nothing). Secrets are made here, never
     * taken from the request ({@code null} for none).
     */
    public ServicePrincipalPut put(ObjectNode body) {
      ObjectNode properties = body == null ? JsonNodeFactory.instance.objectNode()
          : TrackedResource.properties(body, false);
      if (properties.has("clientSecret") || properties.has("password")) {
        throw Problem.invalid("SecretNotAccepted", "properties.clientSecret",
            "Client secrets are made by the server and shown once; add one with POST .../addSecret.");
      }
      String displayName = AdminSupport.text(properties, "displayName", 256);
      Optional<List<String>> web = requestedRedirectUris(properties, "web");
      Optional<List<String>> spa = requestedRedirectUris(properties, "spa");
      if (web.isPresent() && spa.isPresent()) {
        for (String uri : spa.get()) {
          if (web.get().contains(uri)) {
            throw Problem.invalid("InvalidRedirectUri", "properties.spa.redirectUris", "The redirect URI '" + uri
                + "' is in both properties.web.redirectUris and properties.spa.redirectUris; a URI is registered "
                + "for one platform.");
          }
        }
      }
      ServicePrincipalPut done = write(displayName);
      web.ifPresent(u -> redirectUris.set(done.principal().objectId(), RedirectUris.Platform.WEB, u));
      spa.ifPresent(u -> redirectUris.set(done.principal().objectId(), RedirectUris.Platform.SPA, u));
      return done;
    }

    private ServicePrincipalPut write(String displayName) {
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
        return new ServicePrincipalPut(t, p, null);
      }
      NewServicePrincipal made = directory.createServicePrincipal(t.tenantId(),
          displayName == null ? appId : displayName, appId, null);
      return new ServicePrincipalPut(t, made.principal(), made.clientSecret());
    }
  }

  /** {@code properties.<platform>.redirectUris} (web or spa), validated; empty when not given. */
  private static Optional<List<String>> requestedRedirectUris(ObjectNode properties, String platform) {
    String field = "properties." + platform + ".redirectUris";
    JsonNode web = properties.get(platform);
    if (web == null || web.isNull()) {
      return Optional.empty();
    }
    if (!web.isObject()) {
      throw Problem.invalid("InvalidRedirectUri", "properties." + platform, "properties." + platform
          + " must be an object with redirectUris.");
    }
    JsonNode uris = web.get("redirectUris");
    if (uris == null || uris.isNull()) {
      return Optional.empty();
    }
    if (!uris.isArray()) {
      throw Problem.invalid("InvalidRedirectUri", field, field + " must be an array of URIs.");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < uris.size(); i++) {
      if (!uris.get(i).isTextual()) {
        throw Problem.invalid("InvalidRedirectUri", field + "[" + i + "]", field + "[" + i + "] must be a string.");
      }
      out.add(uris.get(i).asText());
    }
    return Optional.of(RedirectUris.validate(out, field));
  }

  /** Adds a client secret (answered, shown once); the earlier ones keep working until they expire. */
  public ServicePrincipalPut addSecret(Caller caller, String tenantName, String appId) {
    DirectoryTenant t = tenant(caller, "servicePrincipals/addSecret/action", tenantName);
    Principal p = servicePrincipal(t, AdminSupport.guid(appId, "InvalidClientId", "appId"));
    return new ServicePrincipalPut(t, p, directory.addClientSecret(p.objectId()));
  }

  // Users --------------------------------------------------------------------------------------

  private Principal user(DirectoryTenant t, String upn) {
    return directory.principalByUpn(upn)
        .filter(p -> p.kind() == Principal.Kind.User && p.tenantId().equals(t.tenantId()))
        .orElseThrow(() -> Problem.notFound("UserNotFound", "The tenant '" + t.domain() + "' has no user '"
            + upn + "'."));
  }

  public Listing users(Caller caller, String tenantName) {
    DirectoryTenant t = tenant(caller, "users/read", tenantName);
    return new Listing(t, (after, limit) -> directory.principals(t.tenantId(), Principal.Kind.User, after, limit));
  }

  public InTenant user(Caller caller, String tenantName, String userPrincipalName) {
    DirectoryTenant t = tenant(caller, "users/read", tenantName);
    return new InTenant(t, user(t, userPrincipalName.toLowerCase(Locale.ROOT)));
  }

  /** The caller's right to create the user {@code userPrincipalName}, which must be in the tenant's domain. */
  public UserWrite writingUser(Caller caller, String tenantName, String userPrincipalName) {
    DirectoryTenant t = tenant(caller, "users/write", tenantName);
    String upn = userPrincipalName.toLowerCase(Locale.ROOT);
    if (!upn.endsWith("@" + t.domain())) {
      throw Problem.invalid("InvalidUserPrincipalName", "userPrincipalName",
          "The user principal name '" + upn + "' must be name@" + t.domain() + ", in the tenant's domain.");
    }
    return new UserWrite(t, upn);
  }

  /** A user a caller was allowed to create; only {@link PrincipalAdmin} makes one. */
  public final class UserWrite {
    private final DirectoryTenant t;
    private final String upn;

    private UserWrite(DirectoryTenant t, String upn) {
      this.t = t;
      this.upn = upn;
    }

    /**
     * Creates the user with {@code properties.password}. Users are made once: an existing name is a 409
     * {@code UserAlreadyExists}, so a repeated create can never change someone's password unseen.
     */
    public InTenant create(ObjectNode body) {
      ObjectNode properties = TrackedResource.properties(body, true);
      String displayName = AdminSupport.text(properties, "displayName", 256);
      var password = properties.get("password");
      if (password == null || !password.isTextual()) {
        throw Problem.invalid("PasswordRequired", "properties.password",
            "properties.password is required: a string of at least 8 characters.");
      }
      try {
        return new InTenant(t, directory.createUser(t.tenantId(), upn, displayName, password.asText()));
      } catch (Problem e) {
        throw e.renaming("password", "properties.password");
      }
    }
  }

  // Guests -------------------------------------------------------------------------------------

  private Principal guest(DirectoryTenant t, String objectId) {
    return directory.principal(objectId).filter(p -> directory.isGuest(t.tenantId(), p.objectId()))
        .orElseThrow(() -> Problem.notFound("GuestNotFound", "The principal '" + objectId
            + "' is not a guest of the tenant '" + t.domain() + "'."));
  }

  public Listing guests(Caller caller, String tenantName) {
    DirectoryTenant t = tenant(caller, "guests/read", tenantName);
    return new Listing(t, (after, limit) -> directory.guests(t.tenantId(), after, limit));
  }

  public InTenant guest(Caller caller, String tenantName, String objectId) {
    DirectoryTenant t = tenant(caller, "guests/read", tenantName);
    return new InTenant(t, guest(t, AdminSupport.guid(objectId, "InvalidObjectId", "objectId")));
  }

  /** The caller's right to invite the principal {@code objectId} as a guest of the tenant. */
  public GuestWrite invitingGuest(Caller caller, String tenantName, String objectId) {
    DirectoryTenant t = tenant(caller, "guests/write", tenantName);
    return new GuestWrite(t, AdminSupport.guid(objectId, "InvalidObjectId", "objectId"));
  }

  /** A guest a caller was allowed to invite; only {@link PrincipalAdmin} makes one. */
  public final class GuestWrite {
    private final DirectoryTenant t;
    private final String objectId;

    private GuestWrite(DirectoryTenant t, String objectId) {
      this.t = t;
      this.objectId = objectId;
    }

    /** Invites a principal of another tenant; a principal cannot be a guest of its own tenant (400). */
    public GuestPut invite() {
      Principal p = directory.principal(objectId).orElseThrow(() -> Problem.invalid("PrincipalNotFound",
          "objectId", "No user or service principal has object id '" + objectId + "'."));
      if (p.tenantId().equals(t.tenantId())) {
        throw Problem.invalid("GuestOfOwnTenant", "objectId", "The principal '" + objectId
            + "' belongs to the tenant '" + t.domain() + "'; only principals of other tenants can be guests.");
      }
      return new GuestPut(t, p, directory.addGuest(t.tenantId(), objectId));
    }
  }

  /** Ends a guest membership; answers what was removed, or empty when there was none. */
  public Optional<InTenant> removeGuest(Caller caller, String tenantName, String objectId) {
    DirectoryTenant t = tenant(caller, "guests/delete", tenantName);
    String id = AdminSupport.guid(objectId, "InvalidObjectId", "objectId");
    Optional<Principal> p = directory.principal(id);
    if (p.isEmpty() || !directory.removeGuest(t.tenantId(), id)) {
      return Optional.empty();
    }
    return Optional.of(new InTenant(t, p.get()));
  }
}
