package org.stackledger.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * The operator's admin user, which a first start makes so that a person can sign in to the console
 * with a name and password: its password is shown by that start only, and it holds Owner at the root.
 */
class AdminUserTest {
  private static final String AZURE_CLI = "04b07795-8ddb-461a-bbee-02f9e1bf7b46";

  @Test
  void theFirstStartMakesAnAdminUserWhoIsTheOperatorAndOnlyItShowsThePassword() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("stackledger-admin-user");
    ServerOptions.AdminCredentials admin = new ServerOptions.AdminCredentials(java.util.UUID.randomUUID().toString(),
        "test-admin-secret-" + java.util.UUID.randomUUID());
    ServerOptions.AdminCredentials user;
    try (Stackledger app = Stackledger.start(ServerOptions.defaults(dir).withPort(0).withAdmin(admin))) {
      assertThat(app.adminUser()).isEqualTo("admin@" + Stackledger.HOME_DOMAIN);
      user = app.generatedAdminUser().orElseThrow();
      assertThat(user.clientId()).isEqualTo(app.adminUser());
      TestClient operator = signedIn(app, user.clientId(), user.clientSecret());
      // Root-scope routes answer only the operator: the directory's tenants.
      TestClient.Response tenants = operator.get("/providers/Stackledger.Identity/tenants?api-version=2026-11-01");
      assertThat(tenants.status()).as(tenants.body()).isEqualTo(200);
      TestClient identity = new TestClient(app.url(EndpointRole.IDENTITY), app.certificate()).anonymous();
      assertThat(identity.form("/" + app.homeTenantId() + "/oauth2/v2.0/token", Map.of("grant_type", "password",
          "client_id", AZURE_CLI, "username", user.clientId(), "password", user.clientSecret() + "x", "scope",
          Stackledger.CLOUD_AUDIENCE + ".default")).status()).isEqualTo(400);
    }
    try (TestServer again = TestServer.startOn(dir, admin, UnaryOperator.identity())) {
      assertThat(again.app().generatedAdminUser()).as("the password is shown by the start that made it only").isEmpty();
      TestClient operator = signedIn(again.app(), user.clientId(), user.clientSecret());
      assertThat(operator.get("/providers/Stackledger.Identity/tenants?api-version=2026-11-01").status()).isEqualTo(200);
    }
  }

  private static TestClient signedIn(Stackledger app, String upn, String password) throws Exception {
    TestClient identity = new TestClient(app.url(EndpointRole.IDENTITY), app.certificate()).anonymous();
    TestClient.Response token = identity.form("/" + app.homeTenantId() + "/oauth2/v2.0/token", Map.of(
        "grant_type", "password", "client_id", AZURE_CLI, "username", upn, "password", password, "scope",
        Stackledger.CLOUD_AUDIENCE + ".default"));
    assertThat(token.status()).as(token.body()).isEqualTo(200);
    return new TestClient(app.url(EndpointRole.CLOUD_ARM), app.certificate())
        .withToken(token.json().path("access_token").asText());
  }
}
