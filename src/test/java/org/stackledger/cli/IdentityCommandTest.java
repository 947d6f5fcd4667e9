package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.identityadmin.LogCapture;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * {@code stackledger identity ...} and {@code stackledger role ...} run in-process against a real
 * server, signed in as the operator (and, to be refused, as a tenant's owner).
 */
class IdentityCommandTest {
  private static TestServer server;
  private static LogCapture log;


  @BeforeAll
  static void start() throws Exception {
    log = new LogCapture();
    server = TestServer.start(Engine.H2);
    CliRun login = cli(server.dataDir(), "login", "--service-principal", "-u", server.admin().clientId(), "-p",
        server.admin().clientSecret());
    assertThat(login.code()).as(login.err()).isZero();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    log.close();
  }

  private static CliRun cli(Path dataDir, String... args) {
    return CliRun.in(dataDir, args);
  }

  /** The operator's CLI. */
  private static CliRun op(String... args) {
    return cli(server.dataDir(), args);
  }

  private static String domain(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local";
  }

  private static TestClient.Response token(String tenant, Map<String, String> form) throws Exception {
    return new TestClient(server.app().url(EndpointRole.IDENTITY), server.app().certificate()).anonymous()
        .form("/" + tenant + "/oauth2/v2.0/token", form);
  }

  @Test
  void aServicePrincipalGetsRedirectUrisForTheCodeFlowAndABadOneIsRefusedNamingTheField() throws Exception {
    CliRun sp = op("identity", "sp", "create", "-o", "json", "-t", Stackledger.HOME_DOMAIN, "--display-name", "web app",
        "--redirect-uri", "https://app.example/signin-oidc", "--redirect-uri", "http://localhost:5000/cb");
    assertThat(sp.code()).as(sp.err()).isZero();
    assertThat(sp.json().path("properties").path("web").path("redirectUris").toString())
        .isEqualTo("[\"http://localhost:5000/cb\",\"https://app.example/signin-oidc\"]");

    CliRun bad = op("identity", "sp", "create", "-t", Stackledger.HOME_DOMAIN, "--display-name", "bad",
        "--redirect-uri", "http://app.example/cb");
    assertThat(bad.code()).isNotZero();
    assertThat(bad.err()).contains("InvalidRedirectUri").contains("properties.web.redirectUris[0]");
  }

  @Test
  void theOperatorBuildsATenantAndGrantsReaderThroughTheCli() throws Exception {
    String domain = domain("cli");
    CliRun tenant = op("identity", "tenant", "create", "--domain", domain, "--display-name", "CLI tenant");
    assertThat(tenant.code()).as(tenant.err()).isZero();
    String tenantId = tenant.out().strip();
    assertThat(tenantId).as("a create prints the new id alone").matches("[0-9a-f-]{36}");
    assertThat(tenant.err()).contains("stackledger identity user create -t " + domain);
    CliRun tenants = op("identity", "tenant", "list");
    assertThat(tenants.out()).startsWith("DOMAIN").contains(domain).contains(tenantId);

    CliRun sp = op("identity", "sp", "create", "-o", "json", "-t", domain, "--display-name", "reporting");
    assertThat(sp.code()).as(sp.err()).isZero();
    assertThat(sp.err()).contains("shown this once");
    String appId = sp.json().path("properties").path("appId").asText();
    String objectId = sp.json().path("properties").path("objectId").asText();
    String secret = sp.json().path("properties").path("clientSecret").asText();
    assertThat(secret).isNotBlank();
    CliRun sps = op("identity", "sp", "list", "-t", domain);
    CliRun spsJson = op("identity", "sp", "list", "-t", domain, "--json");
    assertThat(sps.out()).contains(appId).contains(objectId).doesNotContain(secret);
    assertThat(spsJson.json().path("value")).hasSize(1);
    assertThat(spsJson.out()).doesNotContain(secret).doesNotContain("clientSecret");
    CliRun added = op("identity", "sp", "secret", "add", "-t", domain, "--app-id", appId);
    assertThat(added.code()).as(added.err()).isZero();
    String second = added.json().path("properties").path("clientSecret").asText();

    String password = "Pw-" + UUID.randomUUID();
    CliRun user = op("identity", "user", "create", "-t", domain, "--upn", "carol@" + domain, "-p", password);
    assertThat(user.code()).as(user.err()).isZero();
    assertThat(user.out()).doesNotContain(password);
    assertThat(op("identity", "user", "list", "-t", domain).out()).contains("carol@" + domain);
    assertThat(token(domain, Map.of("grant_type", "password", "client_id", Profile.PUBLIC_CLIENT_ID,
        "username", "carol@" + domain, "password", password, "scope", Stackledger.CLOUD_AUDIENCE + ".default"))
        .status()).isEqualTo(200);

    String sub = UUID.randomUUID().toString();
    server.app().cloudArm().subscriptions().create(sub, "cli subscription", tenantId);
    String scope = "/subscriptions/" + sub;
    CliRun assign = op("role", "assignment", "create", "-o", "json", "--assignee", appId, "--role", "reader", "--scope", scope);
    assertThat(assign.code()).as(assign.err()).isZero();
    assertThat(assign.json().path("properties").path("principalId").asText()).isEqualTo(objectId);
    String assignment = assign.json().path("name").asText();
    CliRun assignments = op("role", "assignment", "list", "--scope", scope);
    assertThat(assignments.out()).as(assignments.err()).contains(assignment).contains("Reader");
    assertThat(op("role", "definition", "list").out()).contains("Owner").contains("Reader").contains("Contributor");

    String access = token(domain, Map.of("grant_type", "client_credentials", "client_id", appId, "client_secret", second,
        "scope", Stackledger.CLOUD_AUDIENCE + ".default")).json().path("access_token").asText();
    TestClient reader = server.client().anonymous().withToken(access);
    assertThat(reader.get(scope + "?api-version=2022-12-01").status()).isEqualTo(200);
    var write = reader.put(scope + "/resourceGroups/rg?api-version=2025-04-01", "{\"location\":\"westus\"}");
    assertThat(write.status()).isEqualTo(403);
    assertThat(write.errorCode()).isEqualTo("AuthorizationFailed");

    CliRun delete = op("role", "assignment", "delete", "--scope", scope, "--name", assignment);
    assertThat(delete.code()).as(delete.err()).isZero();
    assertThat(reader.get(scope + "?api-version=2022-12-01").status()).isEqualTo(404);

    assertThat(log.text()).doesNotContain(secret).doesNotContain(second).doesNotContain(password);
  }

  @Test
  void guestsAndKeysThroughTheCli() throws Exception {
    TestServer.TestTenant a = server.newTenant(domain("ga"));
    TestServer.TestTenant b = server.newTenant(domain("gb"));
    CliRun guest = op("identity", "guest", "add", "-t", a.domain(), "--principal", b.clientId());
    assertThat(guest.code()).as(guest.err()).isZero();
    assertThat(op("identity", "guest", "list", "-t", a.domain()).out()).contains(b.objectId());
    assertThat(token(a.tenantId(), Map.of("grant_type", "client_credentials", "client_id", b.clientId(),
        "client_secret", b.clientSecret(), "scope", Stackledger.CLOUD_AUDIENCE + ".default")).status()).isEqualTo(200);

    CliRun keys = op("identity", "keys", "list");
    assertThat(keys.out()).startsWith("KID").contains("active");
    CliRun rotate = op("identity", "keys", "rotate");
    assertThat(rotate.code()).as(rotate.err()).isZero();
    assertThat(rotate.json().path("properties").path("state").asText()).isEqualTo("active");
    assertThat(op("identity", "keys", "list").out()).contains("retiring");
    CliRun active = op("identity", "keys", "retire", "--kid", rotate.json().path("name").asText());
    assertThat(active.code()).isEqualTo(1);
    assertThat(active.err()).startsWith("HTTP 409 SigningKeyIsActive");
  }

  @Test
  void errorsGoToStderrWithExitCodes(@TempDir Path other) throws Exception {
    CliRun missing = op("identity", "sp", "list", "-t", "nosuch.example.local");
    assertThat(missing.code()).isEqualTo(3);
    assertThat(missing.err()).startsWith("HTTP 404 TenantNotFound");
    CliRun bad = op("identity", "tenant", "create", "--domain", "no_dots");
    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err()).contains("(target: tenantName)").doesNotContain("\tat ");
    CliRun noRole = op("role", "assignment", "create", "--assignee", "x", "--role", "Nobody", "--scope",
        "/subscriptions/" + server.app().operatorSubscriptionId());
    assertThat(noRole.code()).isEqualTo(1);
    assertThat(noRole.err()).contains("no role named 'Nobody'");

    // A subscription owner who is not the operator: refused the identity API, yet can still
    // assign roles in its own subscription by object id.
    TestServer.TestTenant owner = server.newTenant(domain("own"));
    Files.copy(server.dataDir().resolve("endpoints.json"), other.resolve("endpoints.json"));
    assertThat(cli(other, "login", "--service-principal", "-u", owner.clientId(), "-p", owner.clientSecret(),
        "-t", owner.tenantId()).code()).isZero();
    CliRun refused = cli(other, "identity", "tenant", "list");
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).startsWith("HTTP 403 AuthorizationFailed");
    var helper = server.app().directory().createServicePrincipal(owner.tenantId(), "helper", null, null);
    CliRun byName = cli(other, "role", "assignment", "create", "--assignee", "someone@" + owner.domain(), "--role",
        "Reader", "--scope", "/subscriptions/" + owner.subscriptionId());
    assertThat(byName.code()).isEqualTo(1);
    assertThat(byName.err()).contains("pass its object id");
    CliRun byId = cli(other, "role", "assignment", "create", "--assignee", helper.principal().objectId(), "--role",
        "Reader", "--scope", "/subscriptions/" + owner.subscriptionId());
    assertThat(byId.code()).as(byId.err()).isZero();
    CliRun list = cli(other, "role", "assignment", "list", "--scope", "/subscriptions/" + owner.subscriptionId(), "--json");
    assertThat(list.out()).as(list.err()).contains(helper.principal().objectId());
  }
}
