package org.stackledger.console;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.stackledger.console.web.Block;
import org.stackledger.console.web.Html;
import org.stackledger.console.web.Page;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.TrustedCertificates;

/**
 * Test-only sign-in until the authorization-code flow lands: {@code begin} shows a form (directory,
 * user name or client id, password or secret) and the callback gets real tokens from the identity
 * endpoint's token endpoint — the password grant for a user, client credentials for a service
 * principal (a GUID as the name: the operator's admin, a partner's admin) — and makes the session. Only
 * the browser's redirect dance differs from the real flow; every page then calls the real APIs with
 * real tokens.
 */
final class PasswordSignIn implements SignIn {
  static final String COOKIE = "stackledger-console-test";
  /** Azure CLI's public client id, which the identity endpoint takes for the password grant. */
  private static final String PUBLIC_CLIENT = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";
  private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SignInSite site;
  private final HttpClient http;
  private final Map<String, ConsoleSession> sessions = new ConcurrentHashMap<>();

  PasswordSignIn(SignInSite site) throws Exception {
    this.site = site;
    this.http = HttpClient.newBuilder().sslContext(TrustedCertificates.sslContext(site.certificatePem())).build();
  }

  @Override
  public Optional<ConsoleSession> session(Exchange ex) {
    return ex.header("Cookie").flatMap(PasswordSignIn::cookie).map(sessions::get)
        .filter(s -> s.expiresOn().isAfter(site.clock().instant()));
  }

  private static Optional<String> cookie(String header) {
    for (String part : header.split(";")) {
      String[] kv = part.trim().split("=", 2);
      if (kv.length == 2 && kv[0].equals(COOKIE)) {
        return Optional.of(kv[1]);
      }
    }
    return Optional.empty();
  }

  @Override
  public Reply begin(Exchange ex, Optional<String> tenant, String returnTo) {
    return form(200, tenant.orElse(""), returnTo, null);
  }

  private Reply form(int status, String tenant, String returnTo, String problem) {
    Page.Builder page = Page.titled("Sign in", null);
    if (problem != null) {
      page.section(null, Block.Notice.error("Sign-in refused", problem));
    }
    // GET, because the callback route is the redirect URI's; test-only, so the password in the address is tolerable.
    return Html.page(status, page.section(null, new Block.Form("/signin-oidc", "get", "Sign in", List.of(
        Block.Field.text("tenant", "Directory (domain or tenant id)", tenant, null).mandatory(),
        Block.Field.text("username", "User name or client id", "", null).mandatory(),
        Block.Field.of("password", "password", "Password or client secret", "").mandatory(),
        Block.Field.hidden("returnTo", returnTo)), null, null, "signin")).build());
  }

  @Override
  public Reply callback(Exchange ex) throws Exception {
    String tenant = ex.query("tenant").orElse("").trim();
    String user = ex.query("username").orElse("").trim();
    String secret = ex.query("password").orElse("");
    String returnTo = ConsoleRoutes.returnTo(ex.query("returnTo"));
    Tokens tokens = new Tokens(tenant, user, secret);
    Optional<String> cloud;
    try {
      cloud = tokens.accessToken("https://management.stackledger.local/");
    } catch (RuntimeException e) {
      cloud = Optional.empty();
    }
    if (cloud.isEmpty()) {
      return form(401, tenant, returnTo, "The directory, name or password is not right.");
    }
    JsonNode claims = Json.EXACT.readTree(Base64.getUrlDecoder().decode(cloud.get().split("\\.")[1]));
    ConsoleSession session = new ConsoleSession(random(), random(), claims.path("tid").asText(), claims.path("oid").asText(),
        claims.path("name").asText(user), claims.path("upn").asText(user), site.clock().instant().plusSeconds(3600), tokens);
    sessions.put(session.id(), session);
    return Html.redirect(302, returnTo).header("Set-Cookie", COOKIE + "=" + session.id()
        + "; Path=/; HttpOnly; Secure; SameSite=Lax");
  }

  @Override
  public Reply signOut(Exchange ex, ConsoleSession session) {
    sessions.remove(session.id());
    return Html.redirect(303, "/signin").header("Set-Cookie", COOKIE + "=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Lax");
  }

  private static String random() {
    byte[] b = new byte[24];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Tokens per audience from the token endpoint, kept until a minute before they expire. */
  private final class Tokens implements ConsoleSession.Tokens {
    private final String tenant;
    private final String user;
    private final String secret;
    private final Map<String, JsonNode> issued = new ConcurrentHashMap<>();

    Tokens(String tenant, String user, String secret) {
      this.tenant = tenant;
      this.user = user;
      this.secret = secret;
    }

    @Override
    public Optional<String> accessToken(String audience) {
      JsonNode t = issued.get(audience);
      if (t == null || t.path("expiresAt").asLong() < site.clock().instant().getEpochSecond() + 60) {
        t = request(audience);
        if (t == null) {
          return Optional.empty();
        }
        issued.put(audience, t);
      }
      return Optional.of(t.path("access_token").asText());
    }

    private JsonNode request(String audience) {
      boolean client = GUID.matcher(user).matches();
      String scope = audience + (audience.endsWith("/") ? ".default" : "/.default");
      String form = client
          ? "grant_type=client_credentials&client_id=" + enc(user) + "&client_secret=" + enc(secret) + "&scope=" + enc(scope)
          : "grant_type=password&client_id=" + PUBLIC_CLIENT + "&username=" + enc(user) + "&password=" + enc(secret)
              + "&scope=" + enc(scope);
      try {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(site.identityUrl() + enc(tenant)
            + "/oauth2/v2.0/token")).header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
          return null;
        }
        com.fasterxml.jackson.databind.node.ObjectNode t = (com.fasterxml.jackson.databind.node.ObjectNode)
            Json.EXACT.readTree(r.body());
        t.put("expiresAt", site.clock().instant().getEpochSecond() + t.path("expires_in").asLong());
        return t;
      } catch (Exception e) {
        return null;
      }
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
