package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestServer;

/**
 * {@code stackledger partner ...} in-process against a real server: the operator makes partners and
 * subscriptions, a partner signed in with its own profile makes customers, orders and suspends.
 */
class PartnerCommandTest {
  private static TestServer server;


  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2);
    CliRun login = cli(server.dataDir(), "login", "--service-principal", "-u", server.admin().clientId(), "-p",
        server.admin().clientSecret());
    assertThat(login.code()).as(login.err()).isZero();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static CliRun cli(Path dataDir, String... args) {
    return CliRun.in(dataDir, args);
  }

  private static CliRun op(String... args) {
    return cli(server.dataDir(), args);
  }

  private static String domain(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local";
  }

  @Test
  void theOperatorMakesAPartnerThatSellsAndSuspendsThroughItsOwnProfile(@TempDir Path partnerHome) throws Exception {
    String partnerDomain = domain("csp");
    CliRun made = op("partner", "create", "-o", "json", "--name", "Contoso CSP", "--kind", "Direct", "--domain", partnerDomain);
    assertThat(made.code()).as(made.err()).isZero();
    assertThat(made.err()).contains("shown only now");
    JsonNode partner = made.json().path("properties");
    String partnerId = partner.path("partnerId").asText();
    assertThat(op("partner", "list").out()).contains(partnerId).contains("Direct");
    assertThat(op("partner", "show", "--partner-id", partnerId).json().path("properties").has("adminClientSecret")).isFalse();

    Files.copy(server.dataDir().resolve("endpoints.json"), partnerHome.resolve("endpoints.json"));
    CliRun login = cli(partnerHome, "login", "--service-principal", "-u", partner.path("adminClientId").asText(), "-p",
        partner.path("adminClientSecret").asText(), "--tenant", partnerDomain);
    assertThat(login.code()).as(login.err()).isZero();

    String customerDomain = domain("fabrikam");
    CliRun customer = cli(partnerHome, "partner", "customer", "create", "-o", "json", "--company-name", "Fabrikam", "--domain", customerDomain);
    assertThat(customer.code()).as(customer.err()).isZero();
    String customerId = customer.json().path("id").asText();
    assertThat(customer.json().path("companyProfile").path("tenantId").asText()).isEqualTo(customerId);
    assertThat(cli(partnerHome, "partner", "customer", "list").out()).contains(customerId).contains(customerDomain);
    assertThat(cli(partnerHome, "partner", "customer", "show", "--customer", customerId).code()).isZero();
    CliRun again = cli(partnerHome, "partner", "customer", "create", "--company-name", "Again", "--domain", customerDomain);
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("HTTP 409").contains("DomainAlreadyExists").contains("companyProfile.domain");

    CliRun order = cli(partnerHome, "partner", "order", "create", "-o", "json", "--customer", customerId, "--friendly-name", "fabrikam stack");
    assertThat(order.code()).as(order.err()).isZero();
    String subscriptionId = order.json().path("lineItems").path(0).path("subscriptionId").asText();
    CliRun list = cli(partnerHome, "partner", "subscription", "list", "--customer", customerId);
    assertThat(list.out()).contains(subscriptionId).contains("MS-AZR-0145P").contains("active");
    CliRun suspend = cli(partnerHome, "partner", "subscription", "suspend", "--customer", customerId, "--id", subscriptionId);
    assertThat(suspend.json().path("status").asText()).isEqualTo("suspended");
    assertThat(op("partner", "subscription", "show", "--id", subscriptionId).json().path("properties").path("state")
        .asText()).isEqualTo("Disabled");
    assertThat(cli(partnerHome, "partner", "subscription", "reactivate", "--customer", customerId, "--id", subscriptionId)
        .json().path("status").asText()).isEqualTo("active");
    CliRun badOffer = cli(partnerHome, "partner", "order", "create", "--customer", customerId, "--offer", "MS-AZR-0017P");
    assertThat(badOffer.code()).isEqualTo(1);
    assertThat(badOffer.err()).contains("InvalidOffer").contains("lineItems[0].offerId");
    assertThat(cli(partnerHome, "partner", "customer", "show", "--customer", UUID.randomUUID().toString()).code()).isEqualTo(3);

    // The operator's verbs: a shared services subscription owned by the partner's admin, a second tenant.
    CliRun shared = op("partner", "subscription", "create", "-o", "json", "--offer", "MS-AZR-0145P-SS", "--tenant", partnerDomain,
        "--partner", partnerId, "--owner", partner.path("adminClientId").asText(), "--name", "contoso shared");
    assertThat(shared.code()).as(shared.err()).isZero();
    assertThat(shared.json().path("properties").path("offerName").asText()).isEqualTo("Azure Partner Shared Services");
    assertThat(op("partner", "subscription", "list").out()).contains(shared.json().path("name").asText())
        .contains(subscriptionId);
    assertThat(op("partner", "customer", "add-tenant", "--customer", customerId, "--tenant", domain("fabrikam-eu")).code())
        .isZero();
    assertThat(cli(partnerHome, "partner", "list").code()).as("a partner is no operator").isEqualTo(1);
    assertThat(op("partner", "subscription", "delete", "--id", subscriptionId).json().path("properties").path("status")
        .asText()).isEqualTo("deleted");
  }
}
