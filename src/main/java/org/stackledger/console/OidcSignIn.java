package org.stackledger.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.stackledger.console.web.Html;
import org.stackledger.console.web.Views;
import org.stackledger.http.Exchange;
import org.stackledger.http.Reply;

/**
 * The console's sign-in: the OAuth 2.0 authorization-code flow with PKCE (S256) at the identity
 * endpoint, the console being its first-party confidential client. {@link #begin} remembers a
 * pending sign-in (state, nonce, verifier — here, never in the browser) and sends the browser to
 * {@code /authorize}; {@link #callback} checks the state, redeems the code over HTTPS with the
 * console's secret, checks the id token, and makes a session whose id is the only thing the
 * browser holds (an HttpOnly, Secure, SameSite=Lax cookie; {@code __Host-} prefixed over HTTPS).
 * Access tokens for the APIs come from the refresh token ({@link RefreshingTokens}).
 */
public final class OidcSignIn implements SignIn {
  /** How long a browser may take on the sign-in page. */
  static final Duration PENDING_FOR = Duration.ofMinutes(10);
  static final int MAX_PENDING = 10_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private record Pending(String tenant, String nonce, String verifier, String returnTo, Instant startedAt) {}

  private final SignInSite site;
  private final IdentityClient identity;
  private final ConsoleSessions sessions;
  private final String cookie;
  private final boolean secure;
  private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();

  public OidcSignIn(SignInSite site) throws Exception {
    this.site = site;
    this.identity = new IdentityClient(site);
    this.sessions = new ConsoleSessions(site.clock());
    this.secure = site.consoleUrl().startsWith("https:");
    // __Host- makes the browser refuse the cookie unless it is Secure, host-only and Path=/; over plain HTTP
    // (a developer's machine) that prefix would make it unusable.
    this.cookie = secure ? "__Host-stackledger-session" : "stackledger-session";
  }

  @Override
  public Optional<ConsoleSession> session(Exchange ex) {
    return ex.header("Cookie").flatMap(this::cookieValue).flatMap(sessions::touch);
  }

  private Optional<String> cookieValue(String header) {
    for (String part : header.split(";")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length == 2 && kv[0].equals(cookie) && !kv[1].isEmpty()) {
        return Optional.of(kv[1]);
      }
    }
    return Optional.empty();
  }

  @Override
  public Reply begin(Exchange ex, Optional<String> tenant, String returnTo) {
    String directory = tenant.map(String::trim).filter(t -> t.matches("[A-Za-z0-9.-]{1,253}")).orElse(site.homeTenantId());
    String state = random();
    Pending p = new Pending(directory, random(), random() + random(), returnTo, site.clock().instant());
    remember(state, p);
    String scope = "openid profile offline_access " + audienceScope();
    String url = site.identityUrl() + IdentityClient.enc(directory) + "/oauth2/v2.0/authorize?client_id="
        + site.clientId() + "&response_type=code&response_mode=query&redirect_uri=" + IdentityClient.enc(redirectUri())
        + "&scope=" + IdentityClient.enc(scope) + "&state=" + state + "&nonce=" + p.nonce()
        + "&code_challenge=" + challenge(p.verifier()) + "&code_challenge_method=S256";
    return Html.redirect(302, url).header("Cache-Control", "no-store");
  }

  private synchronized void remember(String state, Pending p) {
    Instant now = site.clock().instant();
    pending.values().removeIf(old -> !old.startedAt().plus(PENDING_FOR).isAfter(now));
    pending.put(state, p);
    for (Iterator<String> it = pending.keySet().iterator(); pending.size() > MAX_PENDING; ) {
      it.next();
      it.remove();
    }
  }

  private synchronized Optional<Pending> take(String state) {
    Pending p = pending.remove(state);
    return Optional.ofNullable(p).filter(x -> x.startedAt().plus(PENDING_FOR).isAfter(site.clock().instant()));
  }

  /** The scope of the first access token: the cloud ARM endpoint's, every view's first call. */
  private String audienceScope() {
    return site.audience() + (site.audience().endsWith("/") ? "" : "/") + ".default";
  }

  private String redirectUri() {
    return site.consoleUrl() + "signin-oidc";
  }

  @Override
  public Reply callback(Exchange ex) throws Exception {
    Optional<Pending> started = take(ex.query("state").orElse(""));
    if (started.isEmpty()) {
      return Views.error(400, null, "SignInExpired", "This sign-in was not started here or took longer than "
          + PENDING_FOR.toMinutes() + " minutes. Sign in again from the start.");
    }
    Pending p = started.get();
    Optional<String> error = ex.query("error");
    if (error.isPresent()) {
      return Views.error(401, null, error.get(), ex.query("error_description").orElse("The identity endpoint refused "
          + "the sign-in."));
    }
    Optional<String> code = ex.query("code");
    if (code.isEmpty()) {
      return Views.error(400, null, "MissingCode", "The identity endpoint sent no code back. Sign in again.");
    }
    IdentityClient.Answer answer;
    try {
      answer = identity.token(p.tenant(), Map.of("grant_type", "authorization_code", "code", code.get(),
          "redirect_uri", redirectUri(), "code_verifier", p.verifier(),
          "scope", "openid profile offline_access " + audienceScope()));
    } catch (java.io.IOException e) {
      return Views.error(503, null, "IdentityUnavailable", "The identity endpoint could not be reached. Try again.");
    }
    if (!answer.ok()) {
      return Views.error(401, null, answer.error(), answer.description());
    }
    JsonNode tokens = answer.body();
    Instant now = site.clock().instant();
    JWTClaimsSet claims;
    try {
      claims = identity.verifyIdToken(tokens.path("id_token").asText(), p.tenant(), p.nonce(), now);
    } catch (IdentityClient.Refused refused) {
      return Views.error(401, null, "InvalidIdToken", refused.getMessage());
    }
    String tid = claims.getStringClaim("tid");
    RefreshingTokens access = new RefreshingTokens(identity, tid, tokens.path("refresh_token").asText(null),
        site.clock());
    access.seed(site.audience(), tokens.path("access_token").asText(), tokens.path("expires_in").asLong());
    Instant end = now.plus(ConsoleSessions.ABSOLUTE);
    long refreshLeft = tokens.path("refresh_token_expires_in").asLong(0);
    if (refreshLeft > 0 && now.plusSeconds(refreshLeft).isBefore(end)) {
      end = now.plusSeconds(refreshLeft);
    }
    String upn = Optional.ofNullable(claims.getStringClaim("preferred_username")).orElse(claims.getSubject());
    ConsoleSession session = new ConsoleSession(random(), random(), tid, claims.getStringClaim("oid"),
        Optional.ofNullable(claims.getStringClaim("name")).orElse(upn), upn, end, access);
    sessions.add(session);
    return Html.redirect(302, ConsoleRoutes.returnTo(Optional.of(p.returnTo())))
        .header("Set-Cookie", cookie + "=" + session.id() + "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : ""))
        .header("Cache-Control", "no-store");
  }

  @Override
  public Reply signOut(Exchange ex, ConsoleSession session) {
    sessions.remove(session.id());
    String url = site.identityUrl() + IdentityClient.enc(session.tenantId()) + "/oauth2/v2.0/logout?client_id="
        + site.clientId() + "&post_logout_redirect_uri=" + IdentityClient.enc(site.consoleUrl());
    return Html.redirect(303, url).header("Set-Cookie", cookie + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
        + (secure ? "; Secure" : ""));
  }

  /** 256 random bits, URL-safe. */
  private static String random() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String challenge(String verifier) throws IllegalStateException {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
