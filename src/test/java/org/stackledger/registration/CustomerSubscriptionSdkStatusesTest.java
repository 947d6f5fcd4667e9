package org.stackledger.registration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.stackledger.testing.Engine;
import org.stackledger.testing.FakePartnerCenter;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * The seed operation as an SDK generated from the published CustomerSubscription.json sees it: every
 * answer of a create, a repeat, a read and two removals is a status that spec lists (200 for
 * CustomerSubscriptions_Create, 200 or 204 for CustomerSubscriptions_Delete), so the SDK never throws
 * on a mapping that was made.
 */
class CustomerSubscriptionSdkStatusesTest {
  private static final FakePartnerCenter PARTNER_CENTER = new FakePartnerCenter();
  private static final ServerPool SERVERS = new ServerPool(o -> o.withCspSubscriptions(PARTNER_CENTER));

  @AfterAll
  static void stop() throws Exception {
    SERVERS.close();
  }

  @Test
  void creatingTheMappingAnswers200AndSoDoesPuttingItAgain() throws Exception {
    TestServer server = SERVERS.get(Engine.H2);
    Seed.Registration r = Seed.registered(server, PARTNER_CENTER, true);
    TestServer.TestTenant customer = Seed.customer(server, PARTNER_CENTER, r.partnerId());

    TestClient.Response created = r.client().put(r.customerSubscription(customer.subscriptionId()), "{\"properties\":{}}");
    assertThat(created.status()).as(created.body()).isEqualTo(200);
    assertThat(created.json().path("properties").path("tenantId").asText()).isEqualTo(customer.tenantId());

    TestClient.Response again = r.client().put(r.customerSubscription(customer.subscriptionId()), "{\"properties\":{}}");
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.json().path("id").asText()).isEqualTo(created.json().path("id").asText());

    TestClient.Response read = r.client().get(r.customerSubscription(customer.subscriptionId()));
    assertThat(read.status()).isEqualTo(200);
    assertThat(read.json().path("name").asText()).isEqualTo(customer.subscriptionId());
  }

  @Test
  void removingTheMappingAnswers200AndRemovingItAgain204() throws Exception {
    TestServer server = SERVERS.get(Engine.H2);
    Seed.Registration r = Seed.registered(server, PARTNER_CENTER, true);
    TestServer.TestTenant customer = Seed.customer(server, PARTNER_CENTER, r.partnerId());
    assertThat(r.client().put(r.customerSubscription(customer.subscriptionId()), null).status()).isEqualTo(200);

    assertThat(r.client().delete(r.customerSubscription(customer.subscriptionId())).status()).isEqualTo(200);
    assertThat(r.client().delete(r.customerSubscription(customer.subscriptionId())).status()).isEqualTo(204);
    assertThat(r.client().get(r.customerSubscription(customer.subscriptionId())).status()).isEqualTo(404);
  }
}
