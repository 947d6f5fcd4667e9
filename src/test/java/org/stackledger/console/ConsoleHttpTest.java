package org.stackledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.directory.FirstPartyClient;
import org.stackledger.http.TrustedCertificates;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestServer;

/**
 * The console's edge over real HTTPS, without a browser: security headers on every answer, the
 * sign-in redirect keeping the address, CSRF refusals that change nothing, bad choices named, long-cached
 * assets, and no open redirect.
 */
class ConsoleHttpTest {
  private static TestServer server;
  private static HttpClient http;
  private static String console;
  private static String cookie;
  private static ConsoleUsers.User operator;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2);
    console = server.app().url(EndpointRole.CONSOLE).replaceAll("/$", "");
    http = HttpClient.newBuilder().sslContext(TrustedCertificates.sslContext(server.app().certificate()))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    operator = ConsoleUsers.operator(server);
    HttpResponse<String> signedIn = ConsoleUsers.signIn(server, operator, "/admin");
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
    assertThat(signedIn.headers().firstValue("Location")).contains("/admin");
    cookie = signedIn.headers().firstValue("Set-Cookie").orElseThrow().split(";")[0];
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static HttpResponse<String> get(String path, String cookie) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(console + path));
    if (cookie != null) {
      r.header("Cookie", cookie);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String form) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(console + path)).header("Cookie", cookie)
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void everyConsoleAnswerCarriesTheSecurityHeaders() throws Exception {
    for (String path : new String[] {"/signin", "/admin", "/assets/console.css", "/no/such/page", "/admin/usage?from=x"}) {
      HttpResponse<String> r = get(path, cookie);
      assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).get().asString()
          .contains("script-src 'self'").doesNotContain("unsafe-inline");
      assertThat(r.headers().firstValue("X-Frame-Options")).as(path).contains("DENY");
      assertThat(r.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
      assertThat(r.headers().firstValue("Referrer-Policy")).as(path).isPresent();
    }
  }

  @Test
  void aPagesFormsMayLeadOnlyToTheConsoleAndTheIdentityEndpoint() throws Exception {
    String identity = server.app().url(EndpointRole.IDENTITY).replaceAll("/$", "");

    assertThat(get("/admin", cookie).headers().firstValue("Content-Security-Policy")).get().asString()
        .endsWith("form-action 'self' " + identity);
  }

  @Test
  void aPageWithoutASessionSendsTheBrowserToSignInAndBack() throws Exception {
    HttpResponse<String> r = get("/admin/usage?granularity=Hourly", null);

    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).contains("/signin?returnTo="
        + URLEncoder.encode("/admin/usage?granularity=Hourly", StandardCharsets.UTF_8));
  }

  @Test
  void aFormWithoutTheSessionsTokenIsRefusedAndChangesNothing() throws Exception {
    HttpResponse<String> r = post("/admin/billing-settings", "csrf=forged&currency=EUR&invoiceGracePeriod=P1D&maxUsageAge=P30D");

    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.body()).contains("InvalidFormToken").doesNotContain("at org.");
    assertThat(get("/admin/billing-settings", cookie).body()).contains("value=\"USD\"");
  }

  @Test
  void aFormWithTheTokenChangesTheSettingsThroughTheApi() throws Exception {
    String page = get("/admin/billing-settings", cookie).body();
    Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
    assertThat(csrf.find()).isTrue();

    HttpResponse<String> refused = post("/admin/billing-settings", "csrf=" + csrf.group(1)
        + "&currency=USD&invoiceGracePeriod=P500D&maxUsageAge=P90D");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("InvalidBillingSettings").doesNotContain("at org.");
  }

  @Test
  void aBadChoiceIsA400NamingTheField() throws Exception {
    HttpResponse<String> r = get("/admin/usage?from=yesterday", cookie);

    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).contains("InvalidParameter (from)").contains("'from' must be a date");
  }

  @Test
  void anUnknownAddressIsTheNotFoundPage() throws Exception {
    HttpResponse<String> r = get("/no/such/page", cookie);

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
    assertThat(r.body()).contains("<h1>Not found</h1>");
  }

  @Test
  void assetsAreServedFromTheJarWithLongCaching() throws Exception {
    String page = get("/admin", cookie).body();
    Matcher uplot = Pattern.compile("src=\"(/assets/uplot\\.js\\?v=[0-9a-f]+)\"").matcher(page);
    assertThat(uplot.find()).as(page).isTrue();

    HttpResponse<String> js = get(uplot.group(1), null);
    assertThat(js.statusCode()).isEqualTo(200);
    assertThat(js.body()).contains("uPlot");
    assertThat(js.headers().firstValue("Cache-Control")).get().asString().contains("max-age=31536000");
  }

  @Test
  void signInReturnsOnlyToAnAddressOfTheConsole() throws Exception {
    HttpResponse<String> r = ConsoleUsers.signIn(server, operator, "//evil.example/x");

    assertThat(r.statusCode()).isEqualTo(302);
    assertThat(r.headers().firstValue("Location")).contains("/");
  }

  @Test
  void theSessionCookieIsHostOnlyHttpOnlySecureAndLax() throws Exception {
    String setCookie = ConsoleUsers.signIn(server, operator, "/").headers().firstValue("Set-Cookie").orElseThrow();

    assertThat(setCookie).startsWith("__Host-stackledger-session=").contains("HttpOnly").contains("Secure")
        .contains("SameSite=Lax").contains("Path=/").doesNotContain("Domain=");
  }

  @Test
  void signInGoesToTheChosenDirectorysAuthorizeWithPkce() throws Exception {
    HttpResponse<String> r = get("/signin?tenant=" + Stackledger.HOME_DOMAIN + "&returnTo=/admin", null);

    assertThat(r.statusCode()).isEqualTo(302);
    String location = r.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(server.app().url(EndpointRole.IDENTITY) + Stackledger.HOME_DOMAIN
        + "/oauth2/v2.0/authorize?").contains("code_challenge_method=S256").contains("client_id="
        + FirstPartyClient.CONSOLE_CLIENT_ID).contains("offline_access");
  }

  @Test
  void aCallbackWithAnUnknownStateOrAnErrorIsAnErrorPage() throws Exception {
    HttpResponse<String> unknown = get("/signin-oidc?code=abc&state=never-started", null);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("SignInExpired").doesNotContain("at org.");

    String location = get("/signin?returnTo=/", null).headers().firstValue("Location").orElseThrow();
    String state = org.stackledger.testing.CodeFlow.query(location).get("state");
    HttpResponse<String> refused = get("/signin-oidc?error=access_denied&error_description=No+thanks&state=" + state, null);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("access_denied").contains("No thanks");
  }

  @Test
  void signingOutForgetsTheSessionClearsTheCookieAndEndsAtTheIdentityEndpoint() throws Exception {
    String mine = ConsoleUsers.signIn(server, operator, "/admin").headers().firstValue("Set-Cookie").orElseThrow()
        .split(";")[0];
    String page = get("/admin", mine).body();
    Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page);
    assertThat(csrf.find()).as(page).isTrue();

    HttpResponse<String> out = http.send(HttpRequest.newBuilder(URI.create(console + "/signout")).header("Cookie", mine)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf.group(1))).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Location")).get().asString().contains("/oauth2/v2.0/logout?")
        .contains("post_logout_redirect_uri=");
    assertThat(out.headers().firstValue("Set-Cookie")).get().asString().contains("Max-Age=0");
    assertThat(get("/admin", mine).statusCode()).isEqualTo(302);
    HttpResponse<String> back = http.send(HttpRequest.newBuilder(URI.create(out.headers().firstValue("Location")
        .orElseThrow())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(back.statusCode()).isEqualTo(302);
    assertThat(back.headers().firstValue("Location")).contains(server.app().url(EndpointRole.CONSOLE));
  }
}
