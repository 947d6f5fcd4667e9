package org.stackledger.directory;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.stackledger.http.Exchange;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * {@code /authorize} — the browser half of the authorization-code flow with PKCE — and
 * {@code /logout}. The order of checks decides where a problem is told: an unknown directory or
 * client, or a redirect URI the client has not registered, is shown on a page here and never
 * redirected (anything else would be an open redirect); every later problem goes back to the
 * redirect URI as {@code error}, {@code error_description} and {@code state} (RFC 6749 §4.1.2.1).
 * The sign-in form posts back the request's parameters with an anti-forgery value also held in a
 * cookie (double submit), so another site cannot post a sign-in into someone's browser. A wrong
 * password and an unknown name are answered with the same words; failures count toward the same
 * lockout as the password grant's.
 */
final class AuthorizeEndpoint {
  /** The request parameters carried through the form; anything else is dropped. */
  private static final List<String> CARRIED = List.of("client_id", "redirect_uri", "response_type", "response_mode",
      "scope", "resource", "state", "nonce", "code_challenge", "code_challenge_method", "prompt");
  private static final String XSRF_COOKIE = "stackledger-signin";
  private static final String WRONG = "Your account or password is incorrect. If you don't remember your password, "
      + "ask your administrator to reset it.";

  private final Directory directory;
  private final CodeClients clients;
  private final Credentials credentials;
  private final CodeStore store;
  private final Audiences audiences;

  AuthorizeEndpoint(Directory directory, CodeClients clients, Credentials credentials, CodeStore store,
      Audiences audiences) {
    this.directory = directory;
    this.clients = clients;
    this.credentials = credentials;
    this.store = store;
    this.audiences = audiences;
  }

  static void register(Router router, AuthorizeEndpoint endpoint) {
    for (TokenIssuer.Version v : TokenIssuer.Version.values()) {
      String base = "/{tenant}/oauth2" + (v == TokenIssuer.Version.V2 ? "/v2.0" : "");
      router.anonymous("GET", base + "/authorize", ex -> endpoint.authorize(ex, v, false));
      router.anonymous("POST", base + "/authorize", ex -> endpoint.authorize(ex, v, true));
      router.anonymous("GET", base + "/logout", endpoint::logout);
    }
  }

  /** Where the browser goes back to, and how (a query redirect or a posted form). */
  /** Where and how the answer goes back: {@code mode} is query, fragment or form_post. */
  private record Back(String redirectUri, String state, String mode) {
    Reply send(Map<String, String> fields) {
      Map<String, String> all = new LinkedHashMap<>(fields);
      if (state != null) {
        all.put("state", state);
      }
      String origin = RedirectUris.origin(redirectUri).orElse("'none'");
      if (mode.equals("form_post")) {
        return SignInPage.formPost(redirectUri, all, origin);
      }
      // A registered redirect URI may carry its own query: ours is added to it, or after a '#' (fragment,
      // what MSAL's browser library asks for: the code never reaches a server's logs).
      StringBuilder url = new StringBuilder(redirectUri);
      char separator = mode.equals("fragment") ? '#' : redirectUri.contains("?") ? '&' : '?';
      for (Map.Entry<String, String> e : all.entrySet()) {
        url.append(separator).append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        separator = '&';
      }
      return Reply.empty(302).header("Location", url.toString()).header("Cache-Control", "no-store");
    }

    Reply error(String error, String description) {
      Map<String, String> fields = new LinkedHashMap<>();
      fields.put("error", error);
      fields.put("error_description", description);
      return send(fields);
    }
  }

