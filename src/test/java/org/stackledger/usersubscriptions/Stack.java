package org.stackledger.usersubscriptions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * One test's view of a deployment: the operator's client of the stack admin endpoint, a resource group
 * of its own for plans and offers, and helpers that make a plan, an offer, a guest tenant and a user
 * subscription.
 */
public record Stack(TestServer server, TestClient admin, String group) {
  public static final String V = "?api-version=2015-11-01";
  static final String PROVIDER = "/providers/Microsoft.Subscriptions.Admin";

  public static Stack of(TestServer server) throws Exception {
    return new Stack(server, server.client(EndpointRole.STACK_ADMIN_ARM), "rg-" + UUID.randomUUID().toString().substring(0, 8));
  }

  public String operator() {
    return server.app().operatorSubscriptionId();
  }

  String catalogue() {
    return "/subscriptions/" + operator() + "/resourceGroups/" + group + PROVIDER;
  }

  String plan(String name) {
    return catalogue() + "/plans/" + name;
  }

  String offer(String name) {
    return catalogue() + "/offers/" + name;
  }

  public String subscription(String id) {
    return "/subscriptions/" + operator() + PROVIDER + "/subscriptions/" + id;
  }

  /** A compute plan and an offer of the given state built on it; returns the offer's id. */
  public String publicOffer(String name, String state) {
    assertThat(admin.put(plan(name + "-plan") + V, "{\"properties\":{\"services\":[\"Microsoft.Compute\"],"
        + "\"quota\":{\"coresLimit\":8}}}").status()).isEqualTo(201);
    var offer = admin.put(offer(name) + V, "{\"properties\":{\"state\":\"" + state + "\",\"basePlanIds\":[\""
        + plan(name + "-plan") + "\"]}}");
    assertThat(offer.status()).as(offer.body()).isEqualTo(201);
    return offer(name);
  }

  /** A directory tenant onboarded as a guest directory, with a user who can sign in with a password. */
  public record Guest(TestServer.TestTenant tenant, String upn, String password) {}

  public Guest guest() {
    TestServer.TestTenant t = server.newTenant("guest-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local");
    server.app().guestDirectories().onboard(operator(), "system.local", t.domain(), t.tenantId(), "local");
    String upn = "uma@" + t.domain();
    server.app().directory().createUser(t.tenantId(), upn, "Uma", "a-long-enough-password");
    return new Guest(t, upn, "a-long-enough-password");
  }

  static String body(String owner, String tenantId, String offerId) {
    return "{\"displayName\":\"Uma's subscription\",\"owner\":\"" + owner + "\",\"tenantId\":\"" + tenantId
        + "\",\"offerId\":\"" + offerId + "\"}";
  }

  /** Makes a user subscription for the guest from the offer, optionally under a delegated provider; returns its id. */
  public String subscribe(Guest g, String offerId, String delegatedProvider) {
    String id = UUID.randomUUID().toString();
    String body = body(g.upn(), g.tenant().tenantId(), offerId);
    if (delegatedProvider != null) {
      body = body.replace("}", ",\"delegatedProviderSubscriptionId\":\"" + delegatedProvider + "\"}");
    }
    var made = admin.put(subscription(id) + V, body);
    assertThat(made.status()).as(made.body()).isEqualTo(201);
    return id;
  }

  /** A client of the endpoint signed in as the guest's user (password grant, as Azure PowerShell does). */
  public TestClient asUser(Guest g, EndpointRole role) throws Exception {
    String audience = switch (role) {
      case STACK_TENANT_ARM -> Stackledger.STACK_TENANT_AUDIENCE;
      case STACK_ADMIN_ARM -> Stackledger.STACK_ADMIN_AUDIENCE;
      default -> Stackledger.CLOUD_AUDIENCE;
    };
    TestClient identity = new TestClient(server.app().url(EndpointRole.IDENTITY), server.app().certificate()).anonymous();
    var token = identity.form("/" + g.tenant().tenantId() + "/oauth2/v2.0/token", Map.of("grant_type", "password",
        "client_id", "04b07795-8ddb-461a-bbee-02f9e1bf7b46", "username", g.upn(), "password", g.password(),
        "scope", audience + ".default"));
    assertThat(token.status()).as(token.body()).isEqualTo(200);
    return new TestClient(server.app().url(role), server.app().certificate())
        .withToken(token.json().path("access_token").asText());
  }

  /** A client of the endpoint signed in as the tenant's service principal. */
  TestClient asPrincipal(TestServer.TestTenant t, EndpointRole role) throws Exception {
    String audience = role == EndpointRole.STACK_ADMIN_ARM ? Stackledger.STACK_ADMIN_AUDIENCE : Stackledger.STACK_TENANT_AUDIENCE;
    return new TestClient(server.app().url(role), server.app().certificate())
        .withToken(server.token(t.clientId(), t.clientSecret(), t.tenantId(), audience));
  }
}
