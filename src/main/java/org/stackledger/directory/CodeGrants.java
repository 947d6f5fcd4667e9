package org.stackledger.directory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import org.stackledger.http.Reply;
import org.stackledger.problem.Problem;

/**
 * The token endpoint's grants for people signed in through the authorize endpoint:
 * {@code authorization_code} (the code, the same redirect URI, the PKCE verifier, the client's
 * credentials) and {@code refresh_token}, which, like Entra's multi-resource refresh token, answers an
 * access token for any audience this endpoint issues, and, like Entra's multi-tenant one, in any
 * directory the user is a member or guest of (a partner's person redeems the token of its home
 * directory at a customer's, where it is a guest); it is rotated on every use. Both refuse with
 * Entra's {@code invalid_grant} codes: AADSTS54005 (code used), AADSTS70008 (expired), AADSTS501481
 * (verifier), AADSTS50034 (the user is gone), AADSTS50020 (the user is not in the directory asked).
 */
final class CodeGrants {
  private final Directory directory;
  private final CodeClients clients;
  private final CodeStore store;
  private final TokenIssuer issuer;
  private final Audiences audiences;
  private final Clock clock;

  CodeGrants(Directory directory, CodeClients clients, CodeStore store, TokenIssuer issuer, Audiences audiences,
      Clock clock) {
    this.directory = directory;
    this.clients = clients;
    this.store = store;
    this.issuer = issuer;
    this.audiences = audiences;
    this.clock = clock;
  }

  /**
   * @param origin the request's {@code Origin} header: a browser's cross-origin request, which only a
   *     browser app's code or refresh token may make (and whose answer then carries CORS); null for a
   *     server's request
   */
  Reply redeem(DirectoryTenant tenant, String grant, Map<String, String> form, TokenIssuer.Version version,
      String address, String origin) {
    String clientId = IdentityRoutes.required(form, "client_id").toLowerCase(Locale.ROOT);
    CodeClients.Client client = clients.find(clientId, tenant).orElseThrow(() -> OAuthErrors.invalid(
        "unauthorized_client", 700016, "Application with identifier '" + clientId + "' was not found in the directory '"
            + tenant.domain() + "' or has no redirect URI."));
    Reply answer = grant.equals("authorization_code") ? code(tenant, client, form, version, address, origin)
        : refresh(tenant, client, form, version, address, origin);
    return origin == null ? answer : answer.header("Access-Control-Allow-Origin", origin).header("Vary", "Origin");
  }

  /**
   * Entra's rule for a browser app: its tokens are redeemed cross-origin (with an {@code Origin}) and
   * only its are. A server that sends an {@code Origin} for a web app's code, or a browser app's code
   * redeemed without one, is refused before anything is spent.
   */
  private static void crossOrigin(boolean spa, String origin) {
    if (origin != null && !spa) {
      throw OAuthErrors.invalid("invalid_request", 9002326, "Cross-origin token redemption is permitted only for the "
          + "'Single-Page Application' client-type. Request origin: '" + origin + "'.");
    }
    if (origin == null && spa) {
      throw OAuthErrors.invalid("invalid_request", 9002327, "Tokens issued for the 'Single-Page Application' "
          + "client-type may only be redeemed via cross-origin requests.");
    }
  }

