package org.stackledger.usersubscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;
import static org.stackledger.usersubscriptions.Stack.V;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.arm.Subscription;
import org.stackledger.testing.Engine;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;
import org.stackledger.usersubscriptions.UserSubscriptions.UserSubscription;

/**
 * User subscriptions: the operator makes them from offers for a directory tenant, its owner then sees
 * and uses them, other tenants cannot tell they exist, delegated providers have their own direct
 * tenants, and a deleted subscription stays for its usage.
 */
@Tag("storage")
class UserSubscriptionsTest {
  private static final String SUBS = "/subscriptions?api-version=2015-11-01";
  private static final ServerPool SERVERS = new ServerPool();

  @AfterAll
  static void stop() throws Exception {
    SERVERS.close();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theOperatorMakesASubscriptionFromAnOfferAndItsOwnerUsesIt(Engine engine) throws Exception {
    Stack s = Stack.of(SERVERS.get(engine));
    String offer = s.publicOffer("silver", "Public");
    Stack.Guest g = s.guest();
    String id = UUID.randomUUID().toString();
    TestClient.Response made = s.admin().put(s.subscription(id.toUpperCase()) + V,
        Stack.body(g.upn(), g.tenant().tenantId().toUpperCase(), offer));
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    assertThat(made.json().path("subscriptionId").asText()).isEqualTo(id);
    assertThat(made.json().path("state").asText()).isEqualTo("Enabled");
    assertThat(made.json().path("tenantId").asText()).isEqualTo(g.tenant().tenantId());
    assertThat(made.json().path("offerId").asText()).isEqualTo(offer);
    assertThat(made.json().path("delegatedProviderSubscriptionId").isNull()).isTrue();
    assertThat(made.header("ETag")).isNotBlank();

    UserSubscription stored = s.server().app().userSubscriptions().find(id.toUpperCase()).orElseThrow();
    assertThat(stored.subscriptionId()).isEqualTo(id);
    assertThat(stored.providerSubscriptionId()).isEqualTo(s.operator());
    assertThat(stored.owner()).isEqualTo(g.upn());
    assertThat(s.server().app().userSubscriptions().isDirectTenant(s.operator(), id)).isTrue();
    Subscription arm = s.server().app().cloudArm().subscriptions().find(id).orElseThrow();
    assertThat(arm.tenantId()).isEqualTo(g.tenant().tenantId());
    assertThat(arm.state()).isEqualTo(Subscription.State.Enabled);

    TestClient tenantArm = s.asUser(g, EndpointRole.STACK_TENANT_ARM);
    TestClient.Response mine = tenantArm.get(SUBS);
    assertThat(mine.status()).as(mine.body()).isEqualTo(200);
    assertThat(mine.json().path("value").findValuesAsText("subscriptionId")).containsExactly(id);
    TestClient.Response one = tenantArm.get("/subscriptions/" + id + "?api-version=2015-11-01");
    assertThat(one.status()).isEqualTo(200);
    assertThat(one.json().path("id").asText()).isEqualTo("/subscriptions/" + id);
    assertThat(one.json().path("offerId").asText()).isEqualTo(offer);
    assertThat(one.json().path("displayName").asText()).isEqualTo("Uma's subscription");

    // The owner's role works through ARM: a resource group in the subscription, until it is disabled.
    TestClient cloud = s.asUser(g, EndpointRole.CLOUD_ARM);
    assertThat(cloud.put("/subscriptions/" + id + "/resourceGroups/apps?api-version=2025-04-01",
        "{\"location\":\"local\"}").status()).isEqualTo(201);
    TestClient.Response disabled = s.admin().put(s.subscription(id) + V, "{\"state\":\"Disabled\"}");
    assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
    assertThat(disabled.json().path("owner").asText()).as("unchanged fields stay").isEqualTo(g.upn());
    assertError(cloud.put("/subscriptions/" + id + "/resourceGroups/more?api-version=2025-04-01",
        "{\"location\":\"local\"}"), 409, "ReadOnlyDisabledSubscription");
    assertThat(tenantArm.get("/subscriptions/" + id + "?api-version=2015-11-01").json().path("state").asText())
        .isEqualTo("Disabled");
    assertThat(s.admin().get(s.subscription(id) + V).json().path("state").asText()).isEqualTo("Disabled");
    assertThat(s.admin().get("/subscriptions/" + s.operator() + Stack.PROVIDER + "/subscriptions" + V).json()
        .path("value").findValuesAsText("subscriptionId")).contains(id);
    assertThat(s.admin().get(SUBS).json().path("value").findValuesAsText("subscriptionId"))
        .as("the operator sees its own and the user subscriptions").contains(s.operator(), id);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anotherTenantCannotTellTheSubscriptionExists(Engine engine) throws Exception {
    Stack s = Stack.of(SERVERS.get(engine));
    String offer = s.publicOffer("bronze", "Public");
    Stack.Guest a = s.guest();
    Stack.Guest b = s.guest();
    String id = s.subscribe(a, offer, null);
    s.subscribe(b, offer, null);

    for (TestClient other : List.of(s.asUser(b, EndpointRole.STACK_TENANT_ARM),
        s.asPrincipal(b.tenant(), EndpointRole.STACK_TENANT_ARM),
        s.asPrincipal(a.tenant(), EndpointRole.STACK_TENANT_ARM))) {
      TestClient.Response list = other.get(SUBS);
      assertThat(list.status()).isEqualTo(200);
      assertThat(list.body()).doesNotContain(id);
      TestClient.Response one = other.get("/subscriptions/" + id + "?api-version=2015-11-01");
      assertError(one, 404, "SubscriptionNotFound");
      assertThat(one.body()).doesNotContain(a.tenant().tenantId());
    }
    TestClient.Response put = s.asUser(b, EndpointRole.STACK_ADMIN_ARM).put(s.subscription(id) + V, "{\"state\":\"Disabled\"}");
    assertError(put, 403, "AuthorizationFailed");
    assertThat(s.server().app().userSubscriptions().find(id).orElseThrow().state()).isEqualTo("Enabled");
  }

  record Refusal(String what, String body, String code, String target) {}

  @ParameterizedTest
  @EnumSource(Engine.class)
  void everyInvalidSubscriptionIsRefusedNamingItsFieldAndChangesNothing(Engine engine) throws Exception {
    Stack s = Stack.of(SERVERS.get(engine));
    String offer = s.publicOffer("copper", "Public");
    String retired = s.publicOffer("retired", "Decommissioned");
    Stack.Guest g = s.guest();
    String upn = g.upn();
    String tenant = g.tenant().tenantId();
    String stranger = s.server().newTenant("stranger-" + UUID.randomUUID().toString().substring(0, 8)
        + ".onmicrosoft.local").tenantId();
    for (Refusal r : List.of(
        new Refusal("no owner", "{\"displayName\":\"x\",\"tenantId\":\"" + tenant + "\",\"offerId\":\"" + offer + "\"}",
            "InvalidRequestContent", "owner"),
        new Refusal("an owner that is no UPN", Stack.body("uma", tenant, offer), "InvalidOwner", "owner"),
        new Refusal("a tenant that is no GUID", Stack.body(upn, "contoso", offer), "InvalidTenantId", "tenantId"),
        new Refusal("a directory not onboarded", Stack.body(upn, stranger, offer), "DirectoryTenantNotOnboarded",
            "tenantId"),
        new Refusal("an unknown offer", Stack.body(upn, tenant, offer + "-missing"), "OfferNotFound", "offerId"),
        new Refusal("a plan as the offer", Stack.body(upn, tenant, s.plan("copper-plan")), "OfferNotFound", "offerId"),
        new Refusal("a decommissioned offer", Stack.body(upn, tenant, retired), "OfferDecommissioned", "offerId"),
        new Refusal("a billing state", Stack.body(upn, tenant, offer).replace("}", ",\"state\":\"Warned\"}"),
            "InvalidSubscriptionState", "state"),
        new Refusal("created deleted", Stack.body(upn, tenant, offer).replace("}", ",\"state\":\"Deleted\"}"),
            "InvalidSubscriptionState", "state"),
        new Refusal("an unknown delegated provider", Stack.body(upn, tenant, offer)
            .replace("}", ",\"delegatedProviderSubscriptionId\":\"" + UUID.randomUUID() + "\"}"),
            "DelegatedProviderNotFound", "delegatedProviderSubscriptionId"),
        new Refusal("another id in the body, inside properties", "{\"properties\":" + Stack.body(upn, tenant, offer)
            .replace("}", ",\"subscriptionId\":\"" + UUID.randomUUID() + "\"}") + "}", "SubscriptionIdMismatch",
            "properties.subscriptionId"))) {
      String id = UUID.randomUUID().toString();
      TestClient.Response refused = s.admin().put(s.subscription(id) + V, r.body());
      assertThat(assertError(refused, 400, r.code()).errorTarget()).as(r.what()).isEqualTo(r.target());
      assertThat(s.server().app().userSubscriptions().find(id)).as(r.what()).isEmpty();
      assertThat(s.server().app().cloudArm().subscriptions().find(id)).as(r.what()).isEmpty();
    }

    String id = s.subscribe(g, offer, null);
    String before = s.admin().get(s.subscription(id) + V).body();
    String other = s.guest().tenant().tenantId();
    assertThat(assertError(s.admin().put(s.subscription(id) + V, "{\"tenantId\":\"" + other + "\"}"), 400,
        "PropertyChangeNotAllowed").errorTarget()).isEqualTo("tenantId");
    assertThat(assertError(s.admin().put(s.subscription(id) + V, "{\"offerId\":\"" + retired + "\"}"), 400,
        "OfferDecommissioned").errorTarget()).isEqualTo("offerId");
    assertError(s.admin().send("PUT", s.subscription(id) + V, "{\"state\":\"Disabled\"}",
        Map.of("Content-Type", "application/json", "If-Match", "\"stale\"")), 412, "PreconditionFailed");
    assertThat(s.admin().get(s.subscription(id) + V).body()).isEqualTo(before);
    assertThat(s.server().app().userSubscriptions().history(id)).extracting(UserSubscriptions.StateChange::state)
        .containsExactly("Enabled");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aDelegatedProvidersTenantsAreItsDirectTenantsAndNotTheOperators(Engine engine) throws Exception {
    Stack s = Stack.of(SERVERS.get(engine));
    String offer = s.publicOffer("reseller", "Public");
    UserSubscriptions store = s.server().app().userSubscriptions();
    String p1 = s.subscribe(s.guest(), offer, null);
    String p2 = s.subscribe(s.guest(), offer, null);
    String p3 = s.subscribe(s.guest(), offer, p1);
    String p4 = s.subscribe(s.guest(), offer, p1.toUpperCase());
    String p5 = s.subscribe(s.guest(), offer, p3);

    assertThat(store.isDirectTenant(s.operator(), p1)).isTrue();
    assertThat(store.isDirectTenant(s.operator(), p2)).isTrue();
    assertThat(store.isDirectTenant(s.operator(), p3)).as("P1's tenant, not the operator's").isFalse();
    assertThat(store.isDirectTenant(p1, p3)).isTrue();
    assertThat(store.isDirectTenant(p1.toUpperCase(), p4.toUpperCase())).isTrue();
    assertThat(store.isDirectTenant(p1, p5)).as("a tenant of P1's tenant").isFalse();
    assertThat(store.isDirectTenant(p3, p5)).isTrue();
    assertThat(store.isDirectTenant(p2, p3)).isFalse();
    assertThat(store.directTenants(p1)).extracting(UserSubscription::subscriptionId).containsExactlyInAnyOrder(p3, p4);
    assertThat(store.find(p4).orElseThrow().delegatedProviderSubscriptionId()).isEqualTo(p1);
    assertThat(s.admin().get(s.subscription(p3) + V).json().path("providerSubscriptionId").asText()).isEqualTo(p1);

    assertThat(assertError(s.admin().put(s.subscription(p3) + V, "{\"delegatedProviderSubscriptionId\":\"" + p2 + "\"}"),
        400, "PropertyChangeNotAllowed").errorTarget()).isEqualTo("delegatedProviderSubscriptionId");
    assertThat(s.admin().put(s.subscription(p2) + V, "{\"state\":\"Disabled\"}").status()).isEqualTo(200);
    String id = UUID.randomUUID().toString();
    Stack.Guest g = s.guest();
    TestClient.Response refused = s.admin().put(s.subscription(id) + V, Stack.body(g.upn(), g.tenant().tenantId(), offer)
        .replace("}", ",\"delegatedProviderSubscriptionId\":\"" + p2 + "\"}"));
    assertThat(assertError(refused, 400, "DelegatedProviderNotActive").errorTarget())
        .isEqualTo("delegatedProviderSubscriptionId");
    assertThat(store.find(id)).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aDeletedSubscriptionStaysReadableByTheOperatorAndTakesNoChanges(Engine engine) throws Exception {
    Stack s = Stack.of(SERVERS.get(engine));
    String offer = s.publicOffer("tin", "Public");
    Stack.Guest g = s.guest();
    String id = s.subscribe(g, offer, null);
    assertThat(s.admin().put(s.subscription(id) + V, "{\"state\":\"disabled\"}").status()).isEqualTo(200);
    assertThat(s.admin().delete(s.subscription(id) + V).status()).isEqualTo(200);
    assertThat(s.admin().delete(s.subscription(id) + V).status()).isEqualTo(204);
    assertThat(s.admin().delete(s.subscription(UUID.randomUUID().toString()) + V).status()).isEqualTo(204);

    TestClient.Response read = s.admin().get(s.subscription(id) + V);
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().path("state").asText()).isEqualTo("Deleted");
    UserSubscriptions store = s.server().app().userSubscriptions();
    assertThat(store.find(id).orElseThrow().state()).isEqualTo("Deleted");
    assertThat(store.isDirectTenant(s.operator(), id)).as("its usage is still the operator's").isTrue();
    assertThat(store.history(id)).extracting(UserSubscriptions.StateChange::state)
        .containsExactly("Enabled", "Disabled", "Deleted");
    assertThat(s.server().app().cloudArm().subscriptions().find(id).orElseThrow().state())
        .isEqualTo(Subscription.State.Deleted);

    assertError(s.admin().put(s.subscription(id) + V, "{\"state\":\"Enabled\"}"), 409, "SubscriptionDeleted");
    TestClient tenantArm = s.asUser(g, EndpointRole.STACK_TENANT_ARM);
    assertThat(tenantArm.get(SUBS).body()).doesNotContain(id);
    assertError(tenantArm.get("/subscriptions/" + id + "?api-version=2015-11-01"), 404, "SubscriptionNotFound");
    assertError(s.admin().delete(offer + V), 409, "OfferInUse");
  }
}