  private Reply authorize(Exchange ex, TokenIssuer.Version version, boolean post) throws Exception {
    Map<String, String> p;
    try {
      p = post ? IdentityRoutes.form(ex) : Exchange.decodePairs(ex.rawQuery());
    } catch (Problem | IllegalArgumentException e) {
      return SignInPage.refusal(400, "AADSTS900144", "The request is not valid form or query encoding.");
    }
    String tenantName = ex.pathParam("tenant");
    Optional<DirectoryTenant> found = directory.tenant(tenantName);
    if (found.isEmpty()) {
      return SignInPage.refusal(400, "AADSTS90002", "Tenant '" + tenantName + "' not found. Check the tenant id or "
          + "domain you sign in to.");
    }
    DirectoryTenant tenant = found.get();
    String clientId = p.getOrDefault("client_id", "").trim();
    String redirectUri = p.getOrDefault("redirect_uri", "").trim();
    if (clientId.isEmpty() || redirectUri.isEmpty()) {
      return SignInPage.refusal(400, "AADSTS900144", "The request must contain the parameter '"
          + (clientId.isEmpty() ? "client_id" : "redirect_uri") + "'.");
    }
    if (redirectUri.length() > 2048) {
      return SignInPage.refusal(400, "AADSTS50011", "The redirect_uri is longer than 2048 characters.");
    }
    Optional<CodeClients.Client> client = clients.find(clientId, tenant);
    if (client.isEmpty()) {
      return SignInPage.refusal(400, "AADSTS700016", "Application with identifier '" + clientId + "' was not found in "
          + "the directory '" + tenant.domain() + "', or it has no redirect URI registered.");
    }
    if (!client.get().accepts(redirectUri)) {
      return SignInPage.refusal(400, "AADSTS50011", "The redirect URI '" + redirectUri + "' specified in the request "
          + "does not match the redirect URIs configured for the application '" + clientId + "'.");
    }
    // From here on the redirect URI is the client's own: problems go back to it.
    String mode = p.getOrDefault("response_mode", "query");
    boolean known = mode.equals("query") || mode.equals("fragment") || mode.equals("form_post");
    Back back = new Back(redirectUri, p.get("state"), known ? mode : "query");
    if (!known) {
      return back.error("invalid_request", "AADSTS900144: response_mode must be query, fragment or form_post.");
    }
    if (!"code".equals(p.get("response_type"))) {
      return back.error("unsupported_response_type", "AADSTS700054: response_type must be 'code' (the "
          + "authorization-code flow); got '" + p.getOrDefault("response_type", "") + "'.");
    }
    String challenge = p.get("code_challenge");
    String method = p.getOrDefault("code_challenge_method", challenge == null ? "" : "plain");
    if (challenge != null && !method.equals("S256")) {
      return back.error("invalid_request", "AADSTS501491: code_challenge_method must be S256; 'plain' is not accepted.");
    }
    if (challenge != null && !challenge.matches("[A-Za-z0-9_-]{43}")) {
      return back.error("invalid_request", "AADSTS501491: code_challenge must be BASE64URL(SHA-256(code_verifier)), "
          + "43 characters.");
    }
    if (challenge == null && !client.get().confidential()) {
      return back.error("invalid_request", "AADSTS9002325: Proof Key for Code Exchange is required: send "
          + "code_challenge and code_challenge_method=S256.");
    }
    String audience;
    try {
      audience = audiences.requested(p, version);
    } catch (Problem e) {
      return back.error(e.code(), e.getMessage());
    }
    // The code keeps the nonce and the scope: longer ones than its columns hold are refused here, not failed later.
    if (p.getOrDefault("nonce", "").length() > 512 || p.getOrDefault("scope", "").length() > 2048) {
      return back.error("invalid_request", "AADSTS900144: nonce may have at most 512 characters and scope at most 2048.");
    }
    if ("none".equals(p.get("prompt"))) {
      return back.error("login_required", "AADSTS50058: The identity endpoint keeps no sign-in session; the user must "
          + "sign in.");
    }
    Map<String, String> hidden = new LinkedHashMap<>();
    CARRIED.forEach(k -> Optional.ofNullable(p.get(k)).ifPresent(v -> hidden.put(k, v)));
    String formTarget = RedirectUris.origin(redirectUri).orElse("'none'");
    String cookie = xsrfCookie(ex).orElseGet(CodeStore::random256);
    hidden.put("xsrf", cookie);
    String appName = client.get().name();
    if (!post) {
      return withCookie(ex, SignInPage.form(200, ex.path(), appName, tenant.displayName(),
          p.getOrDefault("login_hint", ""), null, hidden, formTarget), cookie);
    }
    String username = p.getOrDefault("username", "").trim();
    String password = p.getOrDefault("password", "");
    if (xsrfCookie(ex).isEmpty() || !xsrfCookie(ex).get().equals(p.get("xsrf"))) {
      return withCookie(ex, SignInPage.form(400, ex.path(), appName, tenant.displayName(), username,
          "This sign-in page has expired. Sign in again.", hidden, formTarget), cookie);
    }
    if (username.isEmpty() || password.isEmpty()) {
      return SignInPage.form(400, ex.path(), appName, tenant.displayName(), username,
          "Enter your user name and your password.", hidden, formTarget);
    }
    Principal user;
    try {
      user = credentials.user(tenant, username, password, ex.remoteAddress());
    } catch (Problem e) {
      // A wrong password and an unknown name read the same; a lockout or a busy server says so (it names nobody).
      String why = e.code().equals("invalid_grant") && e.getMessage().startsWith("AADSTS50126") ? WRONG
          : e.getMessage().replaceFirst("^AADSTS\\d+: ", "");
      return SignInPage.form(400, ex.path(), appName, tenant.displayName(), username, why, hidden, formTarget);
    }
    String scope = version == TokenIssuer.Version.V2 ? p.getOrDefault("scope", "")
        : ("openid offline_access " + p.getOrDefault("scope", "")).trim();
    String code = store.issue(new CodeStore.Code(client.get().clientId(), redirectUri, challenge, p.get("nonce"), scope,
        audience, tenant.tenantId(), user.objectId(), null));
    return back.send(Map.of("code", code));
  }

  /**
   * RP-initiated sign-out. The identity endpoint keeps no session of its own, so there is nothing to
   * end here but the anti-forgery cookie; the browser goes back only to the origin of a registered
   * redirect URI, else sees a "signed out" page.
   */
  private Reply logout(Exchange ex) {
    Optional<String> back = ex.query("post_logout_redirect_uri").filter(u -> RedirectUris.origin(u)
        .filter(clients::signOutAllowed).isPresent());
    Reply reply = back.map(u -> Reply.empty(302).header("Location", u)).orElseGet(SignInPage::signedOut);
    return reply.header("Set-Cookie", XSRF_COOKIE + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
        + (secure(ex) ? "; Secure" : ""));
  }

  private static boolean secure(Exchange ex) {
    return ex.baseUrl().toLowerCase(Locale.ROOT).startsWith("https:");
  }

  private static Reply withCookie(Exchange ex, Reply reply, String value) {
    return reply.header("Set-Cookie", XSRF_COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict"
        + (secure(ex) ? "; Secure" : ""));
  }

  private static Optional<String> xsrfCookie(Exchange ex) {
    return ex.header("Cookie").flatMap(header -> {
      for (String part : header.split(";")) {
        String[] kv = part.trim().split("=", 2);
        if (kv.length == 2 && kv[0].equals(XSRF_COOKIE) && !kv[1].isEmpty()) {
          return Optional.of(kv[1]);
        }
      }
      return Optional.empty();
    });
  }
}
