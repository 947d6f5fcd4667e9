package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;
import static org.stackledger.usage.UsageFixture.INTAKE;
import static org.stackledger.usage.UsageFixture.event;
import static org.stackledger.usage.UsageFixture.json;
import static org.stackledger.usage.UsageFixture.lastHour;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;

/**
 * The intake's rules on what surrounds the events: the declared media type, characters an id may
 * hold, and how old a usage hour may be. Each refusal names its field and stores nothing.
 */
@Tag("storage")
class UsageIntakeInputTest {
  private static final String SETTINGS = "/providers/Stackledger.Usage/usageSettings/default?api-version=2026-11-01";

  private static int distinctEvents(UsageFixture.World w) {
    return ((Intake) w.server.app().usage().intake()).distinctEvents();
  }

  /** One event as a JSON array's text, the eventId's value replaced by raw JSON string content. */
  private static String withEventId(UsageEvent e, String jsonStringContent) {
    return json(List.of(e)).replace("\"eventId\":\"" + e.eventId() + "\"", "\"eventId\":\"" + jsonStringContent + "\"");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aBatchThatIsNotDeclaredJsonIsA415AndStoresNothing(Engine engine) throws Exception {
    try (UsageFixture.World w = new UsageFixture.World(engine)) {
      TestClient intake = w.intake();
      String batch = json(List.of(lastHour(w.a, w.clock.instant(), "vm-1")));

      for (String type : new String[] {"application/xml", "text/plain", "application/x-www-form-urlencoded"}) {
        TestClient.Response r = intake.send("POST", INTAKE, batch, Map.of("Content-Type", type));
        assertThat(assertError(r, 415, "UnsupportedMediaType").errorTarget()).as(type).isEqualTo("Content-Type");
      }
      assertError(intake.send("POST", INTAKE, batch, Map.of()), 415, "UnsupportedMediaType");
      assertThat(distinctEvents(w)).isZero();

      TestClient.Response charset = intake.send("POST", INTAKE, batch,
          Map.of("Content-Type", "Application/JSON; charset=utf-8"));
      assertThat(charset.status()).as(charset.body()).isEqualTo(200);
      assertThat(distinctEvents(w)).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void controlCharactersInAnIdAreA400NamingTheField(Engine engine) throws Exception {
    try (UsageFixture.World w = new UsageFixture.World(engine)) {
      TestClient intake = w.intake();
      Instant now = w.clock.instant();

      for (String control : new String[] {"\\u0000", "\\u001f", "\\n", "\\r", "\\t", "\\u007f", "\\u0085"}) {
        UsageEvent e = lastHour(w.a, now, "vm-c");
        TestClient.Response id = intake.post(INTAKE, withEventId(e, "evt" + control + "1"));
        assertThat(assertError(id, 400, "InvalidEventId").errorTarget()).as(control).isEqualTo("events[0].eventId");
        String uri = json(List.of(e)).replace("virtualMachines/vm-c", "virtualMachines/vm" + control + "c");
        assertThat(assertError(intake.post(INTAKE, uri), 400, "InvalidResourceUri").errorTarget()).as(control)
            .isEqualTo("events[0].resourceUri");
        String location = json(List.of(e)).replace("\"location\":\"local\"", "\"location\":\"lo" + control + "cal\"");
        assertThat(assertError(intake.post(INTAKE, location), 400, "InvalidLocation").errorTarget()).as(control)
            .isEqualTo("events[0].location");
      }
      assertThat(distinctEvents(w)).isZero();
      // Other characters beyond ASCII are ids like any other.
      TestClient.Response unicode = intake.post(INTAKE, withEventId(lastHour(w.a, now, "vm-u"), "évènement-✓-1"));
      assertThat(unicode.status()).as(unicode.body()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void usageOlderThanTheDeploymentsWindowIsRefusedAsUsageTooOld(Engine engine) throws Exception {
    try (UsageFixture.World w = new UsageFixture.World(engine)) {
      TestClient intake = w.intake();
      Instant now = w.clock.instant();
      Instant hour = now.truncatedTo(ChronoUnit.HOURS);
      Instant weekAgo = hour.minus(Duration.ofDays(7));
      UsageEvent inside = event(w.a, UsageStoreTest.BASE_VM, "1", weekAgo.plus(1, ChronoUnit.HOURS),
          weekAgo.plus(2, ChronoUnit.HOURS), "vm-in");
      UsageEvent tooOld = event(w.a, UsageStoreTest.BASE_VM, "1", weekAgo.minus(1, ChronoUnit.HOURS), weekAgo,
          "vm-old");
      UsageEvent yearZero = event(w.a, UsageStoreTest.BASE_VM, "1", Instant.parse("0000-01-01T00:00:00Z"),
          Instant.parse("0000-01-01T01:00:00Z"), "vm-zero");
      UsageEvent y2020 = event(w.a, UsageStoreTest.BASE_VM, "1000", Instant.parse("2020-01-15T00:00:00Z"),
          Instant.parse("2020-01-15T01:00:00Z"), "vm-2020");

      TestClient.Response refused = intake.post(INTAKE, json(List.of(inside, tooOld, yearZero, y2020)));

      assertThat(assertError(refused, 400, "UsageTooOld").errorTarget()).isEqualTo("events[1].usageStartTime");
      assertThat(refused.json().path("error").path("details").findValuesAsText("target"))
          .containsExactly("events[1].usageStartTime", "events[2].usageStartTime", "events[3].usageStartTime");
      assertThat(distinctEvents(w)).isZero();
      TestClient.Response ok = intake.post(INTAKE, json(List.of(inside)));
      assertThat(ok.status()).as("seven days less an hour is inside the default window").isEqualTo(200);

      // The operator widens the window: the same event is then taken.
      TestClient admin = w.server.client(EndpointRole.STACK_ADMIN_ARM);
      assertThat(admin.get(SETTINGS).json().path("properties").path("maxUsageAge").asText()).isEqualTo("PT168H");
      TestClient.Response widened = admin.put(SETTINGS, "{\"properties\":{\"maxUsageAge\":\"P30D\"}}");
      assertThat(widened.status()).as(widened.body()).isEqualTo(200);
      assertThat(widened.json().path("properties").path("maxUsageAge").asText()).isEqualTo("PT720H");
      TestClient.Response taken = intake.post(INTAKE, json(List.of(tooOld)));
      assertThat(taken.status()).as(taken.body()).isEqualTo(200);
      assertThat(distinctEvents(w)).isEqualTo(2);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aWindowOutsideItsBoundsIsA400AndChangesNothing(Engine engine) throws Exception {
    try (UsageFixture.World w = new UsageFixture.World(engine)) {
      TestClient admin = w.server.client(EndpointRole.STACK_ADMIN_ARM);

      for (String bad : new String[] {"PT30M", "P91D", "seven days", "-P1D"}) {
        TestClient.Response r = admin.put(SETTINGS, "{\"properties\":{\"maxUsageAge\":\"" + bad + "\"}}");
        assertThat(assertError(r, 400, "InvalidUsageSettings").errorTarget()).as(bad)
            .isEqualTo("properties.maxUsageAge");
      }
      assertThat(admin.get(SETTINGS).json().path("properties").path("maxUsageAge").asText()).isEqualTo("PT168H");
      // A guest tenant's user may not read or change the deployment's settings.
      TestClient guest = w.stack().asUser(w.alice, EndpointRole.STACK_ADMIN_ARM);
      assertThat(guest.get(SETTINGS).status()).isEqualTo(403);
      assertThat(guest.put(SETTINGS, "{\"properties\":{\"maxUsageAge\":\"P1D\"}}").status()).isEqualTo(403);
    }
  }
}
