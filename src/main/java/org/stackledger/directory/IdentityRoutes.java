package org.stackledger.directory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.http.ErrorFormat;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;

/**
 * The identity endpoint, compatible with Microsoft Entra ID's: per tenant (by id or domain) the
 * OpenID discovery documents (v1 and v2.0), the signing keys, and the token endpoints —
 * {@code /oauth2/v2.0/token} ({@code scope=<resource>/.default}) and the v1 {@code /oauth2/token}
 * ({@code resource=}) — for the client-credentials grant (with a client secret or a certificate's
 * client assertion), the resource-owner-password grant, and the authorization-code and refresh-token
 * grants ({@link CodeGrants}) of the browser flow whose {@code /authorize} and {@code /logout} are
 * {@link AuthorizeEndpoint}'s. Failed sign-ins are throttled per principal and per address
 * ({@link SignInGuard}); passwords are checked on a bounded pool ({@link PasswordChecks}).
 */
public final class IdentityRoutes {
  /** Public clients that may use the password grant without a secret: Azure PowerShell and Azure CLI. */
  static final Set<String> PUBLIC_CLIENTS = Set.of("1950a258-227b-4e31-a9cf-717495945fc2",
      "04b07795-8ddb-461a-bbee-02f9e1bf7b46");
  private static final long FORM_LIMIT = 64 * 1024;

  private final Directory directory;
  private final SigningKeys keys;
  private final TokenIssuer issuer;
  private final Supplier<String> identityUrl;
  private final Audiences audiences;
  private final Credentials credentials;
  private final CodeGrants grants;

  private IdentityRoutes(Directory directory, SigningKeys keys, TokenIssuer issuer, Supplier<String> identityUrl,
      Audiences audiences, Credentials credentials, CodeGrants grants) {
    this.directory = directory;
    this.keys = keys;
    this.issuer = issuer;
    this.identityUrl = identityUrl;
    this.audiences = audiences;
    this.credentials = credentials;
    this.grants = grants;
  }

  /** The identity endpoint's error envelope. */
  public static ErrorFormat errors() {
    return OAuthErrors.INSTANCE;
  }

  /** What the identity endpoint stands on. */
  public record Setup(Jdbi jdbi, Directory directory, SigningKeys keys, TokenIssuer issuer, Supplier<String> identityUrl) {}

  /**
   * @param resources  the audiences tokens may be asked for (the ARM endpoints' and Partner Center's)
   * @param firstParty the process's own clients, accepted in every directory (the console's)
   * @param clock      the time codes, client assertions and sign-in lockouts are measured by
   */
  public static void register(Router router, Setup setup, Supplier<Set<String>> resources,
      List<FirstPartyClient> firstParty, Clock clock) {
    Directory directory = setup.directory();
    Audiences audiences = new Audiences(resources);
    Credentials credentials = new Credentials(directory, setup.identityUrl(), clock);
    RedirectUris redirectUris = new RedirectUris(setup.jdbi(), clock);
    CodeClients clients = new CodeClients(directory, redirectUris, firstParty, credentials);
    CodeStore store = new CodeStore(setup.jdbi(), clock);
    CodeGrants grants = new CodeGrants(directory, clients, store, setup.issuer(), audiences, clock);
    IdentityRoutes routes = new IdentityRoutes(directory, setup.keys(), setup.issuer(), setup.identityUrl(), audiences,
        credentials, grants);
    router.anonymous("GET", "/{tenant}/v2.0/.well-known/openid-configuration", ex -> routes.discovery(ex, TokenIssuer.Version.V2));
    router.anonymous("GET", "/{tenant}/.well-known/openid-configuration", ex -> routes.discovery(ex, TokenIssuer.Version.V1));
    router.anonymous("GET", "/{tenant}/discovery/v2.0/keys", routes::jwks);
    router.anonymous("GET", "/{tenant}/discovery/keys", routes::jwks);
    router.anonymous("POST", "/{tenant}/oauth2/v2.0/token", ex -> routes.token(ex, TokenIssuer.Version.V2));
    router.anonymous("POST", "/{tenant}/oauth2/token", ex -> routes.token(ex, TokenIssuer.Version.V1));
    router.anonymous("OPTIONS", "/{tenant}/oauth2/v2.0/token", IdentityRoutes::preflight);
    router.anonymous("OPTIONS", "/{tenant}/oauth2/token", IdentityRoutes::preflight);
    AuthorizeEndpoint.register(router, new AuthorizeEndpoint(directory, clients, credentials, store, audiences));
  }

