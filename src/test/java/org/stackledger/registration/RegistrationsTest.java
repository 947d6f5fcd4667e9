package org.stackledger.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.registration.Seed.API;
import static org.stackledger.testing.ArmCalls.assertError;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.access.RoleDefinition;
import org.stackledger.app.EndpointRole;
import org.stackledger.testing.Engine;
import org.stackledger.testing.FakePartnerCenter;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/** The registration resource over real HTTPS: its rules, its bridge identity, activation keys and who may do what. */
@Tag("storage")
class RegistrationsTest {
  private static final FakePartnerCenter PARTNER_CENTER = new FakePartnerCenter();
  private static final ServerPool SERVERS = new ServerPool(o -> o.withCspSubscriptions(PARTNER_CENTER));

  @AfterAll
  static void stop() throws Exception {
    SERVERS.close();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aRegistrationIsCreatedBoundToItsCloudIdWithABridgePrincipalThatOwnsIt(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    Seed.Registration r = Seed.registered(server, PARTNER_CENTER, BillingModel.Development, false);
    TestClient.Response read = r.client().get(r.url());
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().path("id").asText()).isEqualTo(r.path());
    assertThat(read.json().path("name").asText()).isEqualTo("AzureStackRegistration");
    assertThat(read.json().path("type").asText()).isEqualTo("Microsoft.AzureStack/registrations");
    assertThat(read.json().path("location").asText()).isEqualTo("global");
    assertThat(read.header("etag")).isEqualTo(read.json().path("etag").asText());
    var p = read.json().path("properties");
    assertThat(p.path("cloudId").asText()).isEqualTo(r.cloudId());
    assertThat(p.path("billingModel").asText()).isEqualTo("Development");
    assertThat(p.path("multiTenancyApproved").asBoolean()).isFalse();
    String objectId = p.path("objectId").asText();
    var bridge = server.app().directory().principal(objectId).orElseThrow();
    assertThat(bridge.tenantId()).as("made in the registration subscription's directory").isEqualTo(r.partner().tenantId());
    assertThat(server.app().roleAssignments().forPrincipal(objectId)).singleElement().satisfies(a -> {
      assertThat(a.scope()).isEqualTo(r.path());
      assertThat(a.roleDefinitionId()).isEqualTo(RoleDefinition.REGISTRATION_OWNER.id());
    });

    // Re-PUT with the same CloudId overwrites billing model and flags, keeps the bridge: 200.
    TestClient.Response again = r.client().put(r.url(), Seed.body(new RegistrationToken(r.cloudId(),
        BillingModel.PayAsYouUse, true, false, null, null).encode()));
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.json().path("properties").path("billingModel").asText()).isEqualTo("PayAsYouUse");
    assertThat(again.json().path("properties").path("marketplaceSyndicationEnabled").asBoolean()).isFalse();
    assertThat(again.json().path("properties").path("objectId").asText()).isEqualTo(objectId);
    assertThat(server.app().roleAssignments().forPrincipal(objectId)).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theRegistrationRulesRefuseBadWritesAndChangeNothing(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    Seed.Registration r = Seed.registered(server, PARTNER_CENTER, false);
    String before = r.client().get(r.url()).body();
    String cloud = UUID.randomUUID().toString();

    TestClient.Response westus = r.client().put(r.url(), Seed.body(Seed.token(r.cloudId(), BillingModel.PayAsYouUse, true, null))
        .replace("\"global\"", "\"westus\""));
    assertThat(assertError(westus, 400, "LocationNotAvailableForResourceType").errorTarget()).isEqualTo("location");
    TestClient.Response otherCloud = r.client().put(r.url(), Seed.body(Seed.token(cloud, BillingModel.PayAsYouUse, true, null)));
    assertThat(assertError(otherCloud, 409, "CloudIdUpdateNotAllowed").json().path("error").path("message").asText())
        .isEqualTo("registration 'AzureStackRegistration' is already associated with another Cloud identifier. "
            + "Changing cloud identifiers is not allowed.");
    TestClient.Response capacity = r.client().put(r.url(), Seed.body(Seed.token(r.cloudId(), BillingModel.Capacity, false, null)));
    assertThat(assertError(capacity, 400, "AgreementNumberRequired").errorTarget()).isEqualTo("properties.registrationToken");
    assertError(r.client().put(r.url(), Seed.body(Seed.token(r.cloudId(), BillingModel.PayAsYouUse, false, null))),
        400, "UsageReportingRequired");
    assertError(r.client().put(r.url(), Seed.body("bm90IGpzb24=")), 400, "InvalidRegistrationToken");
    assertError(r.client().put(r.url(), "{\"location\":\"global\",\"properties\":{}}"), 400, "InvalidRequestContent");
    assertThat(r.client().get(r.url()).body()).as("nothing changed").isEqualTo(before);

    // The same CloudId under another name (a second stamp reusing it) is refused.
    String second = r.path().replace("AzureStackRegistration", "second");
    TestClient.Response reuse = r.client().put(second + "?" + API, Seed.body(Seed.token(r.cloudId(), BillingModel.PayAsYouUse, true, null)));
    assertThat(assertError(reuse, 409, "CloudIdAlreadyRegistered").json().path("error").path("message").asText())
        .isEqualTo("Cloud identifier [" + r.cloudId() + "] is already registered. Reusing cloud identifiers is not allowed.");
    assertThat(r.client().get(second + "?" + API).status()).isEqualTo(404);

    // A subscription that has not registered Microsoft.AzureStack is refused as Resource Manager does.
    TestServer.TestTenant fresh = server.newTenant(Seed.unique("unregistered"));
    String group = "/subscriptions/" + fresh.subscriptionId() + "/resourceGroups/azurestack";
    fresh.client().put(group + "?api-version=2025-04-01", "{\"location\":\"westus\"}");
    TestClient.Response missing = fresh.client().put(group + "/providers/Microsoft.AzureStack/registrations/r?" + API,
        Seed.body(Seed.token(cloud, BillingModel.Development, true, null)));
    assertError(missing, 409, "MissingSubscriptionRegistration");

    // Deleting the registration frees its CloudId for another registration.
    assertThat(r.client().delete(r.url()).status()).isEqualTo(200);
    assertThat(r.client().delete(r.url()).status()).isEqualTo(204);
    assertThat(r.client().put(second + "?" + API, Seed.body(Seed.token(r.cloudId(), BillingModel.PayAsYouUse, true, null)))
        .status()).isEqualTo(201);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void registrationsArePatchedListedAndDeletedWithTheirBridgeRole(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    Seed.Registration r = Seed.registered(server, PARTNER_CENTER, false);
    TestClient.Response empty = r.client().patch(r.url(), "{}");
    assertThat(empty.status()).as(empty.body()).isEqualTo(200);
    assertThat(empty.json().path("properties").path("cloudId").asText()).isEqualTo(r.cloudId());
    TestClient.Response patched = r.client().patch(r.url(), "{\"tags\":{\"stamp\":\"east\"}}");
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json().path("tags").path("stamp").asText()).isEqualTo("east");
    assertThat(patched.json().path("properties").path("cloudId").asText()).isEqualTo(r.cloudId());
    TestClient.Response token = r.client().patch(r.url(), Seed.body(Seed.token(r.cloudId(), BillingModel.Development, true, null)));
    assertThat(token.json().path("properties").path("billingModel").asText()).isEqualTo("Development");

    String sub = "/subscriptions/" + r.subscriptionId();
    var bySub = r.client().get(sub + "/providers/Microsoft.AzureStack/registrations?" + API);
    var byGroup = r.client().get(sub + "/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations?" + API);
    assertThat(bySub.json().path("value")).singleElement().satisfies(v -> assertThat(v.path("id").asText()).isEqualTo(r.path()));
    assertThat(byGroup.json().path("value")).hasSize(1);
    String objectId = bySub.json().path("value").get(0).path("properties").path("objectId").asText();

    assertThat(r.client().delete(r.url()).status()).isEqualTo(200);
    assertError(r.client().get(r.url()), 404, "ResourceNotFound");
    assertThat(r.client().get(sub + "/providers/Microsoft.AzureStack/registrations?" + API).json().path("value")).isEmpty();
    assertThat(server.app().roleAssignments().forPrincipal(objectId)).as("the bridge's role went with it").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theActivationKeyVerifiesAgainstThePublishedKeysAndNamesTheCloudId(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    Seed.Registration r = Seed.registered(server, PARTNER_CENTER, false);
    TestClient.Response key = r.client().post(r.path() + "/getactivationkey?" + API, null);
    assertThat(key.status()).as(key.body()).isEqualTo(200);
    SignedJWT jwt = SignedJWT.parse(key.json().path("activationKey").asText());
    TestClient identity = new TestClient(server.app().url(EndpointRole.IDENTITY), server.app().certificate()).anonymous();
    JWKSet keys = JWKSet.parse(identity.get("/" + server.app().homeTenantId() + "/discovery/v2.0/keys").body());
    RSAKey signer = (RSAKey) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
    assertThat(signer).isNotNull();
    assertThat(jwt.verify(new RSASSAVerifier(signer))).isTrue();
    var claims = jwt.getJWTClaimsSet();
    assertThat(claims.getStringClaim("cloudId")).isEqualTo(r.cloudId());
    assertThat(claims.getStringClaim("registrationId")).isEqualTo(r.path());
    assertThat(claims.getStringClaim("billingModel")).isEqualTo("PayAsYouUse");
    assertThat(claims.getStringClaim("objectId")).isEqualTo(r.client().get(r.url()).json().path("properties").path("objectId").asText());
    assertThat(claims.getBooleanClaim("usageReportingEnabled")).isTrue();
    assertThat(claims.getExpirationTime()).isAfter(new java.util.Date());
    // It is no access token.
    assertThat(server.client().anonymous().withToken(key.json().path("activationKey").asText()).get(r.url()).status())
        .isEqualTo(401);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void onlyTheOperatorApprovesMultiTenancyAndTheDecisionIsRecorded(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    Seed.Registration r = Seed.registered(server, PARTNER_CENTER, false);
    TestClient.Response self = r.client().post(r.path() + "/approveMultiTenancy?" + API, null);
    assertError(self, 403, "AuthorizationFailed");
    assertThat(r.client().get(r.url()).json().path("properties").path("multiTenancyApproved").asBoolean()).isFalse();
    TestClient.Response approved = server.client().post(r.path() + "/approveMultiTenancy?" + API, null);
    assertThat(approved.status()).isEqualTo(200);
    var p = approved.json().path("properties");
    assertThat(p.path("multiTenancyApproved").asBoolean()).isTrue();
    assertThat(p.path("multiTenancyApprovedOn").asText()).isNotBlank();
    assertThat(p.path("multiTenancyApprovedBy").asText())
        .isEqualTo(server.app().directory().principalByAppId(server.admin().clientId()).orElseThrow().objectId());
    // A re-PUT of the registration keeps the approval.
    r.client().put(r.url(), Seed.body(Seed.token(r.cloudId(), BillingModel.PayAsYouUse, true, null)));
    assertThat(r.client().get(r.url()).json().path("properties").path("multiTenancyApproved").asBoolean()).isTrue();
    TestClient.Response revoked = server.client().post(r.path() + "/revokeMultiTenancy?" + API, null);
    assertThat(revoked.json().path("properties").path("multiTenancyApproved").asBoolean()).isFalse();
    assertThat(revoked.json().path("properties").path("multiTenancyRevokedOn").asText()).isNotBlank();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aReaderIsRefusedWritesAnotherTenantAndTheCustomersSeeNothing(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    Seed.Registration r = Seed.registered(server, PARTNER_CENTER, true);
    var reader = server.app().directory().createServicePrincipal(r.partner().tenantId(), "reader", null, null);
    server.app().roleAssignments().assign(UUID.randomUUID().toString(), "/subscriptions/" + r.subscriptionId(),
        RoleDefinition.READER, reader.principal().objectId(), "ServicePrincipal");
    TestClient readerClient = server.client().anonymous().withToken(server.token(reader.principal().appId().orElseThrow(),
        reader.clientSecret(), r.partner().tenantId(), org.stackledger.app.Stackledger.CLOUD_AUDIENCE));
    assertThat(readerClient.get(r.url()).status()).isEqualTo(200);
    String body = Seed.body(Seed.token(r.cloudId(), BillingModel.PayAsYouUse, true, null));
    assertThat(assertError(readerClient.put(r.url(), body), 403, "AuthorizationFailed").json().path("error").path("message")
        .asText()).contains("Microsoft.AzureStack/registrations/write");
    assertError(readerClient.post(r.path() + "/getactivationkey?" + API, null), 403, "AuthorizationFailed");

    TestServer.TestTenant customer = Seed.customer(server, PARTNER_CENTER, r.partnerId());
    assertThat(r.client().put(r.customerSubscription(customer.subscriptionId()), null).status()).isEqualTo(200);
    TestServer.TestTenant stranger = server.newTenant(Seed.unique("stranger"));
    for (TestClient outsider : new TestClient[] {customer.client(), stranger.client()}) {
      for (String path : new String[] {r.url(), r.customerSubscriptions(), r.customerSubscription(customer.subscriptionId()),
          r.history("")}) {
        TestClient.Response answer = outsider.get(path);
        assertError(answer, 404, "SubscriptionNotFound");
        assertThat(answer.body()).doesNotContain(r.cloudId()).doesNotContain(customer.tenantId());
      }
      assertError(outsider.put(r.url(), body), 404, "SubscriptionNotFound");
      assertError(outsider.delete(r.customerSubscription(customer.subscriptionId())), 404, "SubscriptionNotFound");
    }
    assertThat(r.client().get(r.customerSubscriptions()).json().path("value")).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theOperationsListNamesTheProvidersActions(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestServer.TestTenant anyone = server.newTenant(Seed.unique("anyone"));
    TestClient.Response ops = anyone.client().get("/providers/Microsoft.AzureStack/operations?" + API);
    assertThat(ops.status()).isEqualTo(200);
    assertThat(ops.json().path("value").findValuesAsText("name")).contains("Microsoft.AzureStack/registrations/read",
        "Microsoft.AzureStack/registrations/customerSubscriptions/write", "Microsoft.AzureStack/register/action");
    assertThat(server.client().anonymous().get("/providers/Microsoft.AzureStack/operations?" + API).status()).isEqualTo(401);
    Seed.Registration r = Seed.registered(server, PARTNER_CENTER, false);
    assertThat(r.client().get(r.path() + "/products?" + API).json().path("value")).isEmpty();
    assertError(r.client().get(r.path() + "/products/some-image?" + API), 404, "ProductNotFound");
  }
}
