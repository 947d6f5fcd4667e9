package org.stackledger.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;
import static org.stackledger.testing.ArmCalls.group;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.testing.Engine;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/** {@code api-version} is required on every call and checked against the target's resource type. */
@Tag("storage")
class ApiVersionTest {
  private static final ServerPool SERVERS = new ServerPool();

  @AfterAll
  static void stopServers() throws Exception {
    SERVERS.close();
  }

  /** One path per resource type, with the type's name and one version it accepts. */
  private static Map<String, String[]> paths(String sub) {
    return Map.of(
        "/subscriptions", new String[] {"Microsoft.Resources/subscriptions", "2022-12-01"},
        "/subscriptions/" + sub, new String[] {"Microsoft.Resources/subscriptions", "2016-06-01"},
        "/subscriptions/" + sub + "/resourcegroups", new String[] {"Microsoft.Resources/resourceGroups", "2021-04-01"},
        group(sub, "rg1"), new String[] {"Microsoft.Resources/resourceGroups", "2025-04-01"},
        "/subscriptions/" + sub + "/resources", new String[] {"Microsoft.Resources/resources", "2021-04-01"},
        "/subscriptions/" + sub + "/providers/Microsoft.Authorization", new String[] {"Microsoft.Resources/providers", "2021-04-01"},
        "/subscriptions/" + sub + "/providers/Microsoft.Authorization/locks", new String[] {"Microsoft.Authorization/locks", "2016-09-01"});
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aRequestWithoutApiVersionIsA400MissingApiVersionParameter(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    for (String path : paths(sub).keySet()) {
      TestClient.Response r = assertError(client.get(path), 400, "MissingApiVersionParameter");
      assertThat(r.errorTarget()).isEqualTo("api-version");
      assertError(client.get(path + "?api-version="), 400, "MissingApiVersionParameter");
    }
    assertError(client.put(group(sub, "rg1"), "{\"location\":\"westus\"}"), 400, "MissingApiVersionParameter");
    assertError(client.delete(group(sub, "rg1")), 400, "MissingApiVersionParameter");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anUnknownApiVersionIsA400NamingTheTypeAndItsSupportedVersions(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    paths(sub).forEach((path, type) -> {
      TestClient.Response r = assertError(client.get(path + "?api-version=1999-01-01"), 400, "InvalidApiVersionParameter");
      String message = r.json().path("error").path("message").asText();
      assertThat(message).as(path).contains("'1999-01-01'").contains(type[0]).contains(type[1]);
      assertThat(r.errorTarget()).isEqualTo("api-version");
    });
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aVersionOfOneTypeIsRefusedByAnotherType(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    // 2020-05-01 is a locks version, not a resource groups one; 2022-12-01 is a subscriptions version only.
    assertThat(client.get("/subscriptions/" + sub + "/providers/Microsoft.Authorization/locks?api-version=2020-05-01")
        .status()).isEqualTo(200);
    assertError(client.get("/subscriptions/" + sub + "/resourcegroups?api-version=2020-05-01"), 400,
        "InvalidApiVersionParameter");
    assertThat(client.get("/subscriptions/" + sub + "?api-version=2022-12-01").status()).isEqualTo(200);
    assertError(client.get("/subscriptions/" + sub + "/resourcegroups?api-version=2022-12-01"), 400,
        "InvalidApiVersionParameter");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void everySupportedVersionOfATypeIsAccepted(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    for (String version : new String[] {"2015-01-01", "2016-09-01", "2017-04-01", "2020-05-01"}) {
      assertThat(client.get("/subscriptions/" + sub + "/providers/Microsoft.Authorization/locks?api-version=" + version)
          .status()).as(version).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theApiVersionParameterNameIsReadInAnyCase(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    String sub = server.newSubscription();

    assertThat(server.client().get("/subscriptions/" + sub + "?API-VERSION=2022-12-01").status()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aRefusedVersionChangesNothing(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();

    assertError(client.put(group(sub, "rg1") + "?api-version=2099-01-01", "{\"location\":\"westus\"}"), 400,
        "InvalidApiVersionParameter");

    assertError(client.get(group(sub, "rg1") + "?api-version=2025-04-01"), 404, "ResourceGroupNotFound");
  }
}
