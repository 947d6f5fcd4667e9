package org.stackledger.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.SUBSCRIPTIONS;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.testing.Engine;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/** {@code GET /subscriptions} and {@code GET /subscriptions/{id}}. */
@Tag("storage")
class SubscriptionsTest {
  private static final ServerPool SERVERS = new ServerPool();

  @AfterAll
  static void stopServers() throws Exception {
    SERVERS.close();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aSubscriptionReadsBackWithItsTenantAndState(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    String sub = server.newSubscription();

    TestClient.Response r = server.client().get("/subscriptions/" + sub.toUpperCase(Locale.ROOT) + "?" + SUBSCRIPTIONS);

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("id").asText()).isEqualTo("/subscriptions/" + sub);
    assertThat(r.json().path("subscriptionId").asText()).isEqualTo(sub);
    assertThat(r.json().path("tenantId").asText()).isEqualTo(server.app().homeTenantId());
    assertThat(r.json().path("state").asText()).isEqualTo("Enabled");
    assertThat(r.json().path("displayName").asText()).startsWith("test subscription");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theListHoldsTheOperatorSubscriptionAndEveryCreatedOne(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    String a = server.newSubscription();
    String b = server.newSubscription();

    TestClient.Response r = server.client().get("/subscriptions?" + SUBSCRIPTIONS);

    assertThat(r.status()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    for (JsonNode s : r.json().path("value")) {
      ids.add(s.path("subscriptionId").asText());
    }
    assertThat(ids).contains(a, b, server.app().operatorSubscriptionId()).doesNotHaveDuplicates();
  }
}
