package org.stackledger.arm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestServer;

class SmokeTest {
  @ParameterizedTest
  @EnumSource(Engine.class)
  void aResourceGroupCanBeCreatedAndReadBack(Engine engine) throws Exception {
    try (TestServer server = TestServer.start(engine)) {
      String sub = server.newSubscription();
      var put = server.client().put("/subscriptions/" + sub + "/resourcegroups/rg1?api-version=2025-04-01", "{\"location\":\"westus\"}");
      assertThat(put.status()).isEqualTo(201);
      var get = server.client().get("//subscriptions/" + sub + "/resourceGroups/RG1?api-version=2025-04-01");
      assertThat(get.status()).isEqualTo(200);
      assertThat(get.json().path("location").asText()).isEqualTo("westus");
    }
  }
}
