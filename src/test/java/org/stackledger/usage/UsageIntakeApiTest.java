package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;
import static org.stackledger.usage.UsageFixture.INTAKE;
import static org.stackledger.usage.UsageFixture.Q;
import static org.stackledger.usage.UsageFixture.all;
import static org.stackledger.usage.UsageFixture.event;
import static org.stackledger.usage.UsageFixture.expected;
import static org.stackledger.usage.UsageFixture.json;
import static org.stackledger.usage.UsageFixture.lastHour;
import static org.stackledger.usage.UsageFixture.sums;
import static org.stackledger.usage.UsageFixture.window;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.usersubscriptions.Stack;

/**
 * The usage intake over HTTPS: both body formats, every way a batch is refused (and that a refused
 * batch leaves no trace), idempotent re-sends, eventId conflicts, who may post, and meter ids in any
 * case. What was accepted is then read back through the tenant API and compared with an independent
 * fold of the events.
 */
@Tag("storage")
class UsageIntakeApiTest {
  /** One event as a JSON object's text, edited by {@code edit} (a plain text replacement). */
  private static String raw(UsageEvent e, UnaryOperator<String> edit) {
    String array = json(List.of(e));
    return edit.apply(array.substring(1, array.length() - 1));
  }

  private static String array(String... events) {
    return "[" + String.join(",", events) + "]";
  }

  private record Problem(String body, String field, String code) {}

