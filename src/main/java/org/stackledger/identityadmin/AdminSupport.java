package org.stackledger.identityadmin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.Paging;
import org.stackledger.directory.DirectoryTenant;
import org.stackledger.directory.Principal;
import org.stackledger.directory.SigningKeys;
import org.stackledger.http.Exchange;
import org.stackledger.http.Guids;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.problem.Problem;

/** What the operator routes share: the namespace, its api-version, validation and the JSON shapes. */
final class AdminSupport {
  static final String NAMESPACE = "Stackledger.Identity";
  static final String BASE = "/providers/" + NAMESPACE;
  static final String API_VERSION = "2026-11-01";
  static final ApiVersions TENANTS = ApiVersions.of(NAMESPACE + "/tenants", API_VERSION);
  static final ApiVersions SERVICE_PRINCIPALS = ApiVersions.of(NAMESPACE + "/tenants/servicePrincipals", API_VERSION);
  static final ApiVersions USERS = ApiVersions.of(NAMESPACE + "/tenants/users", API_VERSION);
  static final ApiVersions GUESTS = ApiVersions.of(NAMESPACE + "/tenants/guests", API_VERSION);
  static final ApiVersions PRINCIPALS = ApiVersions.of(NAMESPACE + "/principals", API_VERSION);
  static final ApiVersions SIGNING_KEYS = ApiVersions.of(NAMESPACE + "/signingKeys", API_VERSION);

  private AdminSupport() {}

  static boolean isGuid(String text) {
    return Guids.isGuid(text);
  }

  /** A GUID path parameter or property, lower-cased; otherwise a 400 naming it. */
  static String guid(String value, String code, String target) {
    if (!isGuid(value)) {
      throw Problem.invalid(code, target, "The value '" + value + "' of " + target + " is not a GUID.");
    }
    return value.toLowerCase(Locale.ROOT);
  }

  static String text(ObjectNode properties, String field, int max) {
    return org.stackledger.arm.TrackedResource.text(properties, field, max);
  }


  /** A keyset page of at most {@code cursor.limit()} items, fetched with one extra to tell whether more follow. */
  static <T> Reply page(Arm arm, Exchange ex, Function<Paging.Cursor, List<T>> fetch, Function<T, String> key,
      Function<T, ObjectNode> render) {
    Paging.Cursor cursor = arm.paging().cursor(ex);
    return Reply.json(200, arm.paging().page(ex, cursor, fetch.apply(cursor), key, render));
  }

  /** An answer carrying a credential: never to be cached by a proxy or a client. */
  static Reply secret(int status, ObjectNode body) {
    return Reply.json(status, body).header("Cache-Control", "no-store").header("Pragma", "no-cache");
  }

  static String tenantPath(DirectoryTenant t) {
    return BASE + "/tenants/" + t.domain();
  }

  static ObjectNode tenant(DirectoryTenant t, String homeTenantId) {
    ObjectNode out = Json.object();
    out.put("id", tenantPath(t));
    out.put("name", t.domain());
    out.put("type", NAMESPACE + "/tenants");
    ObjectNode p = out.putObject("properties");
    p.put("tenantId", t.tenantId());
    p.put("domain", t.domain());
    p.put("displayName", t.displayName());
    p.put("isHomeTenant", t.tenantId().equals(homeTenantId));
    return out;
  }

  /** A principal as a child of a tenant: {@code servicePrincipals/{appId}}, {@code users/{upn}} or {@code guests/{objectId}}. */
  static ObjectNode principal(String parentPath, String collection, String name, Principal p) {
    ObjectNode out = Json.object();
    out.put("id", parentPath + "/" + collection + "/" + name);
    out.put("name", name);
    out.put("type", NAMESPACE + (parentPath.startsWith(BASE + "/tenants/") ? "/tenants/" : "/") + collection);
    ObjectNode props = out.putObject("properties");
    props.put("objectId", p.objectId());
    props.put("tenantId", p.tenantId());
    props.put("principalType", p.kind().name());
    p.appId().ifPresent(a -> props.put("appId", a));
    p.upn().ifPresent(u -> props.put("userPrincipalName", u));
    props.put("displayName", p.displayName());
    props.put("enabled", p.enabled());
    return out;
  }

  /** A service principal with its application's redirect URIs as Graph names them ({@code web.redirectUris}). */
  static ObjectNode servicePrincipal(DirectoryTenant t, Principal p,
      java.util.Map<org.stackledger.directory.RedirectUris.Platform, List<String>> redirectUris) {
    ObjectNode out = principal(tenantPath(t), "servicePrincipals", p.appId().orElseThrow(), p);
    redirectUris.forEach((platform, list) -> {
      var uris = ((ObjectNode) out.get("properties")).putObject(platform.name().toLowerCase(java.util.Locale.ROOT))
          .putArray("redirectUris");
      list.forEach(uris::add);
    });
    return out;
  }

  static ObjectNode user(DirectoryTenant t, Principal p) {
    return principal(tenantPath(t), "users", p.upn().orElseThrow(), p);
  }

  static ObjectNode guest(DirectoryTenant t, Principal p) {
    ObjectNode out = principal(tenantPath(t), "guests", p.objectId(), p);
    // The guest's own directory, as opposed to the tenant it is invited into.
    ((ObjectNode) out.get("properties")).put("invitedTo", t.tenantId());
    return out;
  }

  static ObjectNode key(SigningKeys.KeyInfo k) {
    ObjectNode out = Json.object();
    out.put("id", BASE + "/signingKeys/" + k.kid());
    out.put("name", k.kid());
    out.put("type", NAMESPACE + "/signingKeys");
    ObjectNode p = out.putObject("properties");
    p.put("kid", k.kid());
    p.put("state", k.state().name());
    p.put("createdOn", k.createdAt().toString());
    return out;
  }

  /** Orders keys by age with the kid as tie-break, as a string the keyset pager can compare. */
  static String keyOrder(SigningKeys.KeyInfo k) {
    return String.format("%020d", k.createdAt().toEpochMilli()) + "|" + k.kid();
  }
}
