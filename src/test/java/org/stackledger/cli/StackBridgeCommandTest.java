package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.stamp.Activation;
import org.stackledger.testing.Engine;
import org.stackledger.testing.SteppingClock;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;
import org.stackledger.usage.UsageEvent;
import org.stackledger.usersubscriptions.Stack;

/**
 * The bridge's status and ship routes on the stack admin endpoint and {@code stackledger stack bridge
 * status|ship}, over real HTTPS: operator only, why it does not ship, what waits, and its metrics.
 */
class StackBridgeCommandTest {
  private static final String STATUS = "/providers/Stackledger.Bridge/status?api-version=2026-11-01";
  private static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";

  @Test
  void theAggregationGroupsLagReadsAsOneLineNamingThePartitionsBehind() throws Exception {
    JsonNode lag = new com.fasterxml.jackson.databind.ObjectMapper().readTree("[{\"partition\":0,\"lag\":0},"
        + "{\"partition\":1,\"lag\":120},{\"partition\":2,\"lag\":0},{\"partition\":3,\"lag\":7}]");
    assertThat(StackBridgeCommand.aggregationLag(lag)).isEqualTo("127 values not folded, 4 partitions (p1 120, p3 7)");
    assertThat(StackBridgeCommand.aggregationLag(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        "[{\"partition\":0,\"lag\":0}]"))).isEqualTo("0 values not folded, 1 partition");
    assertThat(StackBridgeCommand.aggregationLag(com.fasterxml.jackson.databind.node.MissingNode.getInstance()))
        .as("a log in one process has no group").isEqualTo("-");
  }

  @Test
  void aLagReadsInDaysHoursAndMinutesNotSeconds() {
    assertThat(StackBridgeCommand.elapsed(2_437_914)).isEqualTo("28d 5h 11m");
    assertThat(StackBridgeCommand.elapsed(3_600)).isEqualTo("1h 0m");
    assertThat(StackBridgeCommand.elapsed(61)).isEqualTo("1m");
    assertThat(StackBridgeCommand.elapsed(42)).isEqualTo("42s");
  }

  @Test
  void theOperatorSeesWhyTheBridgeDoesNotShipAndWhatWaitsThroughTheApiAndTheCli() throws Exception {
    SteppingClock clock = new SteppingClock();
    try (TestServer server = TestServer.start(Engine.H2, o -> o.withClock(clock))) {
      TestClient admin = server.client(EndpointRole.STACK_ADMIN_ARM);
      JsonNode first = admin.get(STATUS).json();
      assertThat(first.path("state").asText()).isEqualTo("NotRegistered");
      assertThat(first.path("cloudId").asText()).isEqualTo(server.app().stamp().cloudId());
      assertThat(first.path("registrationId").isNull()).isTrue();
      assertThat(first.path("lagSeconds").asLong()).isZero();
      assertError(admin.get("/providers/Stackledger.Bridge/status"), 400, "MissingApiVersionParameter");

      // A tenant's principal, signed in to the deployment, is not the operator.
      Stack stack = Stack.of(server);
      Stack.Guest guest = stack.guest();
      TestClient tenant = new TestClient(server.app().url(EndpointRole.STACK_ADMIN_ARM), server.app().certificate())
          .withToken(server.token(guest.tenant().clientId(), guest.tenant().clientSecret(), guest.tenant().tenantId(),
              Stackledger.STACK_ADMIN_AUDIENCE));
      assertError(tenant.get(STATUS), 403, "AuthorizationFailed");
      assertError(tenant.post("/providers/Stackledger.Bridge/ship?api-version=2026-11-01", null), 403,
          "AuthorizationFailed");

      // An hour of usage, closed, on a registered deployment whose bridge has no credential yet.
      String sub = stack.subscribe(guest, stack.publicOffer("bridge", "Public"), null);
      Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
      server.app().usage().intake().accept(List.of(new UsageEvent(UUID.randomUUID().toString(), sub, BASE_VM,
          new BigDecimal("2.5"), hour, hour.plus(1, ChronoUnit.HOURS), "/subscriptions/" + sub + "/resourceGroups/rg/"
          + "providers/Microsoft.Compute/virtualMachines/vm1", "local", null, null)));
      Instant reported = clock.instant().truncatedTo(ChronoUnit.HOURS);
      String registration = "/subscriptions/" + UUID.randomUUID() + "/resourceGroups/azurestack/providers/"
          + "Microsoft.AzureStack/registrations/reg";
      server.app().activations().activate(new Activation(0, registration, UUID.randomUUID().toString(),
          server.app().stamp().cloudId(), "PayAsYouUse", true, true, null, UUID.randomUUID().toString(), "k",
          clock.instant().plus(Duration.ofDays(30)), null, null));
      clock.advance(Duration.ofMinutes(61));

      CliRun login = CliRun.in(server.dataDir(), "login", "--service-principal", "-u", server.admin().clientId(), "-p",
          server.admin().clientSecret());
      assertThat(login.code()).as(login.err()).isZero();
      CliRun ship = CliRun.in(server.dataDir(), "stack", "bridge", "ship");
      assertThat(ship.code()).as(ship.err()).isZero();
      assertThat(ship.out()).contains("State:                 NoBridgeCredential")
          .contains("Registration:          " + registration).contains("Pending hours:         1")
          .contains("Oldest unshipped hour: " + reported).contains("Last error:            NoBridgeCredential: ");

      CliRun status = CliRun.in(server.dataDir(), "stack", "bridge", "status", "--json");
      assertThat(status.code()).as(status.err()).isZero();
      JsonNode s = status.json();
      assertThat(s.path("state").asText()).isEqualTo("NoBridgeCredential");
      assertThat(s.path("reason").asText()).contains("names no bridge client");
      assertThat(s.path("pendingHours").asLong()).isEqualTo(1);
      assertThat(s.path("shippedHours").asLong()).isZero();
      assertThat(s.path("lagSeconds").asLong()).isEqualTo(Duration.between(reported.plus(1, ChronoUnit.HOURS),
          clock.instant()).toSeconds());
      assertThat(s.path("lastError").path("code").asText()).isEqualTo("NoBridgeCredential");
      assertThat(s.path("nextAttemptAt").isTextual()).isTrue();
      assertThat(s.toString()).doesNotContain("Exception").doesNotContain("\tat ");
      CliRun lines = CliRun.in(server.dataDir(), "stack", "bridge", "status");
      assertThat(lines.out()).as("the lag for a person; exact seconds in JSON")
          .containsPattern("(?m)^Lag:\\s+" + StackBridgeCommand.elapsed(s.path("lagSeconds").asLong()) + "$");

      String metrics = new TestClient(server.app().url(EndpointRole.STACK_ADMIN_ARM), server.app().certificate())
          .anonymous().get("/metrics").body();
      assertThat(metrics).contains("stackledger_bridge_lag_seconds").contains("stackledger_bridge_pending_hours 1.0")
          .contains("stackledger_bridge_records_shipped_total 0.0");
    }
  }
}