  private DirectoryTenant tenant(Exchange ex) {
    String name = ex.pathParam("tenant");
    return directory.tenant(name).orElseThrow(() -> OAuthErrors.invalid("invalid_tenant", 90002,
        "Tenant '" + name + "' not found. Check the tenant id or domain you sign in to."));
  }

  private Reply discovery(Exchange ex, TokenIssuer.Version version) {
    DirectoryTenant tenant = tenant(ex);
    String base = identityUrl.get() + tenant.tenantId();
    String v = version == TokenIssuer.Version.V2 ? "/v2.0" : "";
    ObjectNode out = Json.object();
    out.put("issuer", issuer.issuer(tenant.tenantId(), version));
    out.put("authorization_endpoint", base + "/oauth2" + v + "/authorize");
    out.put("token_endpoint", base + "/oauth2" + v + "/token");
    out.put("jwks_uri", base + "/discovery" + v + "/keys");
    out.putArray("token_endpoint_auth_methods_supported").add("client_secret_post").add("client_secret_basic")
        .add("private_key_jwt");
    out.put("end_session_endpoint", base + "/oauth2" + v + "/logout");
    out.putArray("grant_types_supported").add("authorization_code").add("refresh_token").add("client_credentials")
        .add("password");
    out.putArray("response_types_supported").add("code").add("id_token").add("token");
    out.putArray("response_modes_supported").add("query").add("fragment").add("form_post");
    out.putArray("code_challenge_methods_supported").add("S256");
    out.putArray("subject_types_supported").add("pairwise");
    out.putArray("id_token_signing_alg_values_supported").add("RS256");
    out.putArray("scopes_supported").add("openid").add("profile").add("offline_access");
    out.putArray("claims_supported").add("iss").add("aud").add("tid").add("oid").add("sub").add("appid").add("azp")
        .add("iat").add("nbf").add("exp").add("upn").add("name").add("nonce").add("preferred_username").add("ver");
    out.put("tenant_region_scope", "LOCAL");
    out.put("cloud_instance_name", "stackledger.local");
    // Public documents, read by browser apps (MSAL) from their own origin, as Entra serves them.
    return Reply.json(200, out).header("Access-Control-Allow-Origin", "*");
  }

  private Reply jwks(Exchange ex) {
    tenant(ex);
    return Reply.json(200, Json.parseObject(keys.publicKeys().toString(true))).header("Access-Control-Allow-Origin", "*");
  }

  /**
   * A browser's preflight before a cross-origin token request that is not a simple one (a header of
   * its own): allowed from any origin, as Entra's; whether the token may go to a browser at all is the
   * grant's to decide ({@link CodeGrants}).
   */
  private static Reply preflight(Exchange ex) {
    return Reply.empty(204).header("Access-Control-Allow-Origin", ex.header("Origin").orElse("*"))
        .header("Access-Control-Allow-Methods", "POST, OPTIONS")
        .header("Access-Control-Allow-Headers", ex.header("Access-Control-Request-Headers").orElse("Content-Type"))
        .header("Access-Control-Max-Age", "86400").header("Vary", "Origin");
  }

