package org.stackledger.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.stackledger.usage.UsageEvent;

/**
 * Usage summed by {@code subscription|METER}: once from the raw events a test sent, once from what
 * the provider usage API answers, so the two can be compared exactly.
 */
public final class UsageTotals {
  private UsageTotals() {}

  /** The raw events summed, independently of any server. */
  public static Map<String, BigDecimal> of(List<UsageEvent> events) {
    Map<String, BigDecimal> out = new TreeMap<>();
    for (UsageEvent e : events) {
      out.merge(e.subscriptionId() + "|" + e.meterId().toUpperCase(Locale.ROOT), e.quantity(), BigDecimal::add);
    }
    out.replaceAll((k, v) -> v.stripTrailingZeros());
    return out;
  }

  /**
   * The provider usage API's rows of the reported window, every page, summed the same way.
   *
   * @param admin a client of the stack admin endpoint, signed in as the operator
   */
  public static Map<String, BigDecimal> reported(TestClient admin, String operatorSubscription, Instant from, Instant to,
      String granularity) {
    Map<String, BigDecimal> out = new TreeMap<>();
    String next = "/subscriptions/" + operatorSubscription + "/providers/Microsoft.Commerce.Admin/"
        + "subscriberUsageAggregates?api-version=2015-06-01-preview&reportedStartTime=" + from + "&reportedEndTime=" + to
        + "&aggregationGranularity=" + granularity;
    while (next != null) {
      TestClient.Response r = admin.get(next);
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      for (JsonNode row : r.json().path("value")) {
        JsonNode p = row.path("properties");
        out.merge(p.path("subscriptionId").asText() + "|" + p.path("meterId").asText().toUpperCase(Locale.ROOT),
            new BigDecimal(p.path("quantity").asText()), BigDecimal::add);
      }
      next = r.json().hasNonNull("nextLink") ? r.json().get("nextLink").asText().substring(admin.baseUrl().length())
          : null;
    }
    out.replaceAll((k, v) -> v.stripTrailingZeros());
    return out;
  }
}
