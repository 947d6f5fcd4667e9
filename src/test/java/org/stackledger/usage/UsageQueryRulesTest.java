package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.testing.ArmCalls.assertError;
import static org.stackledger.usage.UsageFixture.Q;
import static org.stackledger.usage.UsageFixture.all;
import static org.stackledger.usage.UsageFixture.lastHour;
import static org.stackledger.usage.UsageFixture.send;
import static org.stackledger.usage.UsageFixture.window;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.usersubscriptions.Stack;

/**
 * The usage APIs' parameter rules and error codes (spec §5.3), over HTTPS: every refusal is a 400 in
 * the ARM envelope with {@code x-ms-error-code}, its target and message naming the parameter, and
 * never a 500. One deployment per engine serves every case, since each case is one GET.
 */
@Tag("storage")
class UsageQueryRulesTest {
  /** Asserts a 400 with the code whose target is the parameter and whose message names it. */
  private static void refused(TestClient client, String url, String code, String parameter) {
    refused(client, url, code, parameter, parameter);
  }

  /** As above, where the message names the parameter by what it was given ({@code named}). */
  private static void refused(TestClient client, String url, String code, String parameter, String named) {
    TestClient.Response r = assertError(client.get(url), 400, code);
    assertThat(r.errorTarget()).as(url).isEqualTo(parameter);
    assertThat(r.json().path("error").path("message").asText()).as(url).contains(named);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void everyBadParameterIsA400NamingIt(Engine engine) throws Exception {
    try (UsageFixture.World w = new UsageFixture.World(engine)) {
      // Some usage two days back, so that accepted queries have rows whose period can be checked.
      send(w.intake(), List.of(lastHour(w.a, w.clock.instant(), "vm-rules")));
      w.clock.advance(Duration.ofDays(2));
      Stack s = w.stack();
      TestClient alice = s.asUser(w.alice, EndpointRole.STACK_TENANT_ARM);
      Instant hour = w.clock.instant().truncatedTo(ChronoUnit.HOURS);
      Instant day = w.clock.instant().truncatedTo(ChronoUnit.DAYS);
      String path = "/subscriptions/" + w.a + "/providers/Microsoft.Commerce/usageAggregates?";
      String tenant = path + Q;
      String hourly = window(hour.minus(2, ChronoUnit.HOURS), hour, "Hourly");

      // api-version: missing, then one the usage API does not speak.
      refused(alice, path + hourly.substring(1), "NoApiVersion", "api-version");
      refused(alice, path + "api-version=2016-01-01" + hourly, "InvalidApiVersionParameter", "api-version");

      // reportedStartTime and reportedEndTime: missing, not a date-time, not on an hour boundary.
      for (String name : List.of("reportedStartTime", "reportedEndTime")) {
        String start = name.equals("reportedStartTime") ? "" : "&reportedStartTime=" + hour.minus(2, ChronoUnit.HOURS);
        String end = name.equals("reportedEndTime") ? "" : "&reportedEndTime=" + hour;
        refused(alice, tenant + start + end + "&aggregationGranularity=Hourly", "InvalidProperty", name);
        refused(alice, tenant + start + end + "&" + name + "=&aggregationGranularity=Hourly", "InvalidProperty", name);
        refused(alice, tenant + start + end + "&" + name + "=yesterday&aggregationGranularity=Hourly", "InvalidProperty",
            name);
        refused(alice, tenant + start + end + "&" + name + "=2026-13-45T00:00:00Z&aggregationGranularity=Hourly",
            "InvalidProperty", name);
        Instant off = (name.equals("reportedStartTime") ? hour.minus(2, ChronoUnit.HOURS) : hour).minusSeconds(30 * 60);
        refused(alice, tenant + start + end + "&" + name + "=" + off + "&aggregationGranularity=Hourly",
            "InvalidProperty", name);
        // Daily asks for UTC midnights: an hour boundary is not enough.
        Instant notMidnight = name.equals("reportedStartTime") ? day.minus(1, ChronoUnit.DAYS).plus(5, ChronoUnit.HOURS)
            : day.minus(1, ChronoUnit.HOURS);
        String other = name.equals("reportedStartTime") ? "&reportedEndTime=" + day
            : "&reportedStartTime=" + day.minus(2, ChronoUnit.DAYS);
        refused(alice, tenant + other + "&" + name + "=" + notMidnight + "&aggregationGranularity=Daily",
            "InvalidProperty", name);
      }

      // The window: end after start, and not in the future.
      refused(alice, tenant + window(hour.minus(1, ChronoUnit.HOURS), hour.minus(1, ChronoUnit.HOURS), "Hourly"),
          "InvalidProperty", "reportedEndTime");
      refused(alice, tenant + window(hour, hour.minus(3, ChronoUnit.HOURS), "Hourly"), "InvalidProperty",
          "reportedEndTime");
      refused(alice, tenant + window(hour.minus(1, ChronoUnit.HOURS), hour.plus(1, ChronoUnit.HOURS), "Hourly"),
          "RequestEndTimeIsInFuture", "reportedEndTime");
      refused(alice, tenant + window(day.minus(1, ChronoUnit.DAYS), day.plus(1, ChronoUnit.DAYS), "Daily"),
          "RequestEndTimeIsInFuture", "reportedEndTime");

      // Granularity: Daily or Hourly in any case, Daily when absent, nothing else.
      refused(alice, tenant + window(day.minus(2, ChronoUnit.DAYS), day, "weekly"), "InvalidAggregationGranularity",
          "aggregationGranularity");
      String days = "&reportedStartTime=" + day.minus(3, ChronoUnit.DAYS) + "&reportedEndTime=" + day;
      List<JsonNode> byDefault = all(alice, tenant + days);
      assertThat(byDefault).hasSize(1);
      assertThat(all(alice, tenant + days + "&aggregationGranularity=DAILY")).isEqualTo(byDefault);
      assertThat(all(alice, tenant + days + "&aggregationGranularity=daily")).isEqualTo(byDefault);
      JsonNode props = byDefault.get(0).path("properties");
      assertThat(Duration.between(Instant.parse(props.path("usageStartTime").asText().replace("+00:00", "Z")),
          Instant.parse(props.path("usageEndTime").asText().replace("+00:00", "Z")))).as("the default is Daily")
          .isEqualTo(Duration.ofDays(1));
      // Without a granularity a query is Daily, so hour boundaries that are not midnights are refused.
      refused(alice, tenant + "&reportedStartTime=" + day.minus(2, ChronoUnit.DAYS).plus(5, ChronoUnit.HOURS)
          + "&reportedEndTime=" + day, "InvalidProperty", "reportedStartTime");
      List<JsonNode> byHour = all(alice, tenant + days + "&aggregationGranularity=hourly");
      assertThat(byHour).hasSize(1);
      assertThat(all(alice, tenant + days + "&aggregationGranularity=HOURLY")).isEqualTo(byHour);
      assertThat(all(alice, tenant + days + "&aggregationGranularity=Hourly")).isEqualTo(byHour);

      // The documented escaping (spec §5.3: ':' as %3a, '+' as %2b, an offset followed by Z) is accepted,
      // and so is a '+' sent unescaped (it arrives as a space).
      String from = day.minus(3, ChronoUnit.DAYS).toString().replace("Z", "");
      String to = day.toString().replace("Z", "");
      String escaped = "&reportedStartTime=" + from.replace(":", "%3a") + "%2b00%3a00Z&reportedEndTime="
          + to.replace(":", "%3a") + "%2b00%3a00Z";
      assertThat(all(alice, tenant + escaped)).isEqualTo(byDefault);
      assertThat(all(alice, tenant + "&reportedStartTime=" + from + "+00:00&reportedEndTime=" + to + "+00:00"))
          .isEqualTo(byDefault);

      // The subscription id: missing from the path, on both APIs.
      refused(alice, "/subscriptions//providers/Microsoft.Commerce/usageAggregates?" + Q + days,
          "SubscriptionIdMissingInRequest", "subscriptionId");
      refused(alice, "/providers/Microsoft.Commerce/usageAggregates?" + Q + days, "SubscriptionIdMissingInRequest",
          "subscriptionId");
      refused(s.admin(), "/subscriptions//providers/Microsoft.Commerce.Admin/subscriberUsageAggregates?" + Q + days,
          "SubscriptionIdMissingInRequest", "subscriptionId");

      // subscriberId: a tenant of the delegated provider, an unknown GUID, and not a GUID at all.
      String provider = "/subscriptions/" + s.operator() + "/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates?"
          + Q + days;
      for (String subscriber : List.of(w.d, UUID.randomUUID().toString(), "not-a-guid")) {
        refused(s.admin(), provider + "&subscriberId=" + subscriber, "SubscriberIdIsNotDirectTenant", "subscriberId",
            subscriber);
      }
      refused(s.admin(), provider + "&subscriberId=%27%3B--", "SubscriberIdIsNotDirectTenant", "subscriberId", "';--");
      assertThat(all(s.admin(), provider + "&subscriberId=" + w.a)).hasSize(1);

      // continuationToken: garbage of every shape is refused by name, never a 500.
      // A token forged with the right query fingerprint but a period no Instant can hold.
      String fingerprint = "t|" + w.a + "|" + new UsageRoutes.Window(day.minus(3, ChronoUnit.DAYS), day,
          UsageQueries.Granularity.DAILY);
      String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(("1\n" + Long.MAX_VALUE
          + "\n" + w.a + "\nm\nk\n" + Integer.toHexString(fingerprint.hashCode())).getBytes(
          java.nio.charset.StandardCharsets.UTF_8));
      refused(alice, tenant + days + "&continuationToken=" + forged, "InvalidProperty", "continuationToken");
      for (String token : List.of("garbage", "%25%25%25", "MQ", "MQoxCjIKMwo0CjU", "AAAA", "_-_-")) {
        refused(alice, tenant + days + "&continuationToken=" + token, "InvalidProperty", "continuationToken");
        refused(s.admin(), provider + "&continuationToken=" + token, "InvalidProperty", "continuationToken");
      }
    }
  }
}
