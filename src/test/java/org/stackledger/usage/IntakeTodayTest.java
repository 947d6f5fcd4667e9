package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;
import static org.stackledger.usage.UsageFixture.INTAKE;
import static org.stackledger.usage.UsageFixture.json;
import static org.stackledger.usage.UsageFixture.lastHour;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;

/**
 * The operator's "events today": what the intake took on the deployment clock's day, counted from the
 * batches the test sent — a repeat the intake recognised not counted, yesterday's not counted.
 */
@Tag("storage")
class IntakeTodayTest {
  private static final String TODAY = IntakeToday.PATH + "?api-version=2026-11-01";

  @ParameterizedTest
  @EnumSource(Engine.class)
  void countsTheEventsTakenTodayOnceEachByReportedHour(Engine engine) throws Exception {
    try (UsageFixture.World w = new UsageFixture.World(engine)) {
      TestClient admin = w.intake();
      Instant now = w.clock.instant();
      JsonNode empty = get(admin);
      assertThat(empty.path("properties").path("eventsToday").asLong()).isZero();
      assertThat(empty.path("properties").path("lastReportedAt").isNull()).isTrue();

      List<UsageEvent> first = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        first.add(lastHour(i % 2 == 0 ? w.a : w.b, now, "vm-" + i));
      }
      // The second batch repeats one event of the first: accepted as a duplicate, counted once.
      List<UsageEvent> second = List.of(first.get(2), lastHour(w.a, now, "vm-x"), lastHour(w.b, now, "vm-y"));
      int distinct = post(admin, first) + post(admin, second);
      assertThat(distinct).isEqualTo(7);

      JsonNode p = get(admin).path("properties");
      assertThat(p.path("day").asText()).isEqualTo(now.toString().substring(0, 10));
      assertThat(p.path("eventsToday").asLong()).isEqualTo(distinct);
      assertThat(p.path("batchesToday").asLong()).isEqualTo(2);
      assertThat(Instant.parse(p.path("lastReportedAt").asText())).isBetween(now.minusSeconds(1), w.clock.instant());
      assertThat(p.path("hours")).hasSize(1);
      assertThat(p.path("hours").get(0).path("hour").asText()).isEqualTo(now.truncatedTo(ChronoUnit.HOURS).toString());
      assertThat(p.path("hours").get(0).path("events").asLong()).isEqualTo(distinct);

      // A day later only that day's batch counts; yesterday's stay where they were.
      Instant tomorrow = w.clock.advance(Duration.ofDays(1));
      TestClient later = w.intake();
      int taken = post(later, List.of(lastHour(w.a, tomorrow, "vm-t1"), lastHour(w.b, tomorrow, "vm-t2")));
      JsonNode q = get(later).path("properties");
      assertThat(q.path("day").asText()).isEqualTo(tomorrow.toString().substring(0, 10));
      assertThat(q.path("eventsToday").asLong()).isEqualTo(taken).isEqualTo(2);
      assertThat(q.path("batchesToday").asLong()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void onlyTheOperatorReadsIt(Engine engine) throws Exception {
    try (UsageFixture.World w = new UsageFixture.World(engine)) {
      TestClient guest = w.stack().asUser(w.alice, EndpointRole.STACK_ADMIN_ARM);
      assertThat(guest.get(TODAY).status()).isEqualTo(403);
      assertError(w.intake().get(IntakeToday.PATH + "?api-version=2015-01-01"), 400, "InvalidApiVersionParameter");
    }
  }

  private static JsonNode get(TestClient client) {
    TestClient.Response r = client.get(TODAY);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  /** Posts a batch and answers how many of its events were new. */
  private static int post(TestClient client, List<UsageEvent> batch) {
    TestClient.Response r = client.post(INTAKE, json(batch));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().path("accepted").asInt();
  }
}
