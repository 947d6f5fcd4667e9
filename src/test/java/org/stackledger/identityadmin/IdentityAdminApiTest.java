package org.stackledger.identityadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * The operator's {@code Stackledger.Identity} API over real HTTPS: what the operator can do, what the
 * credentials made through it can then do at the identity endpoint, what everyone else is refused,
 * and that no secret ever reaches a list, a GET, an error or the log.
 */
class IdentityAdminApiTest {
  private static final String V = "?api-version=2026-11-01";
  private static final String BASE = "/providers/Stackledger.Identity";
  private static TestServer server;
  private static LogCapture log;

  @BeforeAll
  static void start() throws Exception {
    log = new LogCapture();
    server = TestServer.start(Engine.H2);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    log.close();
  }

  /** The operator, with a token fresh enough to survive a key rotation in another test. */
  private static TestClient operator() {
    return server.client().anonymous().withToken(server.token(server.admin().clientId(), server.admin().clientSecret(),
        server.app().homeTenantId(), Stackledger.CLOUD_AUDIENCE));
  }

  private static String domain(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local";
  }

  private static TestClient.Response identity(String tenant, Map<String, String> form) throws Exception {
    return new TestClient(server.app().url(EndpointRole.IDENTITY), server.app().certificate()).anonymous()
        .form("/" + tenant + "/oauth2/v2.0/token", form);
  }

  private static TestClient.Response clientCredentials(String tenant, String appId, String secret) throws Exception {
    return identity(tenant, Map.of("grant_type", "client_credentials", "client_id", appId, "client_secret", secret,
        "scope", Stackledger.CLOUD_AUDIENCE + ".default"));
  }

