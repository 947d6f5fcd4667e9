package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.registration.BillingModel;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;

/**
 * What the cloud's commerce intake takes from a deployment: usage hours not older than the
 * operator's window ({@code maxUsageAge}, 90 days by default), billed never on an invoice of a month
 * before the deployment was registered, and resource ids without control characters.
 */
@Tag("storage")
class CommerceIntakeBoundsTest {
  /** When the deployment registers: the clock of every world here starts then. */
  static final Instant REGISTERED = Instant.parse("2026-10-01T00:00:00Z");
  static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";
  static final String SETTINGS = "/providers/Stackledger.Billing/billingSettings/default?api-version=2026-11-01";

  private static CommerceWorld.Rec rec(String sub, Instant hour, String quantity) {
    return new CommerceWorld.Rec(sub, UUID.randomUUID().toString(), BASE_VM, "Microsoft.Compute/virtualMachines/vm", hour,
        hour.plus(Duration.ofHours(1)), new BigDecimal(quantity));
  }

  private static TestClient.Response invoice(CommerceWorld w, String month) {
    return w.operator().get("/subscriptions/" + w.registration.subscriptionId()
        + "/providers/Stackledger.Billing/invoices/" + month + "?api-version=2026-11-01");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void usageOlderThanTheWindowIsRefusedWholeAndOpensNoInvoice(Engine engine) throws Exception {
    try (CommerceWorld w = new CommerceWorld(engine, REGISTERED, BillingModel.PayAsYouUse)) {
      w.at(REGISTERED.plus(Duration.ofDays(2)));
      String sub = UUID.randomUUID().toString();
      List<CommerceWorld.Rec> records = List.of(rec(sub, REGISTERED.plus(Duration.ofHours(1)), "1"),
          rec(sub, Instant.parse("0000-01-01T00:00:00Z"), "1"), rec(sub, Instant.parse("2020-01-15T00:00:00Z"), "1000"));

      TestClient.Response r = w.upload("old-1", records);

      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.errorCode()).isEqualTo("UsageTooOld");
      assertThat(r.errorTarget()).isEqualTo("records[1].usageStartTime");
      assertThat(r.json().path("error").path("details").findValuesAsText("target"))
          .containsExactly("records[1].usageStartTime", "records[2].usageStartTime");
      for (String month : List.of("0000-01", "2020-01", "2026-10")) {
        assertThat(invoice(w, month).status()).as("nothing of a refused batch is billed: " + month).isEqualTo(404);
      }
      TestClient.Response fresh = w.upload("old-2", records.subList(0, 1));
      assertThat(fresh.status()).as(fresh.body()).isEqualTo(200);
      assertThat(invoice(w, "2026-10").status()).isEqualTo(200);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void usageFromBeforeTheRegistrationIsBilledOnTheRegistrationMonthNeverOnAnEarlierInvoice(Engine engine)
      throws Exception {
    try (CommerceWorld w = new CommerceWorld(engine, REGISTERED, BillingModel.PayAsYouUse)) {
      w.at(REGISTERED.plus(Duration.ofDays(2)));
      String sub = UUID.randomUUID().toString();
      // The deployment took this usage four days before it registered (inside its own intake window).
      Instant before = REGISTERED.minus(Duration.ofDays(4));

      TestClient.Response r = w.upload("pre-1", List.of(rec(sub, before, "3"), rec(sub, REGISTERED, "2")));

      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(invoice(w, "2026-09").status()).as("no invoice before the registration's month").isEqualTo(404);
      JsonNode lines = invoice(w, "2026-10").json().path("properties").path("lines");
      assertThat(lines).hasSize(2);
      JsonNode september = lines.get(0).path("usageMonth").asText().equals("2026-09") ? lines.get(0) : lines.get(1);
      assertThat(september.path("usageMonth").asText()).isEqualTo("2026-09");
      assertThat(september.path("adjustment").asBoolean()).isTrue();
      assertThat(september.path("quantity").decimalValue()).isEqualByComparingTo("3");
      assertThat(w.operator().get("/subscriptions/" + w.registration.subscriptionId()
          + "/providers/Stackledger.Billing/invoices?api-version=2026-11-01").json().path("value")
          .findValuesAsText("name")).containsExactly("2026-10");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theOperatorSetsTheWindowWithinItsBounds(Engine engine) throws Exception {
    try (CommerceWorld w = new CommerceWorld(engine, REGISTERED, BillingModel.PayAsYouUse)) {
      assertThat(w.operator().get(SETTINGS).json().path("properties").path("maxUsageAge").asText()).isEqualTo("PT2160H");
      for (String bad : new String[] {"PT1H", "P367D", "a while"}) {
        TestClient.Response r = w.operator().put(SETTINGS, "{\"properties\":{\"maxUsageAge\":\"" + bad + "\"}}");
        assertThat(r.status()).as(bad).isEqualTo(400);
        assertThat(r.errorTarget()).isEqualTo("properties.maxUsageAge");
      }
      assertThat(w.partner().put(SETTINGS, "{\"properties\":{\"maxUsageAge\":\"P366D\"}}").status()).isEqualTo(403);

      // 100 days after an hour of usage: refused by the default window, taken once it is widened.
      w.at(REGISTERED.plus(Duration.ofDays(101)));
      List<CommerceWorld.Rec> late = List.of(rec(UUID.randomUUID().toString(), REGISTERED.plus(Duration.ofDays(1)), "1"));
      assertThat(w.upload("late-1", late).errorCode()).isEqualTo("UsageTooOld");
      TestClient.Response widened = w.operator().put(SETTINGS, "{\"properties\":{\"maxUsageAge\":\"P366D\"}}");
      assertThat(widened.status()).as(widened.body()).isEqualTo(200);
      assertThat(widened.json().path("properties").path("maxUsageAge").asText()).isEqualTo("PT8784H");
      TestClient.Response taken = w.upload("late-1", late);
      assertThat(taken.status()).as(taken.body()).isEqualTo(200);
      assertThat(taken.json().path("accepted").asInt()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aControlCharacterInAResourceUriOrLocationRefusesTheBatch(Engine engine) throws Exception {
    try (CommerceWorld w = new CommerceWorld(engine, REGISTERED, BillingModel.PayAsYouUse)) {
      w.at(REGISTERED.plus(Duration.ofDays(1)));
      String good = CommerceWorld.body("cc-1", w.cloudId(), List.of(rec(UUID.randomUUID().toString(), REGISTERED, "1")));

      TestClient.Response uri = w.bridge().post(w.registration.path() + CommerceWorld.UPLOAD,
          good.replace("virtualMachines/vm", "virtualMachines/v\\u0000m"));
      TestClient.Response location = w.bridge().post(w.registration.path() + CommerceWorld.UPLOAD,
          good.replace("\"location\":\"local\"", "\"location\":\"lo\\ncal\""));

      assertThat(uri.status()).as(uri.body()).isEqualTo(400);
      assertThat(uri.errorTarget()).isEqualTo("records[0].resourceUri");
      assertThat(location.status()).as(location.body()).isEqualTo(400);
      assertThat(location.errorTarget()).isEqualTo("records[0].location");
      assertThat(invoice(w, "2026-10").status()).isEqualTo(404);
    }
  }
}
