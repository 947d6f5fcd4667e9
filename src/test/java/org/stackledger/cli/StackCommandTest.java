package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.ServerOptions;
import org.stackledger.registration.BillingModel;
import org.stackledger.registration.RegistrationToken;
import org.stackledger.stamp.StampFacts;
import org.stackledger.store.Settings;
import org.stackledger.testing.Engine;
import org.stackledger.testing.SteppingClock;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * The deployment's side of registration over real HTTPS: {@code stack registration-token} → the
 * cloud's registration PUT with that token → {@code getactivationkey} → {@code stack activate},
 * checked against the cloud's published keys; refused keys change nothing; expiry and deactivation.
 */
class StackCommandTest {
  private static final String API = "?api-version=2016-01-01";
  private static final String INFO = "/providers/Microsoft.AzureBridge.Admin/stampInfo" + API;
  private static final String HISTORY = "/providers/Microsoft.AzureBridge.Admin/activationHistory" + API;
  private static final SteppingClock CLOCK = new SteppingClock();
  private static TestServer server;


  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2, o -> o.withClock(CLOCK));
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

  /** A fresh operator client of the stack admin endpoint (its token issued at the server's current time). */
  private static TestClient stackAdmin() throws Exception {
    return server.client(EndpointRole.STACK_ADMIN_ARM);
  }

  /** A tenant whose subscription registers a deployment with {@code token}; answers the activation key. */
  private static String[] registerAndGetKey(String token) throws Exception {
    TestServer.TestTenant partner = server.newTenant("csp-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local");
    CliRun created = cli("registration", "create", "-o", "json", "-s", partner.subscriptionId(), "--token", token);
    assertThat(created.code()).as(created.err()).isZero();
    CliRun key = cli("registration", "activation-key", "-s", partner.subscriptionId());
    assertThat(key.code()).as(key.err()).isZero();
    CliRun shown = cli("registration", "show", "-s", partner.subscriptionId());
    return new String[] {key.out().trim(), created.json().path("id").asText(),
        created.json().path("properties").path("objectId").asText(), partner.subscriptionId(), shown.out()};
  }

  private static String activationPath() {
    return "/subscriptions/" + server.app().operatorSubscriptionId()
        + "/resourceGroups/azurestack-activation/providers/Microsoft.AzureBridge.Admin/activations/default" + API;
  }

  private static String activationBody(String key) {
    return "{\"properties\":{\"activationKey\":\"" + key + "\"}}";
  }

  @Test
  void theDeploymentIsRegisteredAndActivatedEndToEndThroughTheCli() throws Exception {
    // Runs first on a fresh deployment is not guaranteed: deactivate whatever another test left.
    cli("stack", "deactivate");
    CliRun info = cli("stack", "info");
    assertThat(info.code()).as(info.err()).isZero();
    assertThat(info.out()).contains("CloudId:             " + server.app().stamp().cloudId())
        .contains("Region:              local").contains("External domain:     azurestack.external")
        .contains("Identity system:     AzureAD").contains("Registration status: Not registered");

    CliRun token = cli("stack", "registration-token", "--billing-model", "PayAsYouUse");
    assertThat(token.code()).as(token.err()).isZero();
    RegistrationToken decoded = RegistrationToken.decode(token.out().trim());
    assertThat(decoded.cloudId()).isEqualTo(server.app().stamp().cloudId());
    assertThat(decoded.billingModel()).isEqualTo(BillingModel.PayAsYouUse);
    assertThat(decoded.usageReportingEnabled()).isTrue();
    assertThat(decoded.issueTime()).isNotNull();

    String[] reg = registerAndGetKey(token.out().trim());
    CliRun activated = cli("stack", "activate", "--key", reg[0]);
    assertThat(activated.code()).as(activated.err()).isZero();
    assertThat(activated.json().path("name").asText()).isEqualTo("default");
    assertThat(activated.json().path("properties").path("status").asText()).isEqualTo("Registered");

    CliRun after = cli("stack", "info");
    assertThat(after.out()).contains("Registration status: Registered").contains("Registration:        " + reg[1])
        .contains("Bridge object id:    " + reg[2]).contains("Billing model:       PayAsYouUse");
    CliRun json = cli("stack", "info", "--json");
    assertThat(json.json().path("properties").path("registration").path("registrationSubscriptionId").asText())
        .isEqualTo(reg[3]);

    CliRun off = cli("stack", "deactivate");
    assertThat(off.code()).as(off.err()).isZero();
    assertThat(cli("stack", "info").out()).contains("Registration status: Not registered");
    assertThat(cli("stack", "deactivate").err()).contains("nothing to deactivate");
    JsonNode history = stackAdmin().get(HISTORY).json().path("value");
    assertThat(history.get(history.size() - 1).path("registrationId").asText()).isEqualTo(reg[1]);
    assertThat(history.get(history.size() - 1).path("deactivatedOn").isTextual()).isTrue();
  }

  @Test
  void tokenGenerationRefusesCapacityWithoutAnAgreementAndPayAsYouUseWithoutUsageReporting() throws Exception {
    CliRun capacity = cli("stack", "registration-token", "--billing-model", "Capacity");
    assertThat(capacity.code()).isEqualTo(1);
    assertThat(capacity.err()).contains("AgreementNumberRequired").contains("(target: agreementNumber)")
        .doesNotContain("Exception");
    CliRun payg = cli("stack", "registration-token", "--billing-model", "PayAsYouUse", "--usage-reporting", "off");
    assertThat(payg.code()).isEqualTo(1);
    assertThat(payg.err()).contains("UsageReportingRequired").contains("(target: usageReportingEnabled)");
    CliRun bad = cli("stack", "registration-token", "--billing-model", "Monthly");
    assertThat(bad.err()).contains("InvalidBillingModel");
    CliRun ok = cli("stack", "registration-token", "--billing-model", "Capacity", "--agreement-number", "EA-7",
        "--usage-reporting", "off", "--marketplace-syndication", "off");
    assertThat(ok.code()).as(ok.err()).isZero();
    RegistrationToken t = RegistrationToken.decode(ok.out().trim());
    assertThat(t.agreementNumber()).isEqualTo("EA-7");
    assertThat(t.usageReportingEnabled()).isFalse();
    assertThat(t.marketplaceSyndicationEnabled()).isFalse();
  }

  @Test
  void keysForAnotherCloudTamperedOrExpiredAreRefusedAndChangeNothingAndAnActivationExpires() throws Exception {
    SteppingClock clock = new SteppingClock();
    try (TestServer own = TestServer.start(Engine.H2, o -> o.withClock(clock))) {
      TestClient cloud = own.client();
      TestClient stack = own.client(EndpointRole.STACK_ADMIN_ARM);
      String activation = "/subscriptions/" + own.app().operatorSubscriptionId()
          + "/resourceGroups/azurestack-activation/providers/Microsoft.AzureBridge.Admin/activations/default" + API;
      String mine = stack.post("/providers/Microsoft.AzureBridge.Admin/registrationToken" + API,
          "{\"billingModel\":\"Development\"}").json().path("registrationToken").asText();
      String goodKey = register(own, cloud, mine);
      String otherKey = register(own, cloud, new RegistrationToken(UUID.randomUUID().toString(), BillingModel.Development,
          true, true, null, null).encode());

      TestClient.Response first = stack.put(activation, activationBody(goodKey));
      assertThat(first.status()).as("Activations_CreateOrUpdate publishes 200 only: " + first.body()).isEqualTo(200);
      String before = stack.get(INFO).body();
      int records = own.app().activations().history().size();

      TestClient.Response other = stack.put(activation, activationBody(otherKey));
      assertError(other, 409, "ActivationKeyCloudIdMismatch");
      String[] parts = goodKey.split("\\.");
      String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
          .replace("\"Development\"", "\"PayAsYouUse\"");
      String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
          .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
      assertThat(assertError(stack.put(activation, activationBody(tampered)), 400, "InvalidActivationKey").errorTarget())
          .isEqualTo("properties.activationKey");
      assertError(stack.put(activation, activationBody("not-a-jwt")), 400, "InvalidActivationKey");
      assertThat(stack.get(INFO).body()).isEqualTo(before);
      assertThat(own.app().activations().history()).hasSize(records);

      // A year and a day later the activation has expired, and its key with it.
      clock.advance(Duration.ofDays(366));
      TestClient later = own.client(EndpointRole.STACK_ADMIN_ARM);
      assertThat(later.get(INFO).json().path("properties").path("registrationStatus").asText()).isEqualTo("Expired");
      assertError(later.put(activation, activationBody(goodKey)), 400, "ActivationKeyExpired");
      assertThat(own.app().activations().history()).hasSize(records);
      TestClient.Response deleted = later.delete(activation);
      assertThat(deleted.status()).isEqualTo(200);
      assertThat(later.get(INFO).json().path("properties").path("registrationStatus").asText()).isEqualTo("Not registered");
      assertError(later.get(activation), 404, "ActivationNotFound");
    }
  }

  private static String register(TestServer own, TestClient cloud, String token) {
    TestServer.TestTenant partner = own.newTenant("csp-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local");
    String sub = "/subscriptions/" + partner.subscriptionId();
    assertThat(cloud.post(sub + "/providers/Microsoft.AzureStack/register?api-version=2025-04-01", null).status()).isEqualTo(200);
    assertThat(cloud.put(sub + "/resourceGroups/azurestack?api-version=2025-04-01", "{\"location\":\"westcentralus\"}")
        .status()).isEqualTo(201);
    String path = sub + "/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations/AzureStackRegistration";
    TestClient.Response put = cloud.put(path + "?api-version=2017-06-01",
        "{\"location\":\"global\",\"properties\":{\"registrationToken\":\"" + token + "\"}}");
    assertThat(put.status()).as(put.body()).isEqualTo(201);
    TestClient.Response key = cloud.post(path + "/getactivationkey?api-version=2017-06-01", null);
    assertThat(key.status()).as(key.body()).isEqualTo(200);
    return key.json().path("activationKey").asText();
  }

  @Test
  void theDeploymentsFactsAreFixedAtFirstStartAndAConflictingFlagIsRefused() throws Exception {
    Settings settings = new Settings(server.app().database().jdbi());
    StampFacts kept = StampFacts.resolve(settings, null, null, null, null, true);
    assertThat(kept).isEqualTo(server.app().stamp());
    assertThat(StampFacts.resolve(settings, null, "LOCAL", null, "azuread", false)).isEqualTo(kept);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> StampFacts.resolve(settings, null, "westeurope", null, null, false))
        .isInstanceOf(StampFacts.ConflictException.class).hasMessageContaining("--region westeurope conflicts")
        .hasMessageContaining("local");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> StampFacts.resolve(settings, UUID.randomUUID().toString(),
        null, null, null, false)).hasMessageContaining("--cloud-id");
    assertThat(ServerOptions.defaults(server.dataDir()).stamp()).isNull();
  }
}
