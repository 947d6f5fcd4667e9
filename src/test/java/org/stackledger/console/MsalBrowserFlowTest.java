package org.stackledger.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.http.Json;
import org.stackledger.http.SelfSignedCertificate;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * A single-page app signs in with Microsoft's own browser library, @azure/msal-browser, unchanged and
 * with its defaults (fragment response, PKCE, client_info): registered with {@code spa.redirectUris}
 * as an Entra app would be, it is sent to the identity endpoint's sign-in page, redeems its code from
 * the browser cross-origin, and calls the cloud's ARM with the token; then it refreshes silently,
 * cross-origin, with the refresh token only (no iframe). The page is served over HTTPS from its own
 * origin, as a deployed single-page app is. The library comes from the npm registry (npm, which
 * {@code .ci/run} installs when absent), at a pinned version, kept under {@code target/}.
 */
class MsalBrowserFlowTest {
  static final String MSAL_VERSION = "5.31.0";
  private static TestServer server;
  private static HttpsServer spa;
  private static ExecutorService exchanges;
  private static Browser browser;
  private static String appId;
  private static String page;
  private static ConsoleUsers.User user;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(Browser.available(), "chromium and chromedriver are not installed");
    Path library = msalBrowser();
    server = TestServer.start(Engine.H2);
    user = ConsoleUsers.operator(server);
    String identity = server.app().url(EndpointRole.IDENTITY).replaceAll("/$", "");
    String host = URI.create(identity).getAuthority();
    spa = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    spa.setHttpsConfigurator(new HttpsConfigurator(tls(server)));
    // A thread an exchange: chromium opens connections ahead that it may never use, and TLS reads block.
    exchanges = Executors.newCachedThreadPool();
    spa.setExecutor(exchanges);
    page = "https://127.0.0.1:" + spa.getAddress().getPort() + "/app.html";
    appId = UUID.randomUUID().toString();
    String html = APP.replace("CLIENT_ID", appId).replace("AUTHORITY", identity + "/" + server.app().homeTenantId() + "/")
        .replace("KNOWN_HOST", host).replace("SCOPE", Stackledger.CLOUD_AUDIENCE + ".default");
    byte[] script = Files.readAllBytes(library);
    spa.createContext("/", ex -> {
      boolean lib = ex.getRequestURI().getPath().equals("/msal-browser.min.js");
      byte[] body = lib ? script : html.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", lib ? "text/javascript" : "text/html; charset=utf-8");
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    spa.start();
    // Registered as a single-page app, as in Entra's portal: no secret is ever used.
    TestClient.Response made = server.client(EndpointRole.CLOUD_ARM).put("/providers/Stackledger.Identity/tenants/"
        + Stackledger.HOME_DOMAIN + "/servicePrincipals/" + appId + "?api-version=2026-11-01",
        "{\"properties\":{\"displayName\":\"Browser app\",\"spa\":{\"redirectUris\":[\"" + page + "\"]}}}");
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    assertThat(made.json().path("properties").path("spa").path("redirectUris").get(0).asText()).isEqualTo(page);
    browser = new Browser("https://127.0.0.1:" + spa.getAddress().getPort());
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (spa != null) {
      spa.stop(0);
      exchanges.shutdownNow();
    }
    if (server != null) {
      server.close();
    }
  }

  /** The page: MSAL with its defaults, told only where the authority is and that it may trust it. */
  private static final String APP = """
      <!doctype html><html><head><title>loading</title><script src="/msal-browser.min.js"></script></head><body>
      <script>
      const app = new msal.PublicClientApplication({auth: {clientId: "CLIENT_ID", authority: "AUTHORITY",
          knownAuthorities: ["KNOWN_HOST"], redirectUri: location.origin + "/app.html"},
          cache: {cacheLocation: "sessionStorage"}});
      const done = (title, result) => { window.result = result; document.title = title; };
      (async () => {
        try {
          await app.initialize();
          const back = await app.handleRedirectPromise();
          if (back) {
            done("signed-in", {accessToken: back.accessToken, tenantId: back.tenantId, username: back.account.username,
                homeAccountId: back.account.homeAccountId});
          } else if (location.search === "?start") {
            await app.loginRedirect({scopes: ["SCOPE"]});
          } else if (location.search === "?silent") {
            const account = app.getAllAccounts()[0];
            // The cached access token is passed over and only the refresh token may be used: no iframe.
            const again = await app.acquireTokenSilent({account, scopes: ["SCOPE"],
                cacheLookupPolicy: msal.CacheLookupPolicy.RefreshToken});
            done("refreshed", {accessToken: again.accessToken, fromCache: again.fromCache});
          }
        } catch (e) {
          done("failed", {error: String(e.errorCode || e.name) + ": " + String(e.errorMessage || e.message)});
        }
      })();
      </script></body></html>
      """;

  @Test
  void msalSignsInRedeemsItsCodeFromTheBrowserAndRefreshesSilently() throws Exception {
    browser.open("/app.html?start");
    WebDriverWait wait = new WebDriverWait(browser.driver(), Duration.ofSeconds(30));
    wait.until(d -> !d.findElements(By.id("signin")).isEmpty());
    browser.screenshot("msal-sign-in");
    browser.driver().findElement(By.id("username")).sendKeys(user.upn());
    browser.driver().findElement(By.id("password")).sendKeys(user.password());
    browser.driver().findElement(By.id("signin")).click();
    Map<?, ?> signedIn = result(wait, "signed-in");
    String token = (String) signedIn.get("accessToken");
    JsonNode claims = claims(token);
    assertThat(claims.path("tid").asText()).isEqualTo(server.app().homeTenantId());
    assertThat(claims.path("aud").asText()).isEqualTo(Stackledger.CLOUD_AUDIENCE);
    assertThat(claims.path("appid").asText(claims.path("azp").asText())).isEqualTo(appId);
    assertThat(signedIn.get("tenantId")).isEqualTo(server.app().homeTenantId());
    assertThat(((String) signedIn.get("username")).toLowerCase()).isEqualTo(user.upn().toLowerCase());
    String oid = server.client(EndpointRole.CLOUD_ARM).get("/providers/Stackledger.Identity/tenants/"
        + Stackledger.HOME_DOMAIN + "/users/" + user.upn() + "?api-version=2026-11-01")
        .json().path("properties").path("objectId").asText();
    assertThat(claims.path("oid").asText()).isNotEmpty().isEqualTo(oid);
    // MSAL's account is keyed by client_info: uid.utid.
    assertThat(signedIn.get("homeAccountId")).isEqualTo(oid + "." + server.app().homeTenantId());
    assertThat(arm(token).status()).isEqualTo(200);

    browser.open("/app.html?silent");
    Map<?, ?> refreshed = result(wait, "refreshed");
    String again = (String) refreshed.get("accessToken");
    assertThat(refreshed.get("fromCache")).isEqualTo(false);
    assertThat(again).isNotEqualTo(token);
    assertThat(claims(again).path("oid").asText()).isEqualTo(oid);
    assertThat(arm(again).status()).isEqualTo(200);
  }

  /** What the page's MSAL answered, once it has; a failure is shown with MSAL's own error code. */
  private static Map<?, ?> result(WebDriverWait wait, String title) {
    wait.until(d -> d.getTitle().equals(title) || d.getTitle().equals("failed"));
    Map<?, ?> r = (Map<?, ?>) ((JavascriptExecutor) browser.driver()).executeScript("return window.result");
    assertThat(browser.driver().getTitle()).as("MSAL answered %s", r).isEqualTo(title);
    return r;
  }

  /**
   * The test server's own key store (its data folder's self-signed certificate),
   * so the page is served as the endpoints are.
   */
  private static SSLContext tls(TestServer server) throws Exception {
    var store = SelfSignedCertificate.ensure(server.app().certificate().getParent().getParent()).keyStore();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store.path())) {
      keys.load(in, store.password().toCharArray());
    }
    KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, store.password().toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(managers.getKeyManagers(), null, null);
    return context;
  }

  private static TestClient.Response arm(String token) throws Exception {
    return new TestClient(server.app().url(EndpointRole.CLOUD_ARM), server.app().certificate()).withToken(token)
        .get("/subscriptions?api-version=2022-12-01");
  }

  private static JsonNode claims(String jwt) {
    return Json.parseObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
  }

  /** msal-browser's browser bundle at {@link #MSAL_VERSION}, fetched once with npm into {@code target/}. */
  static Path msalBrowser() throws Exception {
    Path dir = Path.of("target", "msal-browser-" + MSAL_VERSION);
    Path library = dir.resolve("package/lib/msal-browser.min.js");
    if (Files.exists(library)) {
      return library;
    }
    Files.createDirectories(dir);
    run(dir, "npm", "pack", "@azure/msal-browser@" + MSAL_VERSION, "--silent");
    run(dir, "tar", "xzf", "azure-msal-browser-" + MSAL_VERSION + ".tgz");
    assertThat(library).exists();
    return library;
  }

  private static void run(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("%s did not finish", String.join(" ", command)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
  }
}