  @Test
  void theOperatorMakesATenantWhoseServicePrincipalSecretIsShownOnceAndWorks() throws Exception {
    String domain = domain("fabrikam");
    String tenantId = UUID.randomUUID().toString();
    var created = operator().put(BASE + "/tenants/" + domain + V,
        "{\"properties\":{\"displayName\":\"Fabrikam\",\"tenantId\":\"" + tenantId + "\"}}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("properties").path("tenantId").asText()).isEqualTo(tenantId);
    assertThat(created.json().path("properties").path("domain").asText()).isEqualTo(domain);
    var again = operator().put(BASE + "/tenants/" + domain + V, "{\"properties\":{\"displayName\":\"Fabrikam Ltd\"}}");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().path("properties").path("displayName").asText()).isEqualTo("Fabrikam Ltd");
    assertThat(operator().get(BASE + "/tenants/" + tenantId + V).json().path("name").asText()).isEqualTo(domain);
    assertThat(operator().get(BASE + "/tenants" + V).body()).contains(domain).contains(Stackledger.HOME_DOMAIN);

    String appId = UUID.randomUUID().toString();
    var sp = operator().put(BASE + "/tenants/" + domain + "/servicePrincipals/" + appId + V,
        "{\"properties\":{\"displayName\":\"billing bot\"}}");
    assertThat(sp.status()).as(sp.body()).isEqualTo(201);
    assertThat(sp.header("cache-control")).isEqualTo("no-store");
    String secret = sp.json().path("properties").path("clientSecret").asText();
    assertThat(secret).hasSizeGreaterThanOrEqualTo(32);
    assertThat(sp.json().path("properties").path("tenantId").asText()).isEqualTo(tenantId);

    var get = operator().get(BASE + "/tenants/" + domain + "/servicePrincipals/" + appId + V);
    var list = operator().get(BASE + "/tenants/" + domain + "/servicePrincipals" + V);
    var repeat = operator().put(BASE + "/tenants/" + domain + "/servicePrincipals/" + appId + V,
        "{\"properties\":{\"displayName\":\"billing bot\"}}");
    assertThat(get.status()).isEqualTo(200);
    assertThat(list.json().path("value")).hasSize(1);
    assertThat(repeat.status()).isEqualTo(200);
    for (var r : new TestClient.Response[] {get, list, repeat}) {
      assertThat(r.body()).doesNotContain(secret).doesNotContain("clientSecret");
    }

    assertThat(clientCredentials(domain, appId, secret).status()).isEqualTo(200);
    var added = operator().post(BASE + "/tenants/" + domain + "/servicePrincipals/" + appId + "/addSecret" + V, null);
    assertThat(added.status()).isEqualTo(200);
    String second = added.json().path("properties").path("clientSecret").asText();
    assertThat(second).isNotEqualTo(secret);
    assertThat(clientCredentials(tenantId, appId, second).status()).isEqualTo(200);
    assertThat(clientCredentials(tenantId, appId, secret).status()).as("the first secret still works").isEqualTo(200);

    // The request log line is written just after the answer is sent: wait for it.
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(log.text()).as("the capture sees the request log").contains("/servicePrincipals/" + appId));
    assertThat(log.text()).doesNotContain(secret).doesNotContain(second);
  }

  @Test
  void aUserIsMadeWithAPasswordThatIsNeverEchoedAndSignsInWithIt() throws Exception {
    String domain = domain("contoso");
    assertThat(operator().put(BASE + "/tenants/" + domain + V, "{\"properties\":{}}").status()).isEqualTo(201);
    String password = "Pw-" + UUID.randomUUID();
    String upn = "alice@" + domain;
    var user = operator().put(BASE + "/tenants/" + domain + "/users/" + upn + V,
        "{\"properties\":{\"displayName\":\"Alice\",\"password\":\"" + password + "\"}}");
    assertThat(user.status()).as(user.body()).isEqualTo(201);
    assertThat(user.json().path("properties").path("userPrincipalName").asText()).isEqualTo(upn);
    var repeat = operator().put(BASE + "/tenants/" + domain + "/users/" + upn + V,
        "{\"properties\":{\"password\":\"" + password + "x\"}}");
    assertThat(repeat.status()).isEqualTo(409);
    assertThat(repeat.errorCode()).isEqualTo("UserAlreadyExists");
    var weak = operator().put(BASE + "/tenants/" + domain + "/users/bob@" + domain + V,
        "{\"properties\":{\"password\":\"short\"}}");
    assertThat(weak.status()).isEqualTo(400);
    assertThat(weak.errorTarget()).isEqualTo("properties.password");
    var elsewhere = operator().put(BASE + "/tenants/" + domain + "/users/bob@example.org" + V,
        "{\"properties\":{\"password\":\"" + password + "\"}}");
    assertThat(elsewhere.status()).isEqualTo(400);
    assertThat(elsewhere.errorTarget()).isEqualTo("userPrincipalName");
    var users = operator().get(BASE + "/tenants/" + domain + "/users" + V);
    assertThat(users.json().path("value")).hasSize(1);

    var token = identity(domain, Map.of("grant_type", "password", "client_id", "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
        "username", upn, "password", password, "scope", Stackledger.CLOUD_AUDIENCE + ".default"));
    assertThat(token.status()).as(token.body()).isEqualTo(200);

    for (var r : new TestClient.Response[] {user, repeat, weak, elsewhere, users}) {
      assertThat(r.body()).doesNotContain(password).doesNotContain("\"password\"");
    }
    assertThat(log.text()).doesNotContain(password);
  }

  @Test
  void aGuestMembershipLetsAPrincipalOfTenantBSignInToTenantA() throws Exception {
    TestServer.TestTenant a = server.newTenant(domain("a"));
    TestServer.TestTenant b = server.newTenant(domain("b"));
    assertThat(clientCredentials(a.tenantId(), b.clientId(), b.clientSecret()).status()).isEqualTo(400);
    String objectId = b.objectId();
    var guest = operator().put(BASE + "/tenants/" + a.domain() + "/guests/" + objectId + V, null);
    assertThat(guest.status()).as(guest.body()).isEqualTo(201);
    assertThat(guest.json().path("properties").path("tenantId").asText()).isEqualTo(b.tenantId());
    assertThat(operator().put(BASE + "/tenants/" + a.domain() + "/guests/" + objectId + V, null).status()).isEqualTo(200);
    assertThat(operator().get(BASE + "/tenants/" + a.domain() + "/guests" + V).json().path("value")).hasSize(1);
    assertThat(clientCredentials(a.tenantId(), b.clientId(), b.clientSecret()).status()).isEqualTo(200);

    var own = operator().put(BASE + "/tenants/" + b.domain() + "/guests/" + objectId + V, null);
    assertThat(own.status()).isEqualTo(400);
    assertThat(own.errorTarget()).isEqualTo("objectId");
    var nobody = operator().put(BASE + "/tenants/" + a.domain() + "/guests/" + UUID.randomUUID() + V, null);
    assertThat(nobody.status()).isEqualTo(400);
    assertThat(nobody.errorCode()).isEqualTo("PrincipalNotFound");

    assertThat(operator().delete(BASE + "/tenants/" + a.domain() + "/guests/" + objectId + V).status()).isEqualTo(200);
    assertThat(operator().delete(BASE + "/tenants/" + a.domain() + "/guests/" + objectId + V).status()).isEqualTo(204);
    assertThat(clientCredentials(a.tenantId(), b.clientId(), b.clientSecret()).status()).isEqualTo(400);
  }

  @Test
  void badRequestsNameTheFieldAndChangeNothing() {
    long before = server.app().directory().tenants().size();
    var noVersion = operator().put(BASE + "/tenants/" + domain("x"), "{\"properties\":{}}");
    assertThat(noVersion.status()).isEqualTo(400);
    assertThat(noVersion.errorCode()).isEqualTo("MissingApiVersionParameter");
    var badId = operator().put(BASE + "/tenants/" + domain("x") + V, "{\"properties\":{\"tenantId\":\"nope\"}}");
    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.errorTarget()).isEqualTo("properties.tenantId");
    var badDomain = operator().put(BASE + "/tenants/no_dots" + V, "{\"properties\":{}}");
    assertThat(badDomain.status()).isEqualTo(400);
    assertThat(badDomain.errorTarget()).isEqualTo("tenantName");
    var badName = operator().put(BASE + "/tenants/" + domain("x") + V, "{\"properties\":{\"displayName\":7}}");
    assertThat(badName.errorTarget()).isEqualTo("properties.displayName");
    var takenId = operator().put(BASE + "/tenants/" + domain("x") + V,
        "{\"properties\":{\"tenantId\":\"" + server.app().homeTenantId() + "\"}}");
    assertThat(takenId.status()).isEqualTo(409);
    var secretGiven = operator().put(BASE + "/tenants/" + Stackledger.HOME_DOMAIN + "/servicePrincipals/"
        + UUID.randomUUID() + V, "{\"properties\":{\"clientSecret\":\"my-own-secret-1234567890\"}}");
    assertThat(secretGiven.status()).isEqualTo(400);
    assertThat(secretGiven.body()).doesNotContain("my-own-secret");
    assertThat(operator().get(BASE + "/tenants/nosuch.example.local/servicePrincipals" + V).errorCode())
        .isEqualTo("TenantNotFound");
    assertThat(server.app().directory().tenants()).hasSize((int) before);
  }

  @Test
  void aPrincipalWithoutARootRoleGets403AndChangesNothing() throws Exception {
    TestServer.TestTenant owner = server.newTenant(domain("owner"));
    String domain = domain("refused");
    int keys = server.app().signingKeys().list().size();
    for (var r : new TestClient.Response[] {
        owner.client().get(BASE + "/tenants" + V),
        owner.client().put(BASE + "/tenants/" + domain + V, "{\"properties\":{}}"),
        owner.client().put(BASE + "/tenants/" + owner.domain() + "/servicePrincipals/" + UUID.randomUUID() + V, null),
        owner.client().post(BASE + "/tenants/" + owner.domain() + "/servicePrincipals/" + owner.clientId() + "/addSecret" + V, null),
        owner.client().put(BASE + "/tenants/" + owner.domain() + "/users/eve@" + owner.domain() + V,
            "{\"properties\":{\"password\":\"long-enough-password\"}}"),
        owner.client().put(BASE + "/tenants/" + Stackledger.HOME_DOMAIN + "/guests/" + owner.objectId() + V, null),
        owner.client().post(BASE + "/signingKeys/rotate" + V, null),
        owner.client().get(BASE + "/principals/" + server.admin().clientId() + V)}) {
      assertThat(r.status()).as(r.body()).isEqualTo(403);
      assertThat(r.errorCode()).isEqualTo("AuthorizationFailed");
      assertThat(r.json().path("error").path("message").asText()).contains("over scope '/'");
    }
    assertThat(server.app().directory().tenant(domain)).isEmpty();
    assertThat(server.app().directory().principalByUpn("eve@" + owner.domain())).isEmpty();
    assertThat(server.app().directory().isMember(server.app().homeTenantId(),
        server.app().directory().principal(owner.objectId()).orElseThrow())).isFalse();
    assertThat(server.app().signingKeys().list()).hasSize(keys);
  }

  @Test
  void keysRotateAndRetireAndTokensOfARetiredKeyStopWorking() throws Exception {
    TestClient before = operator();
    var list = before.get(BASE + "/signingKeys" + V);
    assertThat(list.status()).isEqualTo(200);
    String oldKid = list.json().path("value").findValues("properties").stream()
        .filter(p -> p.path("state").asText().equals("active")).findFirst().orElseThrow().path("kid").asText();
    var rotated = before.post(BASE + "/signingKeys/rotate" + V, null);
    assertThat(rotated.status()).isEqualTo(200);
    String newKid = rotated.json().path("name").asText();
    assertThat(newKid).isNotEqualTo(oldKid);
    assertThat(before.get(BASE + "/signingKeys/" + oldKid + V).json().path("properties").path("state").asText())
        .isEqualTo("retiring");
    assertThat(before.get(BASE + "/signingKeys" + V).status()).as("a token of the retiring key still works").isEqualTo(200);

    TestClient after = operator();
    var active = after.post(BASE + "/signingKeys/" + newKid + "/retire" + V, null);
    assertThat(active.status()).isEqualTo(409);
    assertThat(after.post(BASE + "/signingKeys/" + UUID.randomUUID() + "/retire" + V, null).status()).isEqualTo(404);
    var retired = after.post(BASE + "/signingKeys/" + oldKid + "/retire" + V, null);
    assertThat(retired.status()).isEqualTo(200);
    assertThat(retired.json().path("properties").path("state").asText()).isEqualTo("retired");
    assertThat(after.post(BASE + "/signingKeys/" + oldKid + "/retire" + V, null).status()).as("retry").isEqualTo(200);
    assertThat(before.get(BASE + "/signingKeys" + V).status()).isEqualTo(401);
    assertThat(after.get(BASE + "/signingKeys" + V).status()).isEqualTo(200);
  }
}
