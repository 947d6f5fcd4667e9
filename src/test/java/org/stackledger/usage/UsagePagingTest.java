package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;
import static org.stackledger.usage.UsageFixture.Q;
import static org.stackledger.usage.UsageFixture.all;
import static org.stackledger.usage.UsageFixture.expected;
import static org.stackledger.usage.UsageFixture.lastHour;
import static org.stackledger.usage.UsageFixture.send;
import static org.stackledger.usage.UsageFixture.sums;
import static org.stackledger.usage.UsageFixture.window;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.usersubscriptions.Stack;

/**
 * Paging of the usage APIs over HTTPS: more than a thousand aggregates come in pages of exactly a
 * thousand linked by an absolute {@code nextLink}, together exactly the expected rows, and a
 * continuation stays exact while more usage arrives and more hours close between two pages.
 */
@Tag("storage")
class UsagePagingTest {
  private static final int INSTANCES = 1_500;

  private static List<UsageEvent> instances(String subscription, Instant now, String prefix, int n) {
    List<UsageEvent> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(lastHour(subscription, now, prefix + i));
    }
    return events;
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void pagesOfAThousandStayExactWhileUsageKeepsArriving(Engine engine) throws Exception {
    try (UsageFixture.World w = new UsageFixture.World(engine)) {
      Instant reported = w.clock.instant();
      List<UsageEvent> first = instances(w.a, reported, "vm", INSTANCES);
      send(w.intake(), first);
      w.clock.advance(Duration.ofHours(1));
      Instant hour = reported.truncatedTo(ChronoUnit.HOURS);
      Stack s = w.stack();
      TestClient alice = s.asUser(w.alice, EndpointRole.STACK_TENANT_ARM);
      String path = "/subscriptions/" + w.a + "/providers/Microsoft.Commerce/usageAggregates";
      String query = path + "?" + Q + window(hour, hour.plus(1, ChronoUnit.HOURS), "Hourly");

      TestClient.Response page1 = alice.get(query);
      assertThat(page1.status()).as(page1.body()).isEqualTo(200);
      assertThat(page1.json().path("value")).hasSize(1000);
      String nextLink = page1.json().path("nextLink").asText();
      // Absolute, on the endpoint and path the client used, carrying the query and the token.
      assertThat(nextLink).startsWith(alice.baseUrl() + path + "?").contains("continuationToken=");
      URI next = URI.create(nextLink);
      assertThat(next.getRawQuery()).contains("reportedStartTime=").contains("reportedEndTime=")
          .contains("aggregationGranularity=Hourly").contains("api-version=2015-06-01-preview");
      String token = next.getRawQuery().replaceAll(".*continuationToken=([^&]*).*", "$1");

      TestClient.Response quiet = alice.get(nextLink);
      assertThat(quiet.status()).as(quiet.body()).isEqualTo(200);
      assertThat(quiet.json().path("value")).hasSize(INSTANCES - 1000);
      assertThat(quiet.json().has("nextLink")).isFalse();

      List<JsonNode> rows = new ArrayList<>();
      page1.json().path("value").forEach(rows::add);
      quiet.json().path("value").forEach(rows::add);
      // sums() fails on a row seen twice; the expected fold is of what was sent in the reported hour.
      assertThat(sums(rows)).isEqualTo(expected(Map.of(reported, first), ChronoUnit.HOURS, Set.of(w.a)));

      // A token is bound to its query: another window, granularity, subscription or API refuses it.
      String elsewhere = window(hour, hour.plus(1, ChronoUnit.HOURS), "Hourly");
      for (String other : List.of(
          path + "?" + Q + window(hour.minus(1, ChronoUnit.HOURS), hour.plus(1, ChronoUnit.HOURS), "Hourly"),
          path + "?" + Q + window(hour.truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS),
              hour.truncatedTo(ChronoUnit.DAYS), "Daily"),
          "/subscriptions/" + s.operator() + "/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates?" + Q
              + elsewhere)) {
        TestClient client = other.contains("Admin") ? s.admin() : alice;
        TestClient.Response r = assertError(client.get(other + "&continuationToken=" + token), 400, "InvalidProperty");
        assertThat(r.errorTarget()).isEqualTo("continuationToken");
      }
      // One character changed is not a token either.
      String tampered = token.substring(0, token.length() - 2) + (token.endsWith("A") ? "B" : "A")
          + token.charAt(token.length() - 1);
      assertThat(assertError(alice.get(query + "&continuationToken=" + tampered), 400, "InvalidProperty").errorTarget())
          .isEqualTo("continuationToken");

      // Between page 1 and page 2: more usage of the same instances and new ones arrives, the clock
      // leaves another hour, and a wider query folds it. Page 2 must not move.
      Instant later = w.clock.instant();
      List<UsageEvent> more = new ArrayList<>(instances(w.a, later, "vm", 300));
      more.addAll(instances(w.a, later, "late-vm", 300));
      send(w.intake(), more);
      w.clock.advance(Duration.ofHours(2));
      // Signed in afresh: tokens expire as the clock moves.
      s = w.stack();
      alice = s.asUser(w.alice, EndpointRole.STACK_TENANT_ARM);
      List<JsonNode> wider = all(alice, path + "?" + Q + window(hour, hour.plus(3, ChronoUnit.HOURS), "Hourly"));
      assertThat(sums(wider)).isEqualTo(expected(Map.of(reported, first, later, more), ChronoUnit.HOURS, Set.of(w.a)));
      TestClient.Response busy = alice.get(nextLink);
      assertThat(busy.status()).as(busy.body()).isEqualTo(200);
      assertThat(busy.json()).isEqualTo(quiet.json());

      // The provider API pages the same way over its direct tenants.
      String provider = "/subscriptions/" + s.operator() + "/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates?"
          + Q + window(hour, hour.plus(3, ChronoUnit.HOURS), "Hourly");
      TestClient.Response p1 = s.admin().get(provider);
      assertThat(p1.json().path("value")).hasSize(1000);
      assertThat(p1.json().path("nextLink").asText()).startsWith(s.admin().baseUrl() + "/subscriptions/");
      assertThat(sums(all(s.admin(), provider))).isEqualTo(sums(wider));
    }
  }
}