  private Reply code(DirectoryTenant tenant, CodeClients.Client client, Map<String, String> form,
      TokenIssuer.Version version, String address, String origin) {
    String code = IdentityRoutes.required(form, "code");
    String redirectUri = IdentityRoutes.required(form, "redirect_uri");
    boolean spa = client.spa(redirectUri);
    crossOrigin(spa, origin);
    // The client proves itself before the code is touched, so a stranger cannot spend someone's code; a
    // browser app has no secret to prove, and its PKCE verifier stands in (required below).
    if (!spa) {
      clients.authenticate(client, tenant, form, address);
    }
    CodeStore.Code c = store.redeem(code).orElseThrow(() -> OAuthErrors.invalid("invalid_grant", 54005,
        "OAuth2 Authorization code was already redeemed or is not valid. Please retry with a new valid code."));
    if (!c.clientId().equals(client.clientId()) || !c.tenantId().equals(tenant.tenantId())) {
      throw OAuthErrors.invalid("invalid_grant", 70000, "The code was issued to another client or in another directory.");
    }
    if (!c.redirectUri().equals(redirectUri)) {
      throw OAuthErrors.invalid("invalid_grant", 500112, "The redirect_uri '" + redirectUri
          + "' is not the one the code was issued for.");
    }
    if (!c.expiresAt().isAfter(clock.instant())) {
      throw OAuthErrors.invalid("invalid_grant", 70008, "The provided authorization code or refresh token has expired "
          + "due to inactivity. Send a new interactive authorization request for this user and resource.");
    }
    if (spa && c.codeChallenge() == null) {
      throw OAuthErrors.invalid("invalid_request", 9002325, "Proof Key for Code Exchange is required for cross-origin "
          + "authorization code redemption.");
    }
    if (c.codeChallenge() != null && !verifies(form.get("code_verifier"), c.codeChallenge())) {
      throw OAuthErrors.invalid("invalid_grant", 501481,
          "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
    }
    Principal user = user(c.objectId(), tenant, c.tenantId(), client.clientId());
    return answer(user, tenant, client.clientId(), c.audience(), c.scope(), c.nonce(), version, form,
        spa ? new CodeStore.Refresh(client.clientId(), c.scope(), tenant.tenantId(), user.objectId(), null, true) : null);
  }

  private Reply refresh(DirectoryTenant tenant, CodeClients.Client client, Map<String, String> form,
      TokenIssuer.Version version, String address, String origin) {
    String token = IdentityRoutes.required(form, "refresh_token");
    // The audience is checked before the token is spent: a mistyped scope must not sign the person out.
    String audience = audiences.requested(form, version);
    // Every check is made before the token is spent, so a refusal (a directory the user is not in) leaves it
    // good where it is good, as Entra's does. A browser app's token is redeemed cross-origin, without a
    // secret; any other's by a client that proves itself.
    CodeStore.Refresh r = store.refresh(token).orElseThrow(CodeGrants::notValid);
    crossOrigin(r.spa(), origin);
    if (!r.spa()) {
      clients.authenticate(client, tenant, form, address);
    }
    if (!r.clientId().equals(client.clientId())) {
      throw OAuthErrors.invalid("invalid_grant", 70000, "The refresh token was issued to another client.");
    }
    if (!r.expiresAt().isAfter(clock.instant())) {
      throw OAuthErrors.invalid("invalid_grant", 70008, "The refresh token has expired due to inactivity. Sign in again.");
    }
    // Multi-tenant, as Entra's: redeemed at another directory the user is a member or guest of, it answers that
    // directory's tokens, the same as signing in there.
    Principal user = user(r.objectId(), tenant, r.tenantId(), client.clientId());
    if (store.redeemRefresh(token).isEmpty()) {
      throw notValid();
    }
    return answer(user, tenant, client.clientId(), audience, r.scope(), null, version, form,
        r.spa() ? new CodeStore.Refresh(client.clientId(), r.scope(), tenant.tenantId(), user.objectId(), r.expiresAt(),
            true) : null);
  }

  private static Problem notValid() {
    return OAuthErrors.invalid("invalid_grant", 70000, "The refresh token is not valid: it was used already (each one "
        + "is good for one use), revoked or never issued.");
  }

  /**
   * The user a code or refresh token names, if it still exists, is enabled and belongs to the tenant
   * (a member or a guest). No longer in the directory the code or token was issued in, Entra's
   * AADSTS50034; not in another one asked, AADSTS50020.
   */
  private Principal user(String objectId, DirectoryTenant tenant, String issuedIn, String clientId) {
    Principal user = directory.principal(objectId).filter(Principal::enabled).orElseThrow(() -> gone(tenant));
    if (directory.isMember(tenant.tenantId(), user)) {
      return user;
    }
    if (tenant.tenantId().equals(issuedIn)) {
      throw gone(tenant);
    }
    throw OAuthErrors.invalid("invalid_grant", 50020, "User account '" + user.upn().orElse(user.objectId())
        + "' from identity provider '" + issuer.issuer(user.tenantId(), TokenIssuer.Version.V1) + "' does not exist in "
        + "tenant '" + tenant.domain() + "' and cannot access the application '" + clientId + "' in that tenant. The "
        + "account needs to be added as an external user in the tenant first.");
  }

  private static Problem gone(DirectoryTenant tenant) {
    return OAuthErrors.invalid("invalid_grant", 50034, "The user account does not exist in the '" + tenant.domain()
        + "' directory (any more). Sign in again.");
  }

  /**
   * @param browser the refresh token to make for a browser app (its chain's expiry kept), or null for
   *     any other client's, which lives a fresh {@link CodeStore#REFRESH_LIFETIME}
   */
  private Reply answer(Principal user, DirectoryTenant tenant, String clientId, String audience, String scope,
      String nonce, TokenIssuer.Version version, Map<String, String> form, CodeStore.Refresh browser) {
    boolean v1 = version == TokenIssuer.Version.V1;
    TokenIssuer.Token token = issuer.issue(user, tenant.tenantId(), audience, clientId, version);
    ObjectNode out = IdentityRoutes.answer(token, version, audience, audience + "/.default" + openIdScopes(scope));
    // v1 always answers an id token and a refresh token; v2.0 as the scopes asked (openid, offline_access).
    if (v1 || has(scope, "openid")) {
      out.put("id_token", issuer.idToken(user, tenant.tenantId(), clientId, nonce, version));
    }
    if ("1".equals(form.get("client_info"))) {
      // Entra's client_info, which MSAL asks for to key its cache by the account: the user's object id and
      // the directory, base64url JSON.
      out.put("client_info", Base64.getUrlEncoder().withoutPadding().encodeToString(("{\"uid\":\"" + user.objectId()
          + "\",\"utid\":\"" + tenant.tenantId() + "\"}").getBytes(StandardCharsets.UTF_8)));
    }
    if (v1 || has(scope, "offline_access")) {
      CodeStore.NewRefresh next = store.issueRefresh(browser != null ? browser
          : new CodeStore.Refresh(clientId, scope, tenant.tenantId(), user.objectId(), null, false));
      out.put("refresh_token", next.token());
      long left = Math.max(0, next.expiresAt().getEpochSecond() - clock.instant().getEpochSecond());
      if (v1) {
        out.put("refresh_token_expires_in", Long.toString(left));
      } else {
        out.put("refresh_token_expires_in", left);
      }
    }
    return IdentityRoutes.answer(out);
  }

  private static String openIdScopes(String scope) {
    StringBuilder b = new StringBuilder();
    for (String s : new String[] {"openid", "profile", "offline_access"}) {
      if (has(scope, s)) {
        b.append(' ').append(s);
      }
    }
    return b.toString();
  }

  static boolean has(String scope, String wanted) {
    return scope != null && Arrays.asList(scope.trim().split("\\s+")).contains(wanted);
  }

  /** PKCE S256 (RFC 7636): BASE64URL(SHA-256(verifier)) equals the challenge. */
  static boolean verifies(String verifier, String challenge) {
    if (verifier == null || verifier.length() < 43 || verifier.length() > 128) {
      return false;
    }
    return MessageDigest.isEqual(s256(verifier).getBytes(StandardCharsets.US_ASCII),
        challenge.getBytes(StandardCharsets.US_ASCII));
  }

  static String s256(String verifier) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
