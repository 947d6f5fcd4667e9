package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;

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

/** The upload's refusals, the billing models, finalization rules and the operator's billing settings. */
@Tag("storage")
class CommerceRulesTest {
  static final Instant OCT = Instant.parse("2026-10-01T00:00:00Z");
  static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";

  private static CommerceWorld.Rec rec(String sub, Instant hour, String quantity) {
    return new CommerceWorld.Rec(sub, UUID.randomUUID().toString(), BASE_VM, "Microsoft.Compute/virtualMachines/vm", hour,
        hour.plus(Duration.ofHours(1)), new BigDecimal(quantity));
  }

  private static String invoicePath(String sub, String month) {
    return "/subscriptions/" + sub + "/providers/Stackledger.Billing/invoices/" + month + "?api-version=2026-11-01";
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void badUploadsAreRefusedWholeAndChangeNothing(Engine engine) throws Exception {
    try (CommerceWorld w = new CommerceWorld(engine, OCT, BillingModel.PayAsYouUse)) {
      w.at(OCT.plus(Duration.ofDays(2)));
      String sub = UUID.randomUUID().toString();
      String regSub = w.registration.subscriptionId();
      String good = CommerceWorld.body("b1", w.cloudId(), List.of(rec(sub, OCT, "2")));
      String bad = good.replace("\"quantity\":2", "\"quantity\":-1").replace(BASE_VM, "not-a-meter")
          .replace("\"location\":\"local\",", "");
      TestClient.Response r = w.bridge().post(w.registration.path() + CommerceWorld.UPLOAD, bad);
      assertThat(r.status()).as(r.body()).isEqualTo(400);
      assertThat(r.json().path("error").path("details").findValuesAsText("target"))
          .contains("records[0].quantity", "records[0].meterId", "records[0].location");
      assertThat(w.operator().get(invoicePath(regSub, "2026-10")).status()).isEqualTo(404);

      TestClient.Response partner = w.partner().post(w.registration.path() + CommerceWorld.UPLOAD, good);
      assertThat(partner.status()).as("only the bridge identity uploads: %s", partner.body()).isEqualTo(403);
      TestClient.Response other = w.bridge().post(w.registration.path() + CommerceWorld.UPLOAD,
          good.replace(w.cloudId(), UUID.randomUUID().toString()));
      assertThat(other.status()).isEqualTo(400);
      assertThat(other.errorCode()).isEqualTo("CloudIdMismatch");
      TestClient.Response noVersion = w.bridge().post(w.registration.path() + "/usage", good);
      assertThat(noVersion.status()).isEqualTo(400);
      assertThat(w.operator().get(invoicePath(regSub, "2026-10")).status()).isEqualTo(404);

      assertThat(w.bridge().post(w.registration.path() + CommerceWorld.UPLOAD, good).json().path("accepted").asInt())
          .isEqualTo(1);
      TestClient.Response again = w.bridge().post(w.registration.path() + CommerceWorld.UPLOAD, good);
      assertThat(again.json().path("duplicates").asInt()).isEqualTo(1);
      // The same record with another quantity, beside a new one: refused whole.
      String changed = CommerceWorld.body("b2", w.cloudId(), List.of(rec(sub, OCT.plus(Duration.ofHours(5)), "1"),
          rec(sub, OCT, "3")));
      TestClient.Response conflict = w.bridge().post(w.registration.path() + CommerceWorld.UPLOAD, changed);
      assertThat(conflict.status()).as(conflict.body()).isEqualTo(409);
      assertThat(conflict.errorCode()).isEqualTo("UsageRecordConflict");
      var lines = w.operator().get(invoicePath(regSub, "2026-10")).json().path("properties").path("lines");
      assertThat(lines).hasSize(1);
      assertThat(lines.get(0).path("quantity").decimalValue()).isEqualByComparingTo("2");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void quantitiesKeepEveryDigitTheDeploymentSent(Engine engine) throws Exception {
    try (CommerceWorld w = new CommerceWorld(engine, OCT, BillingModel.PayAsYouUse)) {
      w.at(OCT.plus(Duration.ofDays(1)));
      String sub = UUID.randomUUID().toString();
      // 27 significant digits: a double would keep 17.
      String exact = "1234567.12345678901234567891";
      assertThat(w.upload("p1", List.of(rec(sub, OCT, exact))).status()).isEqualTo(200);
      TestClient.Response invoice = w.operator().get(invoicePath(w.registration.subscriptionId(), "2026-10"));
      assertThat(invoice.body()).contains("\"quantity\":" + exact);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void capacityUsageIsKeptButNeverBilledAndDevelopmentIsFree(Engine engine) throws Exception {
    try (CommerceWorld w = new CommerceWorld(engine, OCT, BillingModel.Capacity)) {
      w.at(OCT.plus(Duration.ofDays(1)));
      String sub = UUID.randomUUID().toString();
      TestClient.Response r = w.upload("c1", List.of(rec(sub, OCT, "4")));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().path("accepted").asInt()).isEqualTo(1);
      assertThat(w.operator().get(invoicePath(w.registration.subscriptionId(), "2026-10")).status()).isEqualTo(404);
    }
    try (CommerceWorld w = new CommerceWorld(engine, OCT, BillingModel.Development)) {
      w.at(OCT.plus(Duration.ofDays(1)));
      String sub = UUID.randomUUID().toString();
      assertThat(w.upload("d1", List.of(rec(sub, OCT, "4"))).status()).isEqualTo(200);
      var invoice = w.operator().get(invoicePath(w.registration.subscriptionId(), "2026-10")).json().path("properties");
      assertThat(invoice.path("lines")).hasSize(1);
      assertThat(invoice.path("lines").get(0).path("unitPrice").decimalValue()).isEqualByComparingTo("0");
      assertThat(invoice.path("total").decimalValue()).isEqualByComparingTo("0");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void invoicesAreFinalizedAfterTheMonthByTheOperatorOrAfterTheGracePeriod(Engine engine) throws Exception {
    try (CommerceWorld w = new CommerceWorld(engine, OCT, BillingModel.PayAsYouUse)) {
      w.at(OCT.plus(Duration.ofDays(3)));
      String regSub = w.registration.subscriptionId();
      assertThat(w.upload("f1", List.of(rec(UUID.randomUUID().toString(), OCT, "1"))).status()).isEqualTo(200);
      String finalize = "/subscriptions/" + regSub + "/providers/Stackledger.Billing/invoices/2026-10/finalize"
          + "?api-version=2026-11-01";
      TestClient.Response early = w.operator().post(finalize, null);
      assertThat(early.status()).isEqualTo(409);
      assertThat(early.errorCode()).isEqualTo("InvoicePeriodNotEnded");
      assertThat(w.partner().post(finalize, null).status()).as("the partner does not finalize").isEqualTo(403);

      String settings = "/providers/Stackledger.Billing/billingSettings/default?api-version=2026-11-01";
      TestClient.Response wrong = w.operator().put(settings, "{\"properties\":{\"invoiceGracePeriod\":\"soon\"}}");
      assertThat(wrong.status()).isEqualTo(400);
      assertThat(wrong.errorTarget()).isEqualTo("properties.invoiceGracePeriod");
      TestClient.Response set = w.operator().put(settings, "{\"properties\":{\"invoiceGracePeriod\":\"P2D\"}}");
      assertThat(set.status()).as(set.body()).isEqualTo(200);
      assertThat(w.partner().get(settings).status()).isEqualTo(403);
      var commerce = w.server.app().commerce();
      Duration grace = Duration.parse(w.operator().get(settings).json().path("properties").path("invoiceGracePeriod")
          .asText());
      assertThat(grace).isEqualTo(Duration.ofDays(2));
      w.at(Instant.parse("2026-11-02T23:00:00Z"));
      assertThat(commerce.finalizeDue(grace)).as("a day and 23 hours after the month: not yet").isZero();
      w.at(Instant.parse("2026-11-03T00:00:00Z"));
      assertThat(commerce.finalizeDue(grace)).isEqualTo(1);
      var invoice = w.operator().get(invoicePath(regSub, "2026-10")).json().path("properties");
      assertThat(invoice.path("state").asText()).isEqualTo("Final");
      assertThat(invoice.path("finalizedBy").asText()).isEqualTo("grace period");
      assertThat(w.operator().post(finalize, null).status()).as("finalizing again changes nothing").isEqualTo(200);
    }
  }
}
