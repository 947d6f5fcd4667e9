package org.stackledger.partnercenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.stackledger.testing.TestPartner.API;
import static org.stackledger.testing.TestPartner.BASE;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stackledger.access.RoleDefinition;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.csp.CspSubscriptions;
import org.stackledger.csp.OfferIds;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestPartner;
import org.stackledger.testing.TestServer;

/** Partner Center over real HTTPS: partners, customers, orders, the cloud ARM view, the look-up client. */
class PartnerCenterApiTest {
  private static final String SUBS_API = "?api-version=2022-12-01";
  private static TestServer server;
  private static TestPartner direct;
  private static TestPartner other;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2);
    direct = TestPartner.create(server, "Direct", null);
    other = TestPartner.create(server, "Direct", null);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static void assertPcError(TestClient.Response r, int status, String errorName) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.json().path("errorName").asText()).as(r.body()).isEqualTo(errorName);
    assertThat(r.json().path("source").asText()).isEqualTo("PartnerFD");
    assertThat(r.json().path("code").isInt()).isTrue();
    assertThat(r.json().path("data").isArray()).isTrue();
  }

  @Test
  void aPartnerMakesACustomerBuysACspSubscriptionAndManagesItOnTheCloud() throws Exception {
    TestClient.Response made = direct.newCustomer("Fabrikam Ltd");
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    JsonNode customer = made.json();
    String customerId = customer.path("id").asText();
    assertThat(customer.path("companyProfile").path("tenantId").asText()).isEqualTo(customerId);
    assertThat(customer.path("companyProfile").path("companyName").asText()).isEqualTo("Fabrikam Ltd");
    assertThat(customer.path("attributes").path("objectType").asText()).isEqualTo("Customer");
    assertThat(server.app().directory().tenant(customerId)).isPresent();

    JsonNode list = direct.pc().get("/v1/customers").json();
    assertThat(list.path("attributes").path("objectType").asText()).isEqualTo("Collection");
    assertThat(list.path("items").findValuesAsText("id")).contains(customerId);
    assertThat(list.path("totalCount").asInt()).isEqualTo(list.path("items").size());
    assertThat(direct.pc().get("/v1/customers/" + customerId).json().path("companyProfile").path("domain").asText())
        .isEqualTo(customer.path("companyProfile").path("domain").asText());

    TestClient.Response order = direct.orderCsp(customerId, "Fabrikam Azure Stack");
    assertThat(order.status()).as(order.body()).isEqualTo(201);
    assertThat(order.json().path("status").asText()).isEqualTo("completed");
    assertThat(order.json().path("attributes").path("objectType").asText()).isEqualTo("Order");
    String subscriptionId = order.json().path("lineItems").path(0).path("subscriptionId").asText();
    assertThat(direct.pc().get("/v1/customers/" + customerId + "/orders/" + order.json().path("id").asText()).status())
        .isEqualTo(200);

    JsonNode sub = direct.pc().get("/v1/customers/" + customerId + "/subscriptions/" + subscriptionId).json();
    assertThat(sub.path("id").asText()).isEqualTo(subscriptionId);
    assertThat(sub.path("offerId").asText()).isEqualTo(OfferIds.CSP);
    assertThat(sub.path("status").asText()).isEqualTo("active");
    assertThat(sub.path("partnerId").asText()).isEqualTo(direct.partnerId());
    assertThat(sub.path("friendlyName").asText()).isEqualTo("Fabrikam Azure Stack");
    assertThat(direct.pc().get("/v1/customers/" + customerId + "/subscriptions").json().path("items")
        .findValuesAsText("id")).containsExactly(subscriptionId);

    // The Partner Center id is the Azure id: the cloud ARM endpoint shows it in the customer's tenant,
    // to the partner's admin signed in to that tenant as a guest (admin on behalf of).
    TestClient.Response arm = direct.arm(customerId).get("/subscriptions/" + subscriptionId + SUBS_API);
    assertThat(arm.status()).as(arm.body()).isEqualTo(200);
    assertThat(arm.json().path("tenantId").asText()).isEqualTo(customerId);
    assertThat(arm.json().path("state").asText()).isEqualTo("Enabled");
    assertThat(direct.arm(customerId).put("/subscriptions/" + subscriptionId + "/resourceGroups/rg?api-version=2025-04-01",
        "{\"location\":\"westus\"}").status()).as("Owner through AOBO").isEqualTo(201);

    // The customer's own principal sees it once given a role.
    var own = server.app().directory().createServicePrincipal(customerId, "fabrikam admin", null, null);
    TestClient mine = new TestClient(server.app().url(EndpointRole.CLOUD_ARM), server.app().certificate())
        .withToken(server.token(own.principal().appId().orElseThrow(), own.clientSecret(), customerId,
            Stackledger.CLOUD_AUDIENCE));
    assertThat(mine.get("/subscriptions/" + subscriptionId + SUBS_API).status()).isEqualTo(404);
    server.app().roleAssignments().assign(UUID.randomUUID().toString(), "/subscriptions/" + subscriptionId,
        RoleDefinition.READER, own.principal().objectId(), "ServicePrincipal");
    assertThat(mine.get("/subscriptions/" + subscriptionId + SUBS_API).json().path("tenantId").asText()).isEqualTo(customerId);

    // Another partner learns nothing and changes nothing.
    for (String path : new String[] {"/v1/customers/" + customerId, "/v1/customers/" + customerId + "/subscriptions",
        "/v1/customers/" + customerId + "/subscriptions/" + subscriptionId}) {
      TestClient.Response r = other.pc().get(path);
      assertThat(r.status()).as(path).isEqualTo(404);
      assertThat(r.body()).doesNotContain("Fabrikam").doesNotContain(direct.partnerId());
    }
    assertPcError(other.orderCsp(customerId, "stolen"), 404, "CustomerNotFound");
    assertPcError(other.pc().patch("/v1/customers/" + customerId + "/subscriptions/" + subscriptionId,
        "{\"status\":\"suspended\"}"), 404, "CustomerNotFound");
    assertThat(other.pc().get("/v1/customers").json().path("items").findValuesAsText("id")).doesNotContain(customerId);
    assertThat(direct.pc().get("/v1/customers/" + customerId + "/subscriptions").json().path("totalCount").asInt()).isEqualTo(1);
    assertThat(server.app().cspSubscriptions().find(subscriptionId).orElseThrow().status()).isEqualTo("Active");
  }

  @Test
  void aCallerWhoseTenantIsNoPartnerGets403AndTheLookupIsThePlatforms() throws Exception {
    var tenant = server.newTenant("plain-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local");
    TestClient notPartner = new TestClient(server.app().url(EndpointRole.PARTNER_CENTER), server.app().certificate())
        .withToken(server.token(tenant.clientId(), tenant.clientSecret(), tenant.tenantId(), Stackledger.PARTNER_CENTER_AUDIENCE));
    assertPcError(notPartner.get("/v1/customers"), 403, "PartnerNotFound");
    assertPcError(notPartner.post("/v1/customers", "{\"companyProfile\":{\"domain\":\"x-" + UUID.randomUUID()
        .toString().substring(0, 8) + ".onmicrosoft.local\"},\"billingProfile\":{\"companyName\":\"X\"}}"), 403, "PartnerNotFound");
    assertThat(direct.pc().get("/internal/v1/subscriptions/" + UUID.randomUUID()).status()).isEqualTo(403);
    assertThat(server.client(EndpointRole.PARTNER_CENTER).get("/internal/v1/subscriptions/" + UUID.randomUUID()).status())
        .as("the operator may ask").isEqualTo(404);
    TestClient anonymous = new TestClient(server.app().url(EndpointRole.PARTNER_CENTER), server.app().certificate()).anonymous();
    TestClient.Response r = anonymous.get("/v1/customers");
    assertPcError(r, 401, r.json().path("errorName").asText());
    assertThat(r.header("WWW-Authenticate")).isNotNull();
    // The partner's admin is no operator.
    TestClient partnerArm = direct.arm(direct.tenantId());
    assertThat(partnerArm.get(BASE + "/partners" + API).status()).isEqualTo(403);
    assertThat(partnerArm.put(BASE + "/subscriptions/" + UUID.randomUUID() + API, "{\"properties\":{}}").status()).isEqualTo(403);
  }

  @Test
  void anIndirectResellersSubscriptionsRollUpToItsProvider() {
    TestPartner provider = TestPartner.create(server, "IndirectProvider", null);
    TestPartner reseller = TestPartner.create(server, "IndirectReseller", provider.partnerId());
    String customerId = reseller.newCustomer("Tailspin").json().path("id").asText();
    String subscriptionId = reseller.orderCsp(customerId, "tailspin").json().path("lineItems").path(0)
        .path("subscriptionId").asText();
    JsonNode sub = reseller.pc().get("/v1/customers/" + customerId + "/subscriptions/" + subscriptionId).json();
    assertThat(sub.path("partnerId").asText()).isEqualTo(reseller.partnerId());
    assertThat(sub.path("billingPartnerId").asText()).isEqualTo(provider.partnerId());
    CspSubscriptions.CspSubscription found = server.app().cspSubscriptions().find(subscriptionId).orElseThrow();
    assertThat(found).isEqualTo(new CspSubscriptions.CspSubscription(subscriptionId, OfferIds.CSP, customerId,
        provider.partnerId(), "Active"));
    assertThat(found.isCsp()).isTrue();
    assertThat(provider.pc().get("/v1/customers/" + customerId).status()).as("the provider does not sell to it").isEqualTo(404);

    JsonNode partner = server.client().get(BASE + "/partners/" + reseller.partnerId() + API).json().path("properties");
    assertThat(partner.path("kind").asText()).isEqualTo("IndirectReseller");
    assertThat(partner.path("billingPartnerId").asText()).isEqualTo(provider.partnerId());
    assertThat(partner.has("adminClientSecret")).as("the secret is shown once").isFalse();
    var refused = server.client().put(BASE + "/partners/" + UUID.randomUUID() + API, "{\"properties\":{\"displayName\":"
        + "\"r\",\"kind\":\"IndirectReseller\",\"domain\":\"r-" + UUID.randomUUID().toString().substring(0, 8)
        + ".onmicrosoft.local\",\"indirectProviderId\":\"" + direct.partnerId() + "\"}}");
    assertThat(refused.status()).isEqualTo(400);
    assertThat(refused.errorTarget()).isEqualTo("properties.indirectProviderId");
  }

  @Test
  void theOperatorMakesSharedServicesAndSuspensionShowsInBothApis() {
    String id = UUID.randomUUID().toString();
    var made = server.client().put(BASE + "/subscriptions/" + id + API, "{\"properties\":{\"offerId\":\"MS-AZR-0145P-SS\","
        + "\"tenantId\":\"" + direct.domain() + "\",\"partnerId\":\"" + direct.partnerId() + "\",\"ownerObjectId\":\""
        + direct.objectId() + "\",\"displayName\":\"shared services\"}}");
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    assertThat(made.json().path("properties").path("offerName").asText()).isEqualTo("Azure Partner Shared Services");
    TestClient partnerArm = direct.arm(direct.tenantId());
    assertThat(partnerArm.get("/subscriptions/" + id + SUBS_API).json().path("tenantId").asText()).isEqualTo(direct.tenantId());
    assertThat(server.app().cspSubscriptions().find(id).orElseThrow())
        .isEqualTo(new CspSubscriptions.CspSubscription(id, OfferIds.PARTNER_SHARED_SERVICES, direct.tenantId(),
            direct.partnerId(), "Active"));
    assertThat(server.client().put(BASE + "/subscriptions/" + id + API, "{\"properties\":{\"offerId\":\"MS-AZR-0017P\","
        + "\"tenantId\":\"" + direct.domain() + "\",\"partnerId\":\"" + direct.partnerId() + "\"}}").status()).isEqualTo(409);

    // A CSP subscription: the partner suspends it in Partner Center, the operator deletes it.
    String customerId = direct.newCustomer("Wingtip").json().path("id").asText();
    String sub = direct.orderCsp(customerId, "wingtip").json().path("lineItems").path(0).path("subscriptionId").asText();
    String pcPath = "/v1/customers/" + customerId + "/subscriptions/" + sub;
    assertThat(direct.pc().patch(pcPath, "{\"status\":\"suspended\"}").json().path("status").asText()).isEqualTo("suspended");
    assertThat(direct.arm(customerId).get("/subscriptions/" + sub + SUBS_API).json().path("state").asText()).isEqualTo("Disabled");
    String group = "/subscriptions/" + sub + "/resourceGroups/while-suspended?api-version=2025-04-01";
    var refused = direct.arm(customerId).put(group, "{\"location\":\"westus\"}");
    assertThat(refused.status()).as("a disabled subscription is read-only").isEqualTo(409);
    assertThat(refused.errorCode()).isEqualTo("ReadOnlyDisabledSubscription");
    assertThat(direct.arm(customerId).get(group).status()).as("and nothing was made").isEqualTo(404);
    assertThat(server.app().cspSubscriptions().find(sub).orElseThrow().status()).isEqualTo("Suspended");
    assertThat(server.client().post(BASE + "/subscriptions/" + sub + "/reactivate" + API, null).json().path("properties")
        .path("state").asText()).isEqualTo("Enabled");
    assertThat(direct.pc().get(pcPath).json().path("status").asText()).isEqualTo("active");
    assertThat(direct.arm(customerId).put(group, "{\"location\":\"westus\"}").status())
        .as("re-enabled, it takes changes again").isEqualTo(201);
    assertThat(server.client().post(BASE + "/subscriptions/" + sub + "/suspend" + API, null).json().path("properties")
        .path("status").asText()).isEqualTo("suspended");
    assertThat(server.client().delete(BASE + "/subscriptions/" + sub + API).status()).isEqualTo(200);
    assertThat(server.client().delete(BASE + "/subscriptions/" + sub + API).status()).isEqualTo(204);
    assertThat(server.client().get("/subscriptions/" + sub + SUBS_API).json().path("state").asText()).isEqualTo("Deleted");
    assertThat(direct.pc().get(pcPath).json().path("status").asText()).isEqualTo("deleted");
    assertThat(server.client().post(BASE + "/subscriptions/" + sub + "/reactivate" + API, null).status()).isEqualTo(409);
    assertPcError(direct.pc().patch(pcPath, "{\"status\":\"active\"}"), 409, "SubscriptionDeleted");
    assertThat(server.app().cspSubscriptions().find(sub).orElseThrow().status()).isEqualTo("Deleted");
  }

  @Test
  void validationErrorsNameTheFieldAndChangeNothing() {
    var tenantsBefore = server.app().directory().tenants().size();
    TestClient.Response noDomain = direct.pc().post("/v1/customers", "{\"billingProfile\":{\"companyName\":\"X\"}}");
    assertPcError(noDomain, 400, "InvalidInput");
    assertThat(noDomain.json().path("data").path(0).asText()).isEqualTo("companyProfile.domain");
    assertThat(noDomain.json().path("description").asText()).contains("companyProfile.domain");
    TestClient.Response noName = direct.pc().post("/v1/customers", "{\"companyProfile\":{\"domain\":\"n-"
        + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local\"}}");
    assertThat(noName.json().path("data").path(0).asText()).isEqualTo("billingProfile.companyName");
    TestClient.Response badDomain = direct.pc().post("/v1/customers", "{\"companyProfile\":{\"domain\":\"no spaces.local\"},"
        + "\"billingProfile\":{\"companyName\":\"X\"}}");
    assertThat(badDomain.status()).isEqualTo(400);
    assertThat(badDomain.json().path("data").path(0).asText()).isEqualTo("companyProfile.domain");
    TestClient.Response taken = direct.pc().post("/v1/customers", "{\"companyProfile\":{\"domain\":\"" + other.domain()
        + "\"},\"billingProfile\":{\"companyName\":\"X\"}}");
    assertPcError(taken, 409, "DomainAlreadyExists");
    assertThat(server.app().directory().tenants()).hasSize(tenantsBefore);

    String customerId = direct.newCustomer("Litware").json().path("id").asText();
    String orders = "/v1/customers/" + customerId + "/orders";
    TestClient.Response badOffer = direct.pc().post(orders, "{\"lineItems\":[{\"offerId\":\"MS-AZR-0145P\"},"
        + "{\"offerId\":\"MS-AZR-0017P\"}]}");
    assertPcError(badOffer, 400, "InvalidOffer");
    assertThat(badOffer.json().path("data").path(0).asText()).isEqualTo("lineItems[1].offerId");
    assertThat(direct.pc().post(orders, "{\"lineItems\":[]}").json().path("data").path(0).asText()).isEqualTo("lineItems");
    assertThat(direct.pc().post(orders, "{\"lineItems\":[{\"offerId\":\"MS-AZR-0145P\",\"quantity\":2}]}").json()
        .path("data").path(0).asText()).isEqualTo("lineItems[0].quantity");
    assertThat(direct.pc().post(orders, "{\"referenceCustomerId\":\"" + UUID.randomUUID() + "\",\"lineItems\":[{\"offerId\":"
        + "\"MS-AZR-0145P\"}]}").json().path("data").path(0).asText()).isEqualTo("referenceCustomerId");
    TestClient.Response foreignTenant = direct.pc().post(orders, "{\"lineItems\":[{\"offerId\":\"MS-AZR-0145P\",\"tenantId\":\""
        + direct.tenantId() + "\"}]}");
    assertPcError(foreignTenant, 400, "InvalidTenant");
    assertThat(foreignTenant.json().path("data").path(0).asText()).isEqualTo("lineItems[0].tenantId");
    assertPcError(direct.pc().post(orders, "{not json"), 400, "InvalidRequestContent");
    assertThat(direct.pc().get("/v1/customers/" + customerId + "/subscriptions").json().path("totalCount").asInt()).isZero();
    assertThat(direct.pc().get(orders).json().path("totalCount").asInt()).isZero();

    var noOffer = server.client().put(BASE + "/subscriptions/" + UUID.randomUUID() + API, "{\"properties\":{\"tenantId\":\""
        + direct.domain() + "\",\"partnerId\":\"" + direct.partnerId() + "\"}}");
    assertThat(noOffer.status()).isEqualTo(400);
    assertThat(noOffer.errorTarget()).isEqualTo("properties.offerId");
    var csp = server.client().put(BASE + "/subscriptions/" + UUID.randomUUID() + API, "{\"properties\":{\"offerId\":"
        + "\"MS-AZR-0145P\",\"tenantId\":\"" + direct.domain() + "\",\"partnerId\":\"" + direct.partnerId() + "\"}}");
    assertThat(csp.errorTarget()).isEqualTo("properties.offerId");
  }

  @Test
  void aCustomerWithSeveralTenantsHasSubscriptionsInEach() {
    String customerId = direct.newCustomer("Northwind").json().path("id").asText();
    String second = "northwind-eu-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local";
    var added = server.client().put(BASE + "/customers/" + customerId + "/tenants/" + second + API, null);
    assertThat(added.status()).as(added.body()).isEqualTo(201);
    String secondId = added.json().path("properties").path("tenantId").asText();
    assertThat(server.client().put(BASE + "/customers/" + customerId + "/tenants/" + secondId + API, null).status())
        .isEqualTo(200);
    assertThat(server.client().put(BASE + "/customers/" + customerId + "/tenants/" + direct.domain() + API, null).status())
        .as("a partner's own tenant").isEqualTo(409);
    var tenantIds = new java.util.ArrayList<String>();
    direct.pc().get("/v1/customers/" + customerId).json().path("tenantIds").forEach(t -> tenantIds.add(t.asText()));
    assertThat(tenantIds).containsExactlyInAnyOrder(customerId, secondId);
    var order = direct.pc().post("/v1/customers/" + customerId + "/orders", "{\"lineItems\":[{\"offerId\":\"MS-AZR-0145P\"},"
        + "{\"offerId\":\"MS-AZR-0145P\",\"tenantId\":\"" + second + "\",\"friendlyName\":\"EU\"}]}");
    assertThat(order.status()).as(order.body()).isEqualTo(201);
    String first = order.json().path("lineItems").path(0).path("subscriptionId").asText();
    String eu = order.json().path("lineItems").path(1).path("subscriptionId").asText();
    assertThat(server.app().cspSubscriptions().find(first).orElseThrow().tenantId()).isEqualTo(customerId);
    assertThat(server.app().cspSubscriptions().find(eu).orElseThrow().tenantId()).isEqualTo(secondId);
    assertThat(direct.arm(secondId).get("/subscriptions/" + eu + SUBS_API).json().path("tenantId").asText()).isEqualTo(secondId);
    assertThat(direct.pc().get("/v1/customers/" + customerId + "/subscriptions").json().path("totalCount").asInt()).isEqualTo(2);
  }

  @Test
  void theLookupClientAnswersEmptyForUnknownIdsAndUnavailableWhenTheEndpointIsDead() throws Exception {
    assertThat(server.app().cspSubscriptions().find(UUID.randomUUID().toString())).isEmpty();
    assertThat(server.app().cspSubscriptions().find(server.app().operatorSubscriptionId()))
        .as("made outside Partner Center").isEmpty();
    assertThat(server.app().cspSubscriptions().find("not-a-guid")).isEmpty();
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    PartnerCenterClient client = new PartnerCenterClient(new PartnerCenterClient.Settings("https://127.0.0.1:" + dead + "/",
        "https://127.0.0.1:" + dead + "/", server.app().homeTenantId(), UUID.randomUUID().toString(), "x".repeat(20),
        Stackledger.PARTNER_CENTER_AUDIENCE, server.app().certificate(), Duration.ofSeconds(2), Duration.ofSeconds(5)));
    long started = System.nanoTime();
    assertThatThrownBy(() -> client.find(UUID.randomUUID().toString()))
        .isInstanceOf(CspSubscriptions.UnavailableException.class);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    // A wrong secret at a live identity endpoint is also "cannot ask", never "unknown".
    PartnerCenterClient wrong = new PartnerCenterClient(new PartnerCenterClient.Settings(
        server.app().url(EndpointRole.PARTNER_CENTER), server.app().url(EndpointRole.IDENTITY), server.app().homeTenantId(),
        server.admin().clientId(), "wrong-secret-wrong-secret", Stackledger.PARTNER_CENTER_AUDIENCE,
        server.app().certificate(), Duration.ofSeconds(2), Duration.ofSeconds(5)));
    assertThatThrownBy(() -> wrong.find(UUID.randomUUID().toString())).isInstanceOf(CspSubscriptions.UnavailableException.class);
  }
}
