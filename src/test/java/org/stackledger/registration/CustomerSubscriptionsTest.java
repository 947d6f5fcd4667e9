package org.stackledger.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.registration.Seed.API;
import static org.stackledger.testing.ArmCalls.assertError;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.csp.CspSubscriptions;
import org.stackledger.csp.OfferIds;
import org.stackledger.testing.Engine;
import org.stackledger.testing.FakePartnerCenter;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.SteppingClock;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * Mapping customer tenants onto a registration: the PUT forms of the seed doc, one subscription per
 * tenant (replace), remove, the history and the billing query, and each of the eight error codes.
 */
@Tag("storage")
class CustomerSubscriptionsTest {
  private static final FakePartnerCenter PARTNER_CENTER = new FakePartnerCenter();
  private static final SteppingClock CLOCK = new SteppingClock();
  private static final ServerPool SERVERS = new ServerPool(o -> o.withCspSubscriptions(PARTNER_CENTER).withClock(CLOCK));

  @AfterAll
  static void stop() throws Exception {
    SERVERS.close();
  }

  private static Instant billed(TestServer server, Seed.Registration r, String tenant, Instant at, String expected) {
    assertThat(server.app().azureStack().store().billedSubscription(r.cloudId(), tenant, at)).as("billed at %s", at)
        .contains(expected);
    return at;
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aCustomerSubscriptionIsAddedWithOrWithoutATenantIdAndListed(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    Seed.Registration r = Seed.registered(server, PARTNER_CENTER, true);
    TestServer.TestTenant first = Seed.customer(server, PARTNER_CENTER, r.partnerId());
    TestServer.TestTenant second = Seed.customer(server, PARTNER_CENTER, r.partnerId());
    TestServer.TestTenant third = Seed.customer(server, PARTNER_CENTER, r.partnerId());

    TestClient.Response noBody = r.client().put(r.customerSubscription(first.subscriptionId()), null);
    assertThat(noBody.status()).as(noBody.body()).isEqualTo(200);
    assertThat(noBody.json().path("id").asText()).isEqualTo(r.path() + "/customerSubscriptions/" + first.subscriptionId());
    assertThat(noBody.json().path("name").asText()).isEqualTo(first.subscriptionId());
    assertThat(noBody.json().path("type").asText()).isEqualTo("Microsoft.AzureStack/registrations/customerSubscriptions");
    assertThat(noBody.json().path("properties").path("tenantId").asText()).isEqualTo(first.tenantId());
    assertThat(noBody.json().path("etag").asText()).isNotBlank();
    assertThat(r.client().put(r.customerSubscription(second.subscriptionId()), "{\"properties\":{}}").status()).isEqualTo(200);
    TestClient.Response given = r.client().put(r.customerSubscription(third.subscriptionId()),
        "{\"properties\":{\"tenantId\":\"" + third.tenantId().toUpperCase() + "\"}}");
    assertThat(given.status()).as(given.body()).isEqualTo(200);
    assertThat(r.client().put(r.customerSubscription(third.subscriptionId()), null).status()).as("re-PUT").isEqualTo(200);

    TestClient.Response wrong = r.client().put(r.customerSubscription(first.subscriptionId()),
        "{\"properties\":{\"tenantId\":\"" + second.tenantId() + "\"}}");
    assertThat(assertError(wrong, 400, "TenantIdMismatch").errorTarget()).isEqualTo("properties.tenantId");

    assertThat(r.client().get(r.customerSubscriptions()).json().path("value").findValuesAsText("name"))
        .containsExactlyInAnyOrder(first.subscriptionId(), second.subscriptionId(), third.subscriptionId());
    assertThat(r.client().get(r.customerSubscription(second.subscriptionId())).json().path("properties").path("tenantId")
        .asText()).isEqualTo(second.tenantId());
    assertThat(r.client().get(r.history("")).json().path("value")).hasSize(3);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aSecondSubscriptionForATenantReplacesTheFirstAndHistoryKeepsBoth(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    Seed.Registration r = Seed.registered(server, PARTNER_CENTER, true);
    TestServer.TestTenant customer = Seed.customer(server, PARTNER_CENTER, r.partnerId());
    String tenant = customer.tenantId();
    String older = customer.subscriptionId();
    String newer = UUID.randomUUID().toString();
    PARTNER_CENTER.csp(newer, tenant, r.partnerId());

    Instant beforeAny = CLOCK.advance(Duration.ofMinutes(1));
    Instant added = CLOCK.advance(Duration.ofMinutes(1));
    assertThat(r.client().put(r.customerSubscription(older), null).status()).isEqualTo(200);
    Instant replaced = CLOCK.advance(Duration.ofMinutes(7));
    assertThat(r.client().put(r.customerSubscription(newer), null).status()).isEqualTo(200);

    assertError(r.client().get(r.customerSubscription(older)), 404, "CustomerSubscriptionNotFound");
    assertThat(r.client().get(r.customerSubscriptions()).json().path("value").findValuesAsText("name")).containsExactly(newer);
    var history = r.client().get(r.history("tenantId=" + tenant)).json().path("value");
    assertThat(history).hasSize(2);
    assertThat(history.get(0).path("customerSubscriptionId").asText()).isEqualTo(older);
    assertThat(history.get(0).path("effectiveFrom").asText()).isEqualTo(added.toString());
    assertThat(history.get(0).path("effectiveTo").asText()).as("ended at the instant the new one began")
        .isEqualTo(replaced.toString()).isEqualTo(history.get(1).path("effectiveFrom").asText());
    assertThat(history.get(0).path("endedBy").asText()).isEqualTo("Replaced");
    assertThat(history.get(1).path("effectiveTo").isNull()).isTrue();
    assertThat(r.client().get(r.history("at=" + added.plusSeconds(60))).json().path("value").findValuesAsText(
        "customerSubscriptionId")).containsExactly(older);

    billed(server, r, tenant, beforeAny, r.subscriptionId());
    billed(server, r, tenant, added, older);
    billed(server, r, tenant, replaced.minusNanos(1000), older);
    billed(server, r, tenant, replaced, newer);
    billed(server, r, UUID.randomUUID().toString(), replaced, r.subscriptionId());

    Instant removed = CLOCK.advance(Duration.ofMinutes(5));
    assertThat(r.client().delete(r.customerSubscription(newer)).status()).isEqualTo(200);
    assertThat(r.client().delete(r.customerSubscription(newer)).status()).isEqualTo(204);
    var closed = r.client().get(r.history("tenantId=" + tenant)).json().path("value").get(1);
    assertThat(closed.path("effectiveTo").asText()).isEqualTo(removed.toString());
    assertThat(closed.path("endedBy").asText()).isEqualTo("Removed");
    billed(server, r, tenant, removed, r.subscriptionId());
    billed(server, r, tenant, removed.minusSeconds(1), newer);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void deletingTheRegistrationEndsItsMappingsAndBillingFallsToNothing(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    Seed.Registration r = Seed.registered(server, PARTNER_CENTER, true);
    TestServer.TestTenant customer = Seed.customer(server, PARTNER_CENTER, r.partnerId());
    Instant added = CLOCK.advance(Duration.ofMinutes(1));
    r.client().put(r.customerSubscription(customer.subscriptionId()), null);
    Instant deleted = CLOCK.advance(Duration.ofMinutes(1));
    assertThat(r.client().delete(r.url()).status()).isEqualTo(200);
    billed(server, r, customer.tenantId(), added, customer.subscriptionId());
    assertThat(server.app().azureStack().store().billedSubscription(r.cloudId(), customer.tenantId(), deleted)).isEmpty();
    // Registered again under the same name: no mapping carries over, history shows the old one ended.
    r.client().put(r.url(), Seed.body(Seed.token(r.cloudId(), BillingModel.PayAsYouUse, true, null)));
    server.client().post(r.path() + "/approveMultiTenancy?" + API, null);
    var history = r.client().get(r.history("")).json().path("value");
    assertThat(history).singleElement().satisfies(m -> {
      assertThat(m.path("effectiveTo").asText()).isEqualTo(deleted.toString());
      assertThat(m.path("endedBy").asText()).isEqualTo("RegistrationDeleted");
    });
    assertThat(r.client().get(r.customerSubscriptions()).json().path("value")).isEmpty();
  }

  /** Runs a refused request and checks the registration's mappings and history did not move. */
  private static TestClient.Response refusedWithoutChange(Seed.Registration r, Function<TestClient, TestClient.Response> call) {
    String list = r.client().get(r.customerSubscriptions()).body();
    String history = r.client().get(r.history("")).body();
    TestClient.Response answer = call.apply(r.client());
    assertThat(r.client().get(r.customerSubscriptions()).body()).isEqualTo(list);
    assertThat(r.client().get(r.history("")).body()).isEqualTo(history);
    return answer;
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void eachTenantRegistrationErrorCodeIsAnsweredAndChangesNothing(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    Seed.Registration r = Seed.registered(server, PARTNER_CENTER, true);
    TestServer.TestTenant customer = Seed.customer(server, PARTNER_CENTER, r.partnerId());
    TestServer.TestTenant kept = Seed.customer(server, PARTNER_CENTER, r.partnerId());
    assertThat(r.client().put(r.customerSubscription(kept.subscriptionId()), null).status()).isEqualTo(200);
    String sub = customer.subscriptionId();

    TestClient.Response noRegistration = refusedWithoutChange(r, c -> c.put(r.customerSubscription(sub)
        .replace("AzureStackRegistration", "NoSuchRegistration"), null));
    assertThat(assertError(noRegistration, 404, "RegistrationNotFound").json().path("error").path("message").asText())
        .contains("(value provided: " + r.subscriptionId() + ")").contains("(value provided: azurestack)")
        .contains("(value provided: NoSuchRegistration)");

    String otherPartners = UUID.randomUUID().toString();
    PARTNER_CENTER.csp(otherPartners, UUID.randomUUID().toString(), "another-partner");
    assertThat(assertError(refusedWithoutChange(r, c -> c.put(r.customerSubscription(otherPartners), null)), 403,
        "BadCustomerSubscriptionId").json().path("error").path("message").asText())
        .contains(otherPartners).contains("AzureStackRegistration");

    assertError(refusedWithoutChange(r, c -> c.put(r.customerSubscription("not-a-guid"), null)), 400,
        "InvalidCustomerSubscriptionId");
    String unknown = UUID.randomUUID().toString();
    assertThat(assertError(refusedWithoutChange(r, c -> c.put(r.customerSubscription(unknown), null)), 400,
        "InvalidCustomerSubscriptionId").json().path("error").path("message").asText()).contains("'" + unknown + "'");

    assertThat(assertError(refusedWithoutChange(r, c -> c.get(r.customerSubscription(sub))), 404,
        "CustomerSubscriptionNotFound").json().path("error").path("message").asText())
        .contains(sub).contains("AzureStackRegistration");

    String ea = UUID.randomUUID().toString();
    PARTNER_CENTER.add(new CspSubscriptions.CspSubscription(ea, OfferIds.ENTERPRISE_AGREEMENT, customer.tenantId(),
        r.partnerId(), "Active"));
    assertError(refusedWithoutChange(r, c -> c.put(r.customerSubscription(ea), null)), 400, "InvalidCSPSubscription");

    PARTNER_CENTER.down(true);
    try {
      assertError(refusedWithoutChange(r, c -> c.put(r.customerSubscription(sub), null)), 502,
          "MetadataResolverBadGatewayError");
    } finally {
      PARTNER_CENTER.down(false);
    }

    server.client().post(r.path() + "/revokeMultiTenancy?" + API, null);
    assertThat(assertError(refusedWithoutChange(r, c -> c.put(r.customerSubscription(sub), null)), 403,
        "UnauthorizedCspRegistration").json().path("error").path("message").asText())
        .contains("AzureStackRegistration").contains("azstCSP@microsoft.com");

    Seed.Registration capacity = Seed.registered(server, PARTNER_CENTER, BillingModel.Capacity, true);
    PARTNER_CENTER.csp(sub, customer.tenantId(), capacity.partnerId());
    assertError(refusedWithoutChange(capacity, c -> c.put(capacity.customerSubscription(sub), null)), 409,
        "CustomerSubscriptionsNotAllowed");
    assertThat(r.client().get(r.customerSubscriptions()).json().path("value").findValuesAsText("name"))
        .containsExactly(kept.subscriptionId());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void partnerCenterThatCannotBeReachedAnswers502AndChangesNothing(Engine engine) throws Exception {
    // The real Partner Center client, pointed at a port where nothing listens.
    int dead;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    String nowhere = "https://127.0.0.1:" + dead + "/";
    var unreachable = new org.stackledger.partnercenter.PartnerCenterClient(
        new org.stackledger.partnercenter.PartnerCenterClient.Settings(nowhere, nowhere, UUID.randomUUID().toString(),
            UUID.randomUUID().toString(), "x".repeat(20), org.stackledger.app.Stackledger.PARTNER_CENTER_AUDIENCE,
            null, java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(5)));
    try (TestServer server = TestServer.start(engine, o -> o.withCspSubscriptions(unreachable))) {
      Seed.Registration r = Seed.registered(server, new FakePartnerCenter(), true);
      assertError(r.client().put(r.customerSubscription(UUID.randomUUID().toString()), null), 502,
          "MetadataResolverBadGatewayError");
      assertThat(r.client().get(r.customerSubscriptions()).json().path("value")).isEmpty();
    }
  }
}
