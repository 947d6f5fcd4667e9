package org.stackledger.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.registration.Seed.API;

import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.access.RoleDefinition;
import org.stackledger.testing.Engine;
import org.stackledger.testing.FakePartnerCenter;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * A registration PUT writes the bridge service principal and its secret, the ARM resource, the
 * CloudId binding and period, and the bridge's Registration Owner assignment: one transaction. Here
 * the database refuses the last of them (a constraint the test adds, for this registration's name
 * only) and none of the others may remain; once the constraint is gone the same PUT succeeds.
 */
@Tag("storage")
class RegistrationTransactionsTest {
  private static final FakePartnerCenter PARTNER_CENTER = new FakePartnerCenter();
  private static final ServerPool SERVERS = new ServerPool(o -> o.withCspSubscriptions(PARTNER_CENTER));

  @AfterAll
  static void stop() throws Exception {
    SERVERS.close();
  }

  private static long count(Jdbi jdbi, String sql, String value) {
    return jdbi.withHandle(h -> h.createQuery(sql).bind("v", value).mapTo(Long.class).one());
  }

  private static long rows(Jdbi jdbi, String table) {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aRegistrationWhoseOwnerAssignmentIsRefusedLeavesNoPrincipalResourceOrBindingBehind(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    Jdbi jdbi = server.app().database().jdbi();
    TestServer.TestTenant partner = Seed.partner(server, PARTNER_CENTER, UUID.randomUUID().toString());
    String name = "refused" + UUID.randomUUID().toString().substring(0, 8);
    String path = "/subscriptions/" + partner.subscriptionId()
        + "/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations/" + name;
    String cloudId = UUID.randomUUID().toString();
    String constraint = "refuse_" + name;
    jdbi.useHandle(h -> h.execute("ALTER TABLE role_assignments ADD CONSTRAINT " + constraint + " CHECK (NOT ("
        + "role_definition_id = '" + RoleDefinition.REGISTRATION_OWNER.id() + "' AND scope_key LIKE '%/registrations/"
        + name + "'))"));
    long roleAssignments = rows(jdbi, "role_assignments");
    long secrets = rows(jdbi, "client_secrets");

    TestClient.Response refused = partner.client().put(path + "?" + API,
        Seed.body(Seed.token(cloudId, BillingModel.PayAsYouUse, true, null)));

    assertThat(refused.status()).as(refused.body()).isGreaterThanOrEqualTo(400);
    assertThat(partner.client().get(path + "?" + API).status()).as("no registration resource").isEqualTo(404);
    assertThat(count(jdbi, "SELECT COUNT(*) FROM principals WHERE display_name = :v", "Azure Bridge " + cloudId))
        .as("no bridge principal").isZero();
    assertThat(rows(jdbi, "client_secrets")).as("no secret").isEqualTo(secrets);
    assertThat(count(jdbi, "SELECT COUNT(*) FROM registration_clouds WHERE cloud_id = :v", cloudId))
        .as("the CloudId stays free").isZero();
    assertThat(rows(jdbi, "role_assignments")).isEqualTo(roleAssignments);

    jdbi.useHandle(h -> h.execute("ALTER TABLE role_assignments DROP CONSTRAINT " + constraint));
    TestClient.Response again = partner.client().put(path + "?" + API,
        Seed.body(Seed.token(cloudId, BillingModel.PayAsYouUse, true, null)));
    assertThat(again.status()).as(again.body()).isEqualTo(201);
    assertThat(count(jdbi, "SELECT COUNT(*) FROM principals WHERE display_name = :v", "Azure Bridge " + cloudId))
        .as("exactly one bridge principal: the refused attempt left none").isEqualTo(1);
  }
}
