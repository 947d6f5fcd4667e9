package org.stackledger.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.LOCKS;
import static org.stackledger.testing.ArmCalls.assertError;
import static org.stackledger.testing.ArmCalls.group;
import static org.stackledger.testing.ArmCalls.groupUrl;
import static org.stackledger.testing.ArmCalls.lockUrl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.testing.Engine;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/** Management locks and the 409 {@code ScopeLocked} they cause. */
@Tag("storage")
class LocksTest {
  private static final ServerPool SERVERS = new ServerPool();
  private static final String CAN_NOT_DELETE = "{\"properties\":{\"level\":\"CanNotDelete\",\"notes\":\"keep\"}}";
  private static final String READ_ONLY = "{\"properties\":{\"level\":\"ReadOnly\"}}";

  @AfterAll
  static void stopServers() throws Exception {
    SERVERS.close();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aLockIsCreatedReadUpdatedAndDeleted(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    client.put(groupUrl(sub, "rg1"), "{\"location\":\"westus\"}");
    String url = lockUrl(group(sub, "rg1"), "keep");

    TestClient.Response created = client.put(url, CAN_NOT_DELETE);
    TestClient.Response read = client.get(url);
    TestClient.Response updated = client.put(url, "{\"properties\":{\"level\":\"readonly\"}}");

    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().path("id").asText())
        .isEqualTo("/subscriptions/" + sub + "/resourceGroups/rg1/providers/Microsoft.Authorization/locks/keep");
    assertThat(read.json().path("properties").path("level").asText()).isEqualTo("CanNotDelete");
    assertThat(read.json().path("properties").path("notes").asText()).isEqualTo("keep");
    assertThat(updated.status()).isEqualTo(200);
    assertThat(updated.json().path("properties").path("level").asText()).isEqualTo("ReadOnly");
    assertThat(client.delete(url).status()).isEqualTo(200);
    assertThat(client.delete(url).status()).isEqualTo(204);
    assertError(client.get(url), 404, "LockNotFound");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aBadLockIsA400AndCreatesNothing(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    String url = lockUrl("/subscriptions/" + sub, "bad");

    assertThat(assertError(client.put(url, "{\"properties\":{\"level\":\"Forever\"}}"), 400, "InvalidLockLevel")
        .errorTarget()).isEqualTo("properties.level");
    assertError(client.put(url, "{\"properties\":{}}"), 400, "InvalidRequestContent");
    assertError(client.put(url, "{}"), 400, "InvalidRequestContent");
    assertError(client.put(url, "{\"properties\":{\"level\":\"ReadOnly\",\"notes\":7}}"), 400, "InvalidRequestContent");
    assertError(client.get(url), 404, "LockNotFound");
    assertError(client.put(lockUrl(group(sub, "no-such-group"), "x"), CAN_NOT_DELETE), 404, "ResourceGroupNotFound");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aCanNotDeleteLockOnAGroupRefusesDeletingTheGroupAndDeletesNothing(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    client.put(groupUrl(sub, "rg1"), "{\"location\":\"westus\"}");
    client.put(lockUrl(group(sub, "rg1"), "keep"), CAN_NOT_DELETE);
    JsonNode before = client.get(groupUrl(sub, "rg1")).json();

    TestClient.Response delete = client.delete(groupUrl(sub, "rg1"));

    assertError(delete, 409, "ScopeLocked");
    assertThat(delete.json().path("error").path("message").asText()).contains("rg1");
    assertThat(client.get(groupUrl(sub, "rg1")).json()).isEqualTo(before);
    assertThat(client.get(lockUrl(group(sub, "rg1"), "keep")).status()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aCanNotDeleteLockStillAllowsUpdates(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    client.put(groupUrl(sub, "rg1"), "{\"location\":\"westus\"}");
    client.put(lockUrl(group(sub, "rg1"), "keep"), CAN_NOT_DELETE);

    assertThat(client.put(groupUrl(sub, "rg1"), "{\"location\":\"westus\",\"tags\":{\"a\":\"1\"}}").status()).isEqualTo(200);
    assertThat(client.patch(groupUrl(sub, "rg1"), "{\"tags\":{\"a\":\"2\"}}").status()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void removingTheLockLetsTheDeleteThrough(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    client.put(groupUrl(sub, "rg1"), "{\"location\":\"westus\"}");
    client.put(lockUrl(group(sub, "rg1"), "keep"), CAN_NOT_DELETE);
    assertError(client.delete(groupUrl(sub, "rg1")), 409, "ScopeLocked");

    assertThat(client.delete(lockUrl(group(sub, "rg1"), "keep")).status()).isEqualTo(200);

    assertThat(client.delete(groupUrl(sub, "rg1")).status()).isEqualTo(200);
    assertThat(client.send("HEAD", groupUrl(sub, "rg1"), null, Map.of()).status()).isEqualTo(404);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aReadOnlyLockOnTheSubscriptionRefusesNewGroupsAndChanges(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    client.put(groupUrl(sub, "existing"), "{\"location\":\"westus\",\"tags\":{\"a\":\"1\"}}");
    JsonNode before = client.get(groupUrl(sub, "existing")).json();
    assertThat(client.put(lockUrl("/subscriptions/" + sub, "frozen"), READ_ONLY).status()).isEqualTo(201);

    assertError(client.put(groupUrl(sub, "rg2"), "{\"location\":\"westus\"}"), 409, "ScopeLocked");
    assertError(client.put(groupUrl(sub, "existing"), "{\"location\":\"westus\",\"tags\":{\"a\":\"2\"}}"), 409, "ScopeLocked");
    assertError(client.patch(groupUrl(sub, "existing"), "{\"tags\":{\"a\":\"3\"}}"), 409, "ScopeLocked");
    assertError(client.delete(groupUrl(sub, "existing")), 409, "ScopeLocked");

    assertError(client.get(groupUrl(sub, "rg2")), 404, "ResourceGroupNotFound");
    assertThat(client.get(groupUrl(sub, "existing")).json()).isEqualTo(before);
    assertThat(client.delete(lockUrl("/subscriptions/" + sub, "frozen")).status()).isEqualTo(200);
    assertThat(client.put(groupUrl(sub, "rg2"), "{\"location\":\"westus\"}").status()).isEqualTo(201);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aReadOnlyLockOnAGroupRefusesChangingThatGroupOnly(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    client.put(groupUrl(sub, "locked"), "{\"location\":\"westus\"}");
    client.put(groupUrl(sub, "free"), "{\"location\":\"westus\"}");
    client.put(lockUrl(group(sub, "locked"), "ro"), READ_ONLY);

    assertError(client.put(groupUrl(sub, "locked"), "{\"location\":\"westus\",\"tags\":{\"a\":\"1\"}}"), 409, "ScopeLocked");
    assertThat(client.put(groupUrl(sub, "free"), "{\"location\":\"westus\",\"tags\":{\"a\":\"1\"}}").status()).isEqualTo(200);
    assertThat(client.delete(groupUrl(sub, "free")).status()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void locksOfOneSubscriptionDoNotReachAnother(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String locked = server.newSubscription();
    String other = server.newSubscription();
    client.put(lockUrl("/subscriptions/" + locked, "frozen"), READ_ONLY);

    assertThat(client.put(groupUrl(other, "rg1"), "{\"location\":\"westus\"}").status()).isEqualTo(201);
    assertThat(client.delete(groupUrl(other, "rg1")).status()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void locksThemselvesStayManageableUnderAReadOnlyLock(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient client = server.client();
    String sub = server.newSubscription();
    client.put(lockUrl("/subscriptions/" + sub, "frozen"), READ_ONLY);

    assertThat(client.put(lockUrl("/subscriptions/" + sub, "second"), CAN_NOT_DELETE).status()).isEqualTo(201);
    TestClient.Response list = client.get("/subscriptions/" + sub + "/providers/Microsoft.Authorization/locks?" + LOCKS);
    assertThat(list.json().path("value")).hasSize(2);
    assertThat(client.delete(lockUrl("/subscriptions/" + sub, "second")).status()).isEqualTo(200);
    assertThat(client.delete(lockUrl("/subscriptions/" + sub, "frozen")).status()).isEqualTo(200);
  }
}
