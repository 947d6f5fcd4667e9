package org.stackledger.usersubscriptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;
import static org.stackledger.usersubscriptions.Stack.V;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.testing.Engine;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;

/** Plans and offers on the stack admin endpoint: the operator's catalogue users subscribe from. */
@Tag("storage")
class PlansAndOffersTest {
  private static final ServerPool SERVERS = new ServerPool();

  @AfterAll
  static void stop() throws Exception {
    SERVERS.close();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aPlanAndAnOfferArePutReadListedAndDeleted(Engine engine) throws Exception {
    Stack s = Stack.of(SERVERS.get(engine));
    TestClient.Response plan = s.admin().put(s.plan("compute") + V, "{\"location\":\"local\",\"properties\":{"
        + "\"displayName\":\"Compute\",\"description\":\"VMs\",\"services\":[\"Microsoft.Compute\",\"microsoft.compute\","
        + "\"Microsoft.Storage\"],\"quota\":{\"coresLimit\":20}}}");
    assertThat(plan.status()).as(plan.body()).isEqualTo(201);
    assertThat(plan.json().path("id").asText()).isEqualTo(s.plan("compute"));
    assertThat(plan.json().path("type").asText()).isEqualTo("Microsoft.Subscriptions.Admin/plans");
    assertThat(plan.json().path("location").asText()).isEqualTo("local");
    assertThat(plan.json().path("properties").path("services")).extracting(n -> n.asText())
        .containsExactly("Microsoft.Compute", "Microsoft.Storage");
    assertThat(plan.json().path("properties").path("quota").path("coresLimit").asInt()).isEqualTo(20);
    assertThat(plan.header("ETag")).isEqualTo(plan.json().path("etag").asText()).isNotBlank();

    TestClient.Response stale = s.admin().send("PUT", s.plan("compute") + V, "{}",
        Map.of("Content-Type", "application/json", "If-Match", "\"not-the-etag\""));
    assertError(stale, 412, "PreconditionFailed");
    TestClient.Response renamed = s.admin().send("PUT", s.plan("compute") + V,
        "{\"properties\":{\"displayName\":\"Compute 2\",\"services\":[\"Microsoft.Compute\"]}}",
        Map.of("Content-Type", "application/json", "If-Match", plan.header("ETag")));
    assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
    assertThat(renamed.json().path("properties").path("quota").path("coresLimit").isNull()).as("no limit").isTrue();

    TestClient.Response offer = s.admin().put(s.offer("gold") + V, "{\"properties\":{\"displayName\":\"Gold\","
        + "\"basePlanIds\":[\"" + s.plan("compute").toUpperCase() + "\"]}}");
    assertThat(offer.status()).as(offer.body()).isEqualTo(201);
    assertThat(offer.json().path("properties").path("state").asText()).as("default").isEqualTo("Private");
    assertThat(offer.json().path("properties").path("basePlanIds").get(0).asText()).as("in the plan's spelling")
        .isEqualTo(s.plan("compute"));

    assertThat(s.admin().get(s.offer("gold") + V).json().path("properties").path("displayName").asText()).isEqualTo("Gold");
    assertThat(s.admin().get(s.catalogue() + "/plans" + V).json().path("value")).extracting(n -> n.path("id").asText())
        .containsExactly(s.plan("compute"));
    assertThat(s.admin().get("/subscriptions/" + s.operator() + Stack.PROVIDER + "/offers" + V).json().path("value"))
        .extracting(n -> n.path("id").asText()).contains(s.offer("gold"));

    assertThat(assertError(s.admin().delete(s.plan("compute") + V), 409, "PlanInUse").json().path("error")
        .path("message").asText()).contains(s.offer("gold"));
    assertThat(s.admin().get(s.plan("compute") + V).status()).isEqualTo(200);
    assertThat(s.admin().delete(s.offer("gold") + V).status()).isEqualTo(200);
    assertThat(s.admin().delete(s.offer("gold") + V).status()).isEqualTo(204);
    assertThat(s.admin().delete(s.plan("compute") + V).status()).isEqualTo(200);
    assertError(s.admin().get(s.plan("compute") + V), 404, "ResourceNotFound");
  }

  record Refusal(String what, String path, String body, String code, String target) {}

  @ParameterizedTest
  @EnumSource(Engine.class)
  void everyInvalidPlanOrOfferIsRefusedNamingItsFieldAndChangesNothing(Engine engine) throws Exception {
    Stack s = Stack.of(SERVERS.get(engine));
    assertThat(s.admin().put(s.plan("base") + V, "{}").status()).isEqualTo(201);
    String plan = s.plan("p");
    String offer = s.offer("o");
    for (Refusal r : List.of(
        new Refusal("services not a list", plan, "{\"properties\":{\"services\":\"Microsoft.Compute\"}}",
            "InvalidServiceNamespace", "properties.services"),
        new Refusal("a bad namespace", plan, "{\"properties\":{\"services\":[\"Microsoft.Compute\",\"compute\"]}}",
            "InvalidServiceNamespace", "properties.services[1]"),
        new Refusal("negative cores", plan, "{\"properties\":{\"services\":[\"Microsoft.Compute\"],"
            + "\"quota\":{\"coresLimit\":-1}}}", "InvalidQuota", "properties.quota.coresLimit"),
        new Refusal("cores without compute", plan, "{\"properties\":{\"services\":[\"Microsoft.Storage\"],"
            + "\"quota\":{\"coresLimit\":4}}}", "InvalidQuota", "properties.quota.coresLimit"),
        new Refusal("quota not an object", plan, "{\"properties\":{\"quota\":4}}", "InvalidQuota", "properties.quota"),
        new Refusal("display name too long", plan, "{\"properties\":{\"displayName\":\"" + "x".repeat(257) + "\"}}",
            "InvalidRequestContent", "properties.displayName"),
        new Refusal("another region", plan, "{\"location\":\"westus\"}", "LocationNotAvailableForResourceType", "location"),
        new Refusal("an unknown offer state", offer, "{\"properties\":{\"state\":\"Open\",\"basePlanIds\":[\""
            + s.plan("base") + "\"]}}", "InvalidOfferState", "properties.state"),
        new Refusal("no base plan", offer, "{\"properties\":{}}", "BasePlanRequired", "properties.basePlanIds"),
        new Refusal("an unknown plan", offer, "{\"properties\":{\"basePlanIds\":[\"" + s.plan("base") + "\",\""
            + s.plan("missing") + "\"]}}", "PlanNotFound", "properties.basePlanIds[1]"),
        new Refusal("not an id", offer, "{\"properties\":{\"basePlanIds\":[\"gold\"]}}", "PlanNotFound",
            "properties.basePlanIds[0]"),
        new Refusal("an offer named as a plan", offer, "{\"properties\":{\"basePlanIds\":[\"" + s.offer("o") + "\"]}}",
            "PlanNotFound", "properties.basePlanIds[0]"))) {
      TestClient.Response refused = s.admin().put(r.path() + V, r.body());
      assertThat(assertError(refused, 400, r.code()).errorTarget()).as(r.what()).isEqualTo(r.target());
      assertThat(s.admin().get(r.path() + V).status()).as(r.what() + ": nothing stored").isEqualTo(404);
    }
    TestClient.Response base = s.admin().get(s.plan("base") + V);
    assertThat(s.admin().put(s.plan("base") + V, "{\"properties\":{\"services\":[\"x\"]}}").status()).isEqualTo(400);
    assertThat(s.admin().get(s.plan("base") + V).body()).as("a refused update changes nothing").isEqualTo(base.body());
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void onlyTheOperatorManagesPlansAndOffersAndTheSubscriptionMustExist(Engine engine) throws Exception {
    Stack s = Stack.of(SERVERS.get(engine));
    Stack.Guest g = s.guest();
    TestClient.Response refused = s.asPrincipal(g.tenant(), EndpointRole.STACK_ADMIN_ARM).put(s.plan("mine") + V, "{}");
    assertError(refused, 403, "AuthorizationFailed");
    assertThat(refused.json().path("error").path("message").asText()).endsWith("over scope '/'.");
    assertThat(s.admin().get(s.plan("mine") + V).status()).isEqualTo(404);
    String nowhere = s.plan("p").replace(s.operator(), java.util.UUID.randomUUID().toString());
    assertError(s.admin().put(nowhere + V, "{}"), 404, "SubscriptionNotFound");
  }
}