  /** What the deployment holds: distinct events in the idempotency index, and batches in the log. */
  private record Stored(int events, long batches) {
    static Stored of(UsageFixture.World w) {
      int events = ((Intake) w.server.app().usage().intake()).distinctEvents();
      long batches = w.server.app().database().jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_batches")
          .mapTo(Long.class).one());
      return new Stored(events, batches);
    }
  }

  /** Posts a body that must be refused with the status and code, the target, and nothing stored. */
  private static TestClient.Response refused(UsageFixture.World w, TestClient intake, String body, int status, String code,
      String target) {
    Stored before = Stored.of(w);
    TestClient.Response r = assertError(intake.post(INTAKE, body), status, code);
    assertThat(r.errorTarget()).as(r.body()).isEqualTo(target);
    assertThat(Stored.of(w)).as("a refused batch stores nothing").isEqualTo(before);
    return r;
  }

  private static List<String> detailTargets(TestClient.Response r) {
    List<String> targets = new ArrayList<>();
    r.json().path("error").path("details").forEach(d -> targets.add(d.path("target").asText()));
    return targets;
  }

  private static Map<String, String> detailCodes(TestClient.Response r) {
    Map<String, String> codes = new HashMap<>();
    r.json().path("error").path("details").forEach(d -> codes.put(d.path("target").asText(), d.path("code").asText()));
    return codes;
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theIntakeTakesGoodBatchesOnceAndRefusesBadOnesWhole(Engine engine) throws Exception {
    try (UsageFixture.World w = new UsageFixture.World(engine)) {
      TestClient intake = w.intake();
      Instant now = w.clock.instant();
      Instant hour = now.truncatedTo(ChronoUnit.HOURS);
      Map<Instant, List<UsageEvent>> sent = new HashMap<>();

      // NDJSON and the JSON array are the same batch: sent as NDJSON, then as an array, all duplicates.
      List<UsageEvent> batch = List.of(lastHour(w.a, now, "vm-a"), lastHour(w.a, now, "vm-b"), lastHour(w.b, now, "vm-c"));
      String ndjson = batch.stream().map(e -> raw(e, t -> t)).collect(Collectors.joining("\n", "", "\n"));
      TestClient.Response nd = intake.send("POST", INTAKE, ndjson, Map.of("Content-Type", "application/x-ndjson"));
      assertThat(nd.status()).as(nd.body()).isEqualTo(200);
      assertThat(nd.json().path("accepted").asInt()).isEqualTo(3);
      assertThat(nd.json().path("reportedTime").asText()).isEqualTo(now.toString());
      sent.computeIfAbsent(now, k -> new ArrayList<>()).addAll(batch);
      TestClient.Response again = intake.post(INTAKE, json(batch));
      assertThat(again.status()).as(again.body()).isEqualTo(200);
      assertThat(again.json().path("accepted").asInt()).isZero();
      assertThat(again.json().path("duplicates").asInt()).isEqualTo(3);
      assertThat(again.json().has("reportedTime")).as("nothing new was stamped").isFalse();
      // A repeated batch with one new event in it: the new one counts, the rest are duplicates.
      UsageEvent extra = lastHour(w.a, now, "vm-d");
      List<UsageEvent> grown = new ArrayList<>(batch);
      grown.add(1, extra);
      TestClient.Response mixed = intake.post(INTAKE, json(grown));
      assertThat(mixed.json().path("accepted").asInt()).isEqualTo(1);
      assertThat(mixed.json().path("duplicates").asInt()).isEqualTo(3);
      sent.get(now).add(extra);

      // Meter ids match in any case; both spellings land in one row under the catalogue's spelling.
      UsageEvent lower = event(w.b, UsageStoreTest.BASE_VM.toLowerCase(Locale.ROOT), "2", hour.minus(1, ChronoUnit.HOURS),
          hour.minus(1, ChronoUnit.HOURS).plusSeconds(600), "vm-case");
      UsageEvent upper = event(w.b, UsageStoreTest.BASE_VM, "3", hour.minus(1, ChronoUnit.HOURS).plusSeconds(600),
          hour.minus(1, ChronoUnit.HOURS).plusSeconds(1200), "vm-case");
      assertThat(intake.post(INTAKE, json(List.of(lower, upper))).status()).isEqualTo(200);
      sent.get(now).addAll(List.of(lower, upper));
      Stored good = Stored.of(w);
      assertThat(good.events()).isEqualTo(6);

      // Bodies that are not a batch.
      refused(w, intake, "[{\"eventId\":", 400, "InvalidJson", "events");
      refused(w, intake, "{not json}", 400, "InvalidJson", "events");
      refused(w, intake, "42", 400, "InvalidJson", "events");
      refused(w, intake, "\"events\"", 400, "InvalidJson", "events");
      refused(w, intake, "[1, 2]", 400, "InvalidJson", "events[0]");
      refused(w, intake, array(raw(extra, t -> t)) + "]", 400, "InvalidJson", "events");
      refused(w, intake, "[]", 400, "EmptyBatch", "events");
      refused(w, intake, "", 400, "EmptyBatch", "events");
      // One event more than a batch may hold; empty objects keep the body small.
      refused(w, intake, "[" + "{},".repeat(Usage.MAX_EVENTS) + "{}]", 413, "BatchTooLarge", "events");
      // As many as it may hold, every one missing every property: refused at once (this took the
      // parser quadratic time once), with the answer's list of problems capped.
      long started = System.nanoTime();
      TestClient.Response empty = refused(w, intake, "[" + "{},".repeat(Usage.MAX_EVENTS - 1) + "{}]", 400,
          "MissingProperty", "events[0].eventId");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
      assertThat(detailTargets(empty)).hasSize(EventRules.MAX_PROBLEMS).contains("events[0].location");

      // Each per-event problem alone, at index 1 behind a good event: the whole batch is refused.
      String ok = raw(lastHour(w.a, now, "vm-ok"), t -> t);
      UsageEvent base = lastHour(w.a, now, "vm-bad");
      String start = base.usageStartTime().toString();
      String end = base.usageEndTime().toString();
      // Well past the allowed skew, and a window of its own hour.
      Instant future = hour.plus(2, ChronoUnit.HOURS);
      assertThat(future).isAfter(now.plus(EventRules.FUTURE_SKEW));
      // Problems of the rules (checked on parsed events) and of the JSON's shape (found while parsing).
      List<Problem> rules = List.of(
          new Problem(raw(base, t -> t.replace(UsageStoreTest.BASE_VM, UUID.randomUUID().toString())), "meterId",
              "UnknownMeter"),
          new Problem(raw(base, t -> t.replace(w.a, UUID.randomUUID().toString())), "subscriptionId",
              "UnknownSubscription"),
          new Problem(raw(base, t -> t.replace("\"quantity\":1.25", "\"quantity\":-1.25")), "quantity",
              "InvalidQuantity"),
          new Problem(raw(base, t -> t.replace("\"usageEndTime\":\"" + end, "\"usageEndTime\":\"" + start)),
              "usageEndTime", "InvalidUsageWindow"),
          new Problem(raw(base, t -> t.replace("\"usageEndTime\":\"" + end, "\"usageEndTime\":\""
              + base.usageEndTime().plusSeconds(60))), "usageEndTime", "UsageWindowCrossesHour"),
          new Problem(raw(base, t -> t.replace(start, future.toString()).replace(end, future.plusSeconds(30).toString())),
              "usageStartTime", "UsageStartInFuture"));
      List<Problem> shapes = List.of(
          new Problem(raw(base, t -> t.replace("\"quantity\":1.25", "\"quantity\":NaN")), "quantity", "InvalidQuantity"),
          new Problem(raw(base, t -> t.replace("\"quantity\":1.25", "\"quantity\":\"1.25\"")), "quantity",
              "InvalidQuantity"),
          new Problem(raw(base, t -> t.replaceAll(",\"resourceUri\":\"[^\"]*\"", "")), "resourceUri", "MissingProperty"),
          new Problem(raw(base, t -> t.replace("\"meterId\":\"" + UsageStoreTest.BASE_VM + "\"", "\"meterId\":42")),
              "meterId", "InvalidProperty"),
          new Problem(raw(base, t -> t.replace("\"usageStartTime\":\"" + start, "\"usageStartTime\":\"yesterday")),
              "usageStartTime", "InvalidProperty"),
          new Problem(raw(base, t -> t.replace("\"location\":\"local\"", "\"location\":\"local\",\"tags\":[1]")),
              "tags", "InvalidProperty"));
      for (List<Problem> kind : List.of(rules, shapes)) {
        for (Problem p : kind) {
          String target = "events[1]." + p.field();
          TestClient.Response r = refused(w, intake, array(ok, p.body()), 400, p.code(), target);
          assertThat(r.json().path("error").path("message").asText()).contains(target);
          assertThat(detailTargets(r)).as(p.body()).containsExactly(target);
        }
        // All of a kind in one batch behind a good event: the first is the error, every one a detail.
        List<String> bodies = new ArrayList<>(List.of(ok));
        Map<String, String> codes = new HashMap<>();
        for (Problem p : kind) {
          codes.put("events[" + bodies.size() + "]." + p.field(), p.code());
          bodies.add(p.body());
        }
        TestClient.Response r = refused(w, intake, array(bodies.toArray(String[]::new)), 400, kind.get(0).code(),
            "events[1]." + kind.get(0).field());
        assertThat(detailCodes(r)).isEqualTo(codes);
      }

      // An eventId names one record forever: other content under it is a 409 on that event.
      String conflicting = raw(batch.get(1), t -> t.replace("\"quantity\":1.25", "\"quantity\":1.5"));
      TestClient.Response conflict = refused(w, intake, array(ok, conflicting), 409, "EventIdConflict",
          "events[1].eventId");
      assertThat(detailTargets(conflict)).containsExactly("events[1].eventId");
      // Two events of one batch under one eventId with different content conflict too.
      UsageEvent twin = lastHour(w.a, now, "vm-twin");
      String twinOther = raw(twin, t -> t.replace("\"quantity\":1.25", "\"quantity\":2"));
      refused(w, intake, array(ok, raw(twin, t -> t), twinOther), 409, "EventIdConflict", "events[2].eventId");

      // Only the operator posts usage: a guest user, a guest tenant's principal and a tenant-endpoint
      // caller are refused, and store nothing.
      Stack s = w.stack();
      TestClient guest = s.asUser(w.alice, EndpointRole.STACK_ADMIN_ARM);
      refusedForbidden(w, guest.post(INTAKE, array(ok)));
      TestClient principal = new TestClient(w.server.app().url(EndpointRole.STACK_ADMIN_ARM), w.server.app().certificate())
          .withToken(w.server.token(w.alice.tenant().clientId(), w.alice.tenant().clientSecret(),
              w.alice.tenant().tenantId(), Stackledger.STACK_ADMIN_AUDIENCE));
      refusedForbidden(w, principal.post(INTAKE, array(ok)));
      TestClient reseller = s.asUser(w.reseller, EndpointRole.STACK_ADMIN_ARM);
      refusedForbidden(w, reseller.post(INTAKE, array(ok)));
      assertThat(Stored.of(w)).isEqualTo(good);

      // Read back: exactly what was accepted, counted once; nothing of any refused batch.
      w.clock.advance(Duration.ofHours(1));
      Instant to = w.clock.instant().truncatedTo(ChronoUnit.HOURS);
      s = w.stack();
      for (String sub : List.of(w.a, w.b)) {
        Stack.Guest owner = sub.equals(w.a) ? w.alice : w.bob;
        List<JsonNode> rows = all(s.asUser(owner, EndpointRole.STACK_TENANT_ARM), "/subscriptions/" + sub
            + "/providers/Microsoft.Commerce/usageAggregates?" + Q + window(hour, to, "Hourly"));
        assertThat(sums(rows)).isEqualTo(expected(sent, ChronoUnit.HOURS, Set.of(sub)));
        rows.forEach(r -> assertThat(r.path("properties").path("meterId").asText()).isEqualTo(UsageStoreTest.BASE_VM));
      }
    }
  }

  private static void refusedForbidden(UsageFixture.World w, TestClient.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(403);
    assertThat(r.header("x-ms-error-code")).isEqualTo(r.errorCode()).isNotBlank();
  }
}
