package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stackledger.registration.BillingModel;
import org.stackledger.registration.RegistrationToken;
import org.stackledger.testing.Engine;
import org.stackledger.testing.FakePartnerCenter;
import org.stackledger.testing.TestServer;

/**
 * The seed walkthrough through the CLI: {@code registration create|show|list|activation-key|approve|
 * revoke|delete} and {@code customer-subscription add|show|list|remove|history}, in-process against a
 * real server, signed in as the operator.
 */
class RegistrationCommandTest {
  private static final FakePartnerCenter PARTNER_CENTER = new FakePartnerCenter();
  private static TestServer server;


  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2, o -> o.withCspSubscriptions(PARTNER_CENTER));
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

  @Test
  void theSeedWalkthroughRunsThroughTheCli() throws Exception {
    TestServer.TestTenant partner = server.newTenant("csp-cli.onmicrosoft.local");
    TestServer.TestTenant customer = server.newTenant("customer-cli.onmicrosoft.local");
    PARTNER_CENTER.csp(partner.subscriptionId(), partner.tenantId(), "partner-cli");
    PARTNER_CENTER.csp(customer.subscriptionId(), customer.tenantId(), "partner-cli");
    String sub = partner.subscriptionId();
    String cloudId = UUID.randomUUID().toString();
    Path token = Files.createTempFile(server.dataDir(), "token", ".txt");
    Files.writeString(token, new RegistrationToken(cloudId, BillingModel.PayAsYouUse, true, true, null, null).encode());

    CliRun created = cli("registration", "create", "-o", "json", "-s", sub, "--token", "@" + token);
    assertThat(created.code()).as(created.err()).isZero();
    assertThat(created.json().path("properties").path("cloudId").asText()).isEqualTo(cloudId);
    assertThat(cli("registration", "show", "-s", sub).json().path("name").asText()).isEqualTo("AzureStackRegistration");
    assertThat(cli("registration", "list", "-s", sub).out()).startsWith("NAME").contains(cloudId).contains("azurestack");
    CliRun key = cli("registration", "activation-key", "-s", sub);
    assertThat(key.code()).isZero();
    assertThat(key.out().trim().split("\\.")).hasSize(3);

    CliRun refused = cli("customer-subscription", "add", "-s", sub, "-c", customer.subscriptionId());
    assertThat(refused.code()).isEqualTo(1);
    assertThat(refused.err()).startsWith("HTTP 403 UnauthorizedCspRegistration");
    assertThat(cli("registration", "approve", "-s", sub).json().path("properties").path("multiTenancyApproved")
        .asBoolean()).isTrue();

    CliRun added = cli("customer-subscription", "add", "-o", "json", "-s", sub, "-c", customer.subscriptionId());
    assertThat(added.code()).as(added.err()).isZero();
    assertThat(added.json().path("properties").path("tenantId").asText()).isEqualTo(customer.tenantId());
    assertThat(cli("customer-subscription", "show", "-s", sub, "-c", customer.subscriptionId()).code()).isZero();
    assertThat(cli("customer-subscription", "list", "-s", sub).out()).contains(customer.subscriptionId())
        .contains(customer.tenantId());
    assertThat(cli("customer-subscription", "remove", "-s", sub, "-c", customer.subscriptionId()).code()).isZero();
    CliRun missing = cli("customer-subscription", "show", "-s", sub, "-c", customer.subscriptionId());
    assertThat(missing.code()).isEqualTo(3);
    assertThat(missing.err()).startsWith("HTTP 404 CustomerSubscriptionNotFound");
    CliRun history = cli("customer-subscription", "history", "-s", sub, "--tenant-id", customer.tenantId());
    assertThat(history.out()).startsWith("TENANT").contains(customer.subscriptionId()).contains("Removed");
    assertThat(cli("customer-subscription", "history", "-s", sub, "--json", "--at", "2000-01-01T00:00:00Z").json()
        .path("value")).isEmpty();

    assertThat(cli("registration", "revoke", "-s", sub).json().path("properties").path("multiTenancyApproved")
        .asBoolean()).isFalse();
    assertThat(cli("registration", "delete", "-s", sub).code()).isZero();
    assertThat(cli("registration", "show", "-s", sub).code()).isEqualTo(3);
  }
}
