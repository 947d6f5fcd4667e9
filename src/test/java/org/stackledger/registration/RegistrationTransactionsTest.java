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
import org.stackledger.testing.ContractCheck;
import org.stackledger.testing.Engine;
import org.stackledger.testing.FakePartnerCenter;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * A registration PUT writes the bridge service principal and its secret, the ARM resource, the
 * CloudId binding and period, and the bridge's Registration Owner assignment: one transaction. A
 * customer subscription PUT that replaces a tenant's mapping ends the old mapping, deletes its
 * resource, writes the new resource and opens the new mapping: one transaction too. Here the database
 * refuses the last write (a constraint the test adds, matching only this test's rows) and none of the
 * others may remain; once the constraint is gone the same PUT succeeds.
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

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aReplacementWhoseNewMappingIsRefusedKeepsTheOldMappingAndResource(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    Jdbi jdbi = server.app().database().jdbi();
    Seed.Registration r = Seed.registered(server, PARTNER_CENTER, true);
    TestServer.TestTenant customer = Seed.customer(server, PARTNER_CENTER, r.partnerId());
    assertThat(r.client().put(r.customerSubscription(customer.subscriptionId()), null).status()).isEqualTo(200);
    // A second CSP subscription of the same tenant replaces the first: the old mapping ends (Replaced),
    // its resource goes, the new resource is written, and the new mapping opens last.
    String replacement = UUID.randomUUID().toString();
    PARTNER_CENTER.csp(replacement, customer.tenantId(), r.partnerId());
    String constraint = "refuse_" + replacement.substring(0, 8);
    jdbi.useHandle(h -> h.execute("ALTER TABLE customer_subscription_mappings ADD CONSTRAINT " + constraint
        + " CHECK (customer_subscription_id <> '" + replacement + "')"));

    TestClient.Response refused = r.client().put(r.customerSubscription(replacement), null);

    // A store that refuses a write is an internal error (500), which no published operation lists: this
    // one answer is expected here, so it is taken off the contract check's list.
    assertThat(refused.status()).as(refused.body()).isEqualTo(500);
    assertThat(ContractCheck.SUITE.drain()).singleElement().asString().contains("→ 500");
    assertThat(r.client().get(r.customerSubscription(customer.subscriptionId())).status()).as("the old resource stays")
        .isEqualTo(200);
    assertThat(r.client().get(r.customerSubscription(replacement)).status()).as("no new resource").isEqualTo(404);
    var history = r.client().get(r.history("")).json().path("value");
    assertThat(history).hasSize(1);
    assertThat(history.get(0).path("customerSubscriptionId").asText()).isEqualTo(customer.subscriptionId());
    assertThat(history.get(0).path("effectiveTo").isNull()).as("the old mapping is still in force").isTrue();

    jdbi.useHandle(h -> h.execute("ALTER TABLE customer_subscription_mappings DROP CONSTRAINT " + constraint));
    assertThat(r.client().put(r.customerSubscription(replacement), null).status()).isEqualTo(200);
    var after = r.client().get(r.history("")).json().path("value");
    assertThat(after).hasSize(2);
    assertThat(after.get(0).path("endedBy").asText()).isEqualTo("Replaced");
  }
}
