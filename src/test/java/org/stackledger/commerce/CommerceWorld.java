package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.stackledger.app.ServerOptions;
import org.stackledger.app.Stackledger;
import org.stackledger.http.Json;
import org.stackledger.registration.BillingModel;
import org.stackledger.registration.Seed;
import org.stackledger.simulate.SettableClock;
import org.stackledger.testing.Engine;
import org.stackledger.testing.FakePartnerCenter;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * A cloud plane on a settable clock with one CSP partner's registered deployment, and the ways a test
 * acts in it: as the deployment's bridge identity (uploads), as the partner, as the operator. Tokens
 * are fetched anew for each call, since tests move the clock by weeks.
 */
final class CommerceWorld implements AutoCloseable {
  static final String UPLOAD = "/usage?api-version=2017-06-01";
  final SettableClock clock;
  final FakePartnerCenter partnerCenter = new FakePartnerCenter();
  final TestServer server;
  final Seed.Registration registration;
  final String bridgeAppId;
  final String bridgeSecret;
  final String bridgeObjectId;

  CommerceWorld(Engine engine, Instant start, BillingModel model) throws Exception {
    this(engine, start, model, UnaryOperator.identity());
  }

  /** @param adjust more options of the server (Kafka, roles) */
  CommerceWorld(Engine engine, Instant start, BillingModel model, UnaryOperator<ServerOptions> adjust) throws Exception {
    this.clock = new SettableClock(start);
    this.server = TestServer.start(engine, o -> adjust.apply(o.withCspSubscriptions(partnerCenter).withClock(clock)));
    this.registration = Seed.registered(server, partnerCenter, model, model == BillingModel.PayAsYouUse);
    Bridge b = bridgeOf(registration);
    this.bridgeObjectId = b.objectId();
    this.bridgeSecret = b.secret();
    this.bridgeAppId = b.appId();
  }

  /** A registration's bridge identity, with a secret to sign in with. */
  record Bridge(String objectId, String appId, String secret) {}

  /** Another registered deployment, of another partner. */
  Seed.Registration anotherRegistration(BillingModel model) {
    return Seed.registered(server, partnerCenter, model, model == BillingModel.PayAsYouUse);
  }

  Bridge bridgeOf(Seed.Registration r) {
    String objectId = r.client().get(r.url()).json().path("properties").path("objectId").asText();
    var directory = server.app().directory();
    // The bridge's own credential is the deployment's key (see the bridge sign-in); a secret is enough here.
    String secret = directory.addClientSecret(objectId);
    return new Bridge(objectId, directory.principal(objectId).orElseThrow().appId().orElseThrow(), secret);
  }

  /** A client signed in as a registration's bridge identity. */
  TestClient bridge(Seed.Registration r, Bridge b) {
    return as(b.appId(), b.secret(), r.partner().tenantId());
  }

  String cloudId() {
    return registration.cloudId();
  }

  void at(Instant t) {
    clock.set(t);
  }

  TestClient bridge() {
    return as(bridgeAppId, bridgeSecret, registration.partner().tenantId());
  }

  TestClient partner() {
    TestServer.TestTenant p = registration.partner();
    return as(p.clientId(), p.clientSecret(), p.tenantId());
  }

  TestClient operator() {
    return as(server.admin().clientId(), server.admin().clientSecret(), server.app().homeTenantId());
  }

  TestClient as(TestServer.TestTenant tenant) {
    return as(tenant.clientId(), tenant.clientSecret(), tenant.tenantId());
  }

  private TestClient as(String clientId, String secret, String tenant) {
    return server.client().anonymous().withToken(server.token(clientId, secret, tenant, Stackledger.CLOUD_AUDIENCE));
  }

  TestServer.TestTenant customer() {
    return customer(registration);
  }

  /** A customer of a registration's partner, with a CSP subscription. */
  TestServer.TestTenant customer(Seed.Registration of) {
    return Seed.customer(server, partnerCenter, of.partnerId());
  }

  /** Another CSP subscription in a customer's directory, of the same partner. */
  String anotherSubscription(TestServer.TestTenant customer) {
    String id = UUID.randomUUID().toString();
    server.app().cloudArm().subscriptions().create(id, "second subscription", customer.tenantId());
    partnerCenter.csp(id, customer.tenantId(), registration.partnerId());
    return id;
  }

  void map(String customerSubscriptionId, String tenantId) {
    map(registration, customerSubscriptionId, tenantId);
  }

  /** Maps a tenant to a customer subscription on a registration, as its partner. */
  void map(Seed.Registration on, String customerSubscriptionId, String tenantId) {
    TestClient.Response r = as(on.partner()).put(on.customerSubscription(customerSubscriptionId),
        "{\"properties\":{\"tenantId\":\"" + tenantId + "\"}}");
    assertThat(r.status()).as(r.body()).isIn(200, 201);
  }

  void unmap(String customerSubscriptionId) {
    TestClient.Response r = partner().delete(registration.customerSubscription(customerSubscriptionId));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
  }

  TestClient.Response upload(String batchId, List<Rec> records) {
    return bridge().post(registration.path() + UPLOAD, body(batchId, cloudId(), records));
  }

  static String body(String batchId, String cloudId, List<Rec> records) {
    ObjectNode o = Json.object();
    o.put("batchId", batchId);
    o.put("cloudId", cloudId);
    ArrayNode a = o.putArray("records");
    for (Rec r : records) {
      ObjectNode x = a.addObject();
      x.put("meterId", r.meterId());
      x.put("quantity", r.quantity());
      x.put("location", "local");
      x.put("resourceUri", "/subscriptions/" + r.subscriptionId() + "/resourceGroups/rg/providers/" + r.resource());
      x.put("subscriptionId", r.subscriptionId());
      x.put("tenantId", r.tenantId());
      x.put("reportedHour", r.reportedHour().toString());
      x.put("usageStartTime", r.usageHour().toString());
      x.put("usageEndTime", r.usageHour().plusSeconds(3600).toString());
    }
    return Json.text(o);
  }

  /** A usage record as the test makes it: a whole usage hour of one resource on one meter. */
  record Rec(String subscriptionId, String tenantId, String meterId, String resource, Instant usageHour,
      Instant reportedHour, BigDecimal quantity) {}

  @Override
  public void close() throws Exception {
    server.close();
  }
}