  private Reply token(Exchange ex, TokenIssuer.Version version) throws Exception {
    DirectoryTenant tenant = tenant(ex);
    Map<String, String> form = form(ex);
    basicAuth(ex).ifPresent(form::putAll);
    String grant = required(form, "grant_type");
    if (grant.equals("authorization_code") || grant.equals("refresh_token")) {
      return grants.redeem(tenant, grant, form, version, ex.remoteAddress(), ex.header("Origin").orElse(null));
    }
    String audience = audiences.requested(form, version);
    // RFC 7523 lets a client that sends an assertion leave client_id out: the assertion's iss names it.
    String clientId = (form.containsKey("client_id") || !form.containsKey("client_assertion") ? required(form, "client_id")
        : ClientAssertions.claimedClient(form.get("client_assertion")).orElseGet(() -> required(form, "client_id")))
        .toLowerCase(Locale.ROOT);
    boolean user = grant.equals("password");
    if (!user && !grant.equals("client_credentials")) {
      throw OAuthErrors.invalid("unsupported_grant_type", 70003,
          "The app requested an unsupported grant type '" + grant + "'. Use authorization_code, refresh_token, "
              + "client_credentials or password.");
    }
    Principal principal;
    if (user) {
      if (!PUBLIC_CLIENTS.contains(clientId) && directory.principalByAppId(clientId).isEmpty()) {
        throw OAuthErrors.invalid("unauthorized_client", 700016, "Application with identifier '" + clientId
            + "' was not found in the directory '" + tenant.domain() + "'.");
      }
      principal = credentials.user(tenant, required(form, "username"), required(form, "password"), ex.remoteAddress());
    } else {
      principal = credentials.application(tenant, clientId, form, ex.remoteAddress());
    }
    TokenIssuer.Token token = issuer.issue(principal, tenant.tenantId(), audience, clientId, version);
    return answer(answer(token, version, audience, user ? audience + "/.default" : null));
  }

  /**
   * A token answer's common fields in the shape of the endpoint's version: v2.0 numbers and
   * {@code scope} (when given), v1 strings with {@code expires_on}, {@code not_before} and {@code resource}.
   */
  static ObjectNode answer(TokenIssuer.Token token, TokenIssuer.Version version, String audience, String scope) {
    long expiresIn = Math.max(0, token.expiresOn().getEpochSecond() - token.notBefore().getEpochSecond() - 1);
    ObjectNode out = Json.object();
    out.put("token_type", "Bearer");
    if (version == TokenIssuer.Version.V2) {
      out.put("expires_in", expiresIn);
      out.put("ext_expires_in", expiresIn);
      if (scope != null) {
        out.put("scope", scope);
      }
    } else {
      out.put("expires_in", Long.toString(expiresIn));
      out.put("ext_expires_in", Long.toString(expiresIn));
      out.put("expires_on", Long.toString(token.expiresOn().getEpochSecond()));
      out.put("not_before", Long.toString(token.notBefore().getEpochSecond()));
      out.put("resource", audience);
    }
    out.put("access_token", token.accessToken());
    return out;
  }

  /** A token answer is a credential: never cached. */
  static Reply answer(ObjectNode out) {
    return Reply.json(200, out).header("Cache-Control", "no-store").header("Pragma", "no-cache");
  }

  static String trim(String url) {
    String t = url.trim().toLowerCase(Locale.ROOT);
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }

  static String required(Map<String, String> form, String name) {
    String value = form.get(name);
    if (value == null || value.isBlank()) {
      throw OAuthErrors.invalid("invalid_request", 900144, "The request body must contain the following parameter: '"
          + name + "'.");
    }
    return value;
  }

  static Map<String, String> form(Exchange ex) throws Exception {
    String type = ex.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (!type.startsWith("application/x-www-form-urlencoded")) {
      throw OAuthErrors.invalid("invalid_request", 900144,
          "The token request must be sent as application/x-www-form-urlencoded.");
    }
    try {
      return Exchange.decodePairs(new String(ex.body(FORM_LIMIT), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw OAuthErrors.invalid("invalid_request", 900144, "The token request body is not valid form encoding.");
    }
  }

  /** {@code client_secret_basic}: the client id and secret in an HTTP Basic header. */
  private static Optional<Map<String, String>> basicAuth(Exchange ex) {
    return ex.header("Authorization").filter(h -> h.regionMatches(true, 0, "Basic ", 0, 6)).map(h -> {
      String decoded = new String(Base64.getDecoder().decode(h.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon < 0) {
        throw OAuthErrors.unauthenticated("invalid_client", 7000215, "The Basic authorization header is malformed.");
      }
      return Map.of("client_id", URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
          "client_secret", URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
    });
  }

}
