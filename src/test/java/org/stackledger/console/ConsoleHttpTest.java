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

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2, o -> o.withConsoleSignIn(PasswordSignIn::new));
    console = server.app().url(EndpointRole.CONSOLE).replaceAll("/$", "");
    http = HttpClient.newBuilder().sslContext(TrustedCertificates.sslContext(server.app().certificate()))
        .followRedirects(HttpClient.Redirect.NEVER).build();
    HttpResponse<String> signedIn = get("/signin-oidc?tenant=" + server.app().homeTenantId() + "&username="
        + server.admin().clientId() + "&password=" + URLEncoder.encode(server.admin().clientSecret(), StandardCharsets.UTF_8)
        + "&returnTo=/admin", null);
    assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(302);
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
    HttpResponse<String> r = get("/signin?returnTo=" + URLEncoder.encode("//evil.example/x", StandardCharsets.UTF_8), null);

    assertThat(r.body()).contains("name=\"returnTo\" value=\"/\"").doesNotContain("evil.example");
  }
}
