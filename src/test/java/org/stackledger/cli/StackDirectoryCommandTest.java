package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Multi-tenancy over real HTTPS: the deployment's ARM endpoints let in the home directory and the
 * guest directories the operator onboarded with {@code stack directory add} (tenant id resolved from
 * the login endpoint's OpenID configuration), and nobody else; the cloud endpoint is unaffected.
 */
class StackDirectoryCommandTest {
  private static final String SUBS = "/subscriptions?api-version=2015-11-01";
  private static TestServer server;


  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2);
    CliRun login = cli("login", "--service-principal", "-u", server.admin().clientId(), "-p", server.admin().clientSecret());
    assertThat(login.code()).as(login.err()).isZero();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static CliRun cli(String... args) {
    return CliRun.in(server.dataDir(), args);
  }

  private static TestServer.TestTenant guest() {
    return server.newTenant("guest-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local");
  }

  /** A client of a stack endpoint signed in as the tenant's principal (a fresh token each time). */
  private static TestClient stack(TestServer.TestTenant t, EndpointRole role) throws Exception {
    String audience = role == EndpointRole.STACK_ADMIN_ARM ? Stackledger.STACK_ADMIN_AUDIENCE : Stackledger.STACK_TENANT_AUDIENCE;
    return new TestClient(server.app().url(role), server.app().certificate())
        .withToken(server.token(t.clientId(), t.clientSecret(), t.tenantId(), audience));
  }

  @Test
  void aGuestDirectoryGetsInOnlyWhileItIsOnboarded() throws Exception {
    TestServer.TestTenant g = guest();
    var before = stack(g, EndpointRole.STACK_TENANT_ARM).get(SUBS);
    assertThat(before.status()).as(before.body()).isEqualTo(401);
    assertThat(server.client(EndpointRole.STACK_TENANT_ARM).get(SUBS).status()).as("the home tenant").isEqualTo(200);
    assertThat(g.client().get(SUBS.replace("2015-11-01", "2022-12-01")).status()).as("the cloud is unaffected")
        .isEqualTo(200);

    CliRun added = cli("stack", "directory", "add", g.domain(), "-o", "json");
    assertThat(added.code()).as(added.err()).isZero();
    assertThat(added.json().path("properties").path("tenantId").asText()).as("resolved by discovery")
        .isEqualTo(g.tenantId());
    assertThat(added.json().path("location").asText()).isEqualTo("local");
    assertThat(added.json().path("id").asText()).isEqualTo("/subscriptions/" + server.app().operatorSubscriptionId()
        + "/resourceGroups/system.local/providers/Microsoft.Subscriptions.Admin/directoryTenants/" + g.domain());
    assertThat(stack(g, EndpointRole.STACK_TENANT_ARM).get(SUBS).status()).isEqualTo(200);
    assertThat(stack(g, EndpointRole.STACK_ADMIN_ARM).get(SUBS).status()).isEqualTo(200);
    CliRun again = cli("stack", "directory", "add", g.domain(), "--tenant-id", g.tenantId());
    assertThat(again.code()).as("onboarding again is an update: " + again.err()).isZero();

    CliRun removed = cli("stack", "directory", "remove", g.domain());
    assertThat(removed.code()).as(removed.err()).isZero();
    assertThat(removed.out()).contains("removed " + g.domain());
    var after = stack(g, EndpointRole.STACK_TENANT_ARM).get(SUBS);
    assertThat(after.status()).as(after.body()).isEqualTo(401);
    assertThat(server.client(EndpointRole.STACK_TENANT_ARM).get(SUBS).status()).as("the home tenant").isEqualTo(200);
    assertThat(g.client().get(SUBS.replace("2015-11-01", "2022-12-01")).status()).isEqualTo(200);
    assertThat(cli("stack", "directory", "remove", g.domain()).err()).contains("nothing to remove");
    assertThat(server.app().guestDirectories().history()).filteredOn(d -> d.tenantId().equals(g.tenantId()))
        .singleElement().satisfies(d -> assertThat(d.offboardedAt()).isNotNull());
  }

  @Test
  void anUnknownDirectoryIsRefusedWith400AndNothingIsStored() throws Exception {
    int before = server.app().guestDirectories().history().size();
    CliRun added = cli("stack", "directory", "add", "nobody-" + UUID.randomUUID() + ".onmicrosoft.local");
    assertThat(added.code()).isEqualTo(1);
    assertThat(added.err()).contains("DirectoryTenantNotFound");
    assertThat(server.app().guestDirectories().history()).hasSize(before);
  }

  @Test
  void aTenantIdThatIsNotTheDirectorysIsRefusedWith400() throws Exception {
    TestServer.TestTenant g = guest();
    CliRun added = cli("stack", "directory", "add", g.domain(), "--tenant-id", UUID.randomUUID().toString());
    assertThat(added.code()).isEqualTo(1);
    assertThat(added.err()).contains("DirectoryTenantIdMismatch");
    assertThat(stack(g, EndpointRole.STACK_TENANT_ARM).get(SUBS).status()).isEqualTo(401);
    var put = server.client(EndpointRole.STACK_ADMIN_ARM).put("/subscriptions/" + server.app().operatorSubscriptionId()
        + "/resourceGroups/system.local/providers/Microsoft.Subscriptions.Admin/directoryTenants/" + g.domain()
        + "?api-version=2015-11-01", "{\"location\":\"local\",\"properties\":{\"tenantId\":\"" + UUID.randomUUID() + "\"}}");
    assertThat(put.status()).isEqualTo(400);
    assertThat(put.errorTarget()).isEqualTo("properties.tenantId");
  }

  @Test
  void theListShowsTheOnboardedDirectoriesAndNonOperatorsGet403() throws Exception {
    TestServer.TestTenant g1 = guest();
    TestServer.TestTenant g2 = guest();
    assertThat(cli("stack", "directory", "add", g1.domain()).code()).isZero();
    assertThat(cli("stack", "directory", "add", g2.tenantId()).code()).as("by tenant id").isZero();
    CliRun list = cli("stack", "directory", "list", "--json");
    assertThat(list.code()).as(list.err()).isZero();
    assertThat(list.json().path("value").findValuesAsText("tenantId")).contains(g1.tenantId(), g2.tenantId());
    CliRun table = cli("stack", "directory", "list");
    assertThat(table.out()).contains(g1.domain()).contains(g2.tenantId());

    var refused = stack(g1, EndpointRole.STACK_ADMIN_ARM).get("/subscriptions/" + server.app().operatorSubscriptionId()
        + "/resourceGroups/system.local/providers/Microsoft.Subscriptions.Admin/directoryTenants?api-version=2015-11-01");
    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    assertThat(refused.errorCode()).isEqualTo("AuthorizationFailed");
  }
}
