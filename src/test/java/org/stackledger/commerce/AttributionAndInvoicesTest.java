package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.registration.BillingModel;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * A month of one deployment's usage: customer 1 mapped all month, customer 2 mapped mid-month, then
 * replaced by another of its subscriptions, then removed, customer 3 never mapped. Each record is
 * uploaded (some twice) and must land exactly once on the invoice of the subscription the mapping
 * timeline — written out in this test, not read from the server — says pays for its usage hour.
 */
@Tag("storage")
class AttributionAndInvoicesTest {
  static final Instant OCT = Instant.parse("2026-10-01T00:00:00Z");
  static final Instant NOV = Instant.parse("2026-11-01T00:00:00Z");
  static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";
  static final String WINDOWS_VM = "9CD92D4C-BAFD-4492-B278-BEDC2DE8232A";
  static final String BLOCK_BLOB = "09F8879E-87E9-4305-A572-4B7BE209F857";
  static final List<String> METERS = List.of(BASE_VM, WINDOWS_VM, BLOCK_BLOB);

  @ParameterizedTest
  @EnumSource(Engine.class)
  void everyRecordIsBilledOnceToTheSubscriptionTheTimelineNames(Engine engine) throws Exception {
    try (CommerceWorld w = new CommerceWorld(engine, OCT, BillingModel.PayAsYouUse)) {
      TestServer.TestTenant c1 = w.customer();
      TestServer.TestTenant c2 = w.customer();
      TestServer.TestTenant c3 = w.customer();
      String c2b = w.anotherSubscription(c2);
      String registrationSub = w.registration.subscriptionId();
      // The timeline, as instants: what the test expects attribution to follow.
      Instant c2From = Instant.parse("2026-10-10T12:30:00Z");
      Instant c2bFrom = Instant.parse("2026-10-20T00:00:00Z");
      Instant c2bTo = Instant.parse("2026-10-25T06:00:00Z");
      w.map(c1.subscriptionId(), c1.tenantId());
      w.at(c2From);
      w.map(c2.subscriptionId(), c2.tenantId());
      w.at(c2bFrom);
      w.map(c2b, c2.tenantId());
      w.at(c2bTo);
      w.unmap(c2b);
      w.at(NOV.plus(Duration.ofHours(3)));

      // Each customer's tenant has one local subscription on the deployment.
      Map<String, String> localSubOf = Map.of(c1.tenantId(), UUID.randomUUID().toString(), c2.tenantId(),
          UUID.randomUUID().toString(), c3.tenantId(), UUID.randomUUID().toString());
      Random random = new Random(20261126L);
      List<CommerceWorld.Rec> month = new ArrayList<>();
      for (Instant h = OCT; h.isBefore(NOV); h = h.plus(Duration.ofHours(1))) {
        for (String tenant : List.of(c1.tenantId(), c2.tenantId(), c3.tenantId())) {
          for (String meter : METERS) {
            if (random.nextInt(4) == 0) {
              continue;
            }
            BigDecimal q = BigDecimal.valueOf(random.nextInt(4_000_000), 4);
            // Most usage is reported the next hour; some of it three hours late.
            Instant reported = h.plus(Duration.ofHours(random.nextInt(10) == 0 ? 3 : 1));
            month.add(new CommerceWorld.Rec(localSubOf.get(tenant), tenant, meter, "Microsoft.Compute/virtualMachines/vm"
                + random.nextInt(3), h, reported, q));
          }
        }
      }
      // Late records pushed past the month's end stay October usage: keep them for after finalization.
      List<CommerceWorld.Rec> inTime = month.stream().filter(r -> r.reportedHour().isBefore(NOV)).toList();
      List<CommerceWorld.Rec> late = month.stream().filter(r -> !r.reportedHour().isBefore(NOV)).toList();
      assertThat(late).isNotEmpty();
      uploadByDay(w, inTime);
      // Retries: the first three days again, and one day overlapping with a different cut.
      uploadByDay(w, inTime.subList(0, inTime.size() / 10));

      Map<String, String> payerByTenantHour = new HashMap<>();
      Map<String, Map<String, BigDecimal>> expected = new TreeMap<>();
      for (CommerceWorld.Rec r : inTime) {
        String payer = payer(r, c1, c2, c2b, registrationSub, c2From, c2bFrom, c2bTo);
        payerByTenantHour.put(r.tenantId() + r.usageHour(), payer);
        expected.computeIfAbsent(payer, k -> new TreeMap<>()).merge(r.subscriptionId() + "|" + r.meterId(),
            r.quantity(), BigDecimal::add);
      }
      assertThat(expected.keySet()).containsExactlyInAnyOrder(c1.subscriptionId(), c2.subscriptionId(), c2b,
          registrationSub);
      TestClient operator = w.operator();
      Map<String, JsonNode> prices = prices(operator, "2026-10-15T00:00:00Z");
      for (Map.Entry<String, Map<String, BigDecimal>> e : expected.entrySet()) {
        JsonNode invoice = invoice(operator, e.getKey(), "2026-10");
        assertThat(invoice.path("properties").path("state").asText()).isEqualTo("Draft");
        assertThat(quantities(invoice)).as("lines of %s", e.getKey()).isEqualTo(e.getValue());
        assertThat(invoice.path("properties").path("total").decimalValue()).as("total of %s", e.getKey())
            .isEqualByComparingTo(total(e.getValue(), prices));
      }

      // The explanation names the rule for a tenant-hour either side of the mid-month mapping.
      JsonNode before = explain(w.partner(), w.cloudId(), localSubOf.get(c2.tenantId()), "2026-10-10T12:59:00Z");
      assertThat(before.path("rule").asText()).isEqualTo("RegistrationDefault");
      assertThat(before.path("billingSubscriptionId").asText()).isEqualTo(registrationSub);
      JsonNode after = explain(w.partner(), w.cloudId(), localSubOf.get(c2.tenantId()), "2026-10-10T13:00:00Z");
      assertThat(after.path("rule").asText()).isEqualTo("CustomerSubscription");
      assertThat(after.path("billingSubscriptionId").asText()).isEqualTo(c2.subscriptionId());
      assertThat(after.path("mapping").path("endedBy").asText()).isEqualTo("Replaced");

      // A line of customer 2's local subscription on the registration subscription's invoice: its
      // records were all attributed by the registration default, over hours before and after c2's
      // mappings; on c2's first subscription's invoice, by the mapping that began at 12:30.
      JsonNode c2Line = explainLine(operator, c2.subscriptionId(), localSubOf.get(c2.tenantId()));
      assertThat(c2Line.path("attribution")).isNotEmpty().allSatisfy(g -> {
        assertThat(g.path("rule").asText()).isEqualTo("CustomerSubscription");
        assertThat(g.path("mappingEffectiveFrom").asText()).isEqualTo(c2From.toString());
        assertThat(Instant.parse(g.path("firstUsageHour").asText())).isAfterOrEqualTo(c2From);
      });
      JsonNode defaultLine = explainLine(operator, registrationSub, localSubOf.get(c2.tenantId()));
      assertThat(defaultLine.path("attribution")).singleElement().satisfies(g -> {
        assertThat(g.path("rule").asText()).isEqualTo("RegistrationDefault");
        assertThat(Instant.parse(g.path("firstUsageHour").asText())).isBefore(c2From);
        assertThat(Instant.parse(g.path("lastUsageHour").asText())).isAfterOrEqualTo(c2bTo);
      });

      // Finalize October; the late records then land on November's invoice, marked as adjustments.
      Map<String, JsonNode> finalized = new HashMap<>();
      for (String payer : expected.keySet()) {
        TestClient.Response f = operator.post("/subscriptions/" + payer
            + "/providers/Stackledger.Billing/invoices/2026-10/finalize?api-version=2026-11-01", null);
        assertThat(f.status()).as(f.body()).isEqualTo(200);
        assertThat(f.json().path("properties").path("state").asText()).isEqualTo("Final");
        finalized.put(payer, f.json());
      }
      uploadByDay(w, late);
      Map<String, Map<String, BigDecimal>> adjustments = new TreeMap<>();
      for (CommerceWorld.Rec r : late) {
        adjustments.computeIfAbsent(payer(r, c1, c2, c2b, registrationSub, c2From, c2bFrom, c2bTo), k -> new TreeMap<>())
            .merge(r.subscriptionId() + "|" + r.meterId(), r.quantity(), BigDecimal::add);
      }
      for (String payer : expected.keySet()) {
        assertThat(invoice(operator, payer, "2026-10")).as("a final invoice never changes").isEqualTo(finalized.get(payer));
      }
      // A final invoice's explanations are read once and kept: asked twice after the late records, each
      // is the draft's.
      for (int ask = 0; ask < 2; ask++) {
        assertThat(explainLine(operator, c2.subscriptionId(), localSubOf.get(c2.tenantId()))).isEqualTo(c2Line);
        assertThat(explainLine(operator, registrationSub, localSubOf.get(c2.tenantId()))).isEqualTo(defaultLine);
      }
      for (Map.Entry<String, Map<String, BigDecimal>> e : adjustments.entrySet()) {
        JsonNode nov = invoice(operator, e.getKey(), "2026-11");
        assertThat(quantities(nov)).isEqualTo(e.getValue());
        assertThat(nov.path("properties").path("total").decimalValue()).isEqualByComparingTo(total(e.getValue(), prices));
        for (JsonNode line : nov.path("properties").path("lines")) {
          assertThat(line.path("adjustment").asBoolean()).isTrue();
          assertThat(line.path("usageMonth").asText()).isEqualTo("2026-10");
        }
      }

      // A customer reads its own invoices; another's answer 404.
      assertThat(w.as(c1).get("/subscriptions/" + c1.subscriptionId()
          + "/providers/Stackledger.Billing/invoices?api-version=2026-11-01").status()).isEqualTo(200);
      TestClient.Response foreign = w.as(c1).get("/subscriptions/" + c2.subscriptionId()
          + "/providers/Stackledger.Billing/invoices/2026-10?api-version=2026-11-01");
      assertThat(foreign.status()).as(foreign.body()).isEqualTo(404);
    }
  }

  static String payer(CommerceWorld.Rec r, TestServer.TestTenant c1, TestServer.TestTenant c2, String c2b,
      String registrationSub, Instant c2From, Instant c2bFrom, Instant c2bTo) {
    Instant h = r.usageHour();
    if (r.tenantId().equals(c1.tenantId())) {
      return c1.subscriptionId();
    }
    if (r.tenantId().equals(c2.tenantId())) {
      if (!h.isBefore(c2From) && h.isBefore(c2bFrom)) {
        return c2.subscriptionId();
      }
      if (!h.isBefore(c2bFrom) && h.isBefore(c2bTo)) {
        return c2b;
      }
    }
    return registrationSub;
  }

  private static void uploadByDay(CommerceWorld w, List<CommerceWorld.Rec> records) {
    Map<String, List<CommerceWorld.Rec>> byDay = new TreeMap<>();
    for (CommerceWorld.Rec r : records) {
      byDay.computeIfAbsent(r.reportedHour().toString().substring(0, 10), k -> new ArrayList<>()).add(r);
    }
    TestClient bridge = w.bridge();
    for (Map.Entry<String, List<CommerceWorld.Rec>> e : byDay.entrySet()) {
      TestClient.Response r = bridge.post(w.registration.path() + CommerceWorld.UPLOAD,
          CommerceWorld.body(w.cloudId() + ":" + e.getKey(), w.cloudId(), e.getValue()));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().path("records").asInt()).isEqualTo(e.getValue().size());
    }
  }

  static JsonNode invoice(TestClient client, String subscription, String month) {
    TestClient.Response r = client.get("/subscriptions/" + subscription + "/providers/Stackledger.Billing/invoices/"
        + month + "?api-version=2026-11-01");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  /** An invoice's quantities per local subscription and meter, summed over its lines. */
  static Map<String, BigDecimal> quantities(JsonNode invoice) {
    Map<String, BigDecimal> out = new TreeMap<>();
    for (JsonNode line : invoice.path("properties").path("lines")) {
      out.merge(line.path("localSubscriptionId").asText() + "|" + line.path("meterId").asText().toUpperCase(java.util.Locale.ROOT),
          line.path("quantity").decimalValue(), BigDecimal::add);
    }
    out.replaceAll((k, v) -> v.stripTrailingZeros());
    return out;
  }

  /** The explanation of the first line of a local subscription on a billing subscription's October invoice. */
  static JsonNode explainLine(TestClient client, String billing, String localSubscription) {
    JsonNode invoice = invoice(client, billing, "2026-10");
    for (JsonNode line : invoice.path("properties").path("lines")) {
      if (line.path("localSubscriptionId").asText().equals(localSubscription)) {
        TestClient.Response r = client.get("/subscriptions/" + billing + "/providers/Stackledger.Billing/invoices/2026-10"
            + "/lines/" + line.path("line").asInt() + "?api-version=2026-11-01");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().path("line")).isEqualTo(line);
        return r.json();
      }
    }
    throw new AssertionError("no line of " + localSubscription + " on " + billing);
  }

  /** The price sheet in force at an instant, by meter id, as its API answers it. */
  static Map<String, JsonNode> prices(TestClient operator, String at) {
    TestClient.Response r = operator.get("/providers/Stackledger.Billing/priceSheet?api-version=2026-11-01&currency=USD&at="
        + at);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    Map<String, JsonNode> out = new HashMap<>();
    for (JsonNode p : r.json().path("value")) {
      out.put(p.path("meterId").asText().toUpperCase(java.util.Locale.ROOT), p);
    }
    return out;
  }

  /**
   * What an invoice of these quantities (local subscription|meter → quantity, one price each) must
   * total: each line's quantity × price ÷ divisor rounded once to the cent, half-even, then summed.
   */
  static BigDecimal total(Map<String, BigDecimal> quantities, Map<String, JsonNode> prices) {
    BigDecimal total = BigDecimal.ZERO;
    for (Map.Entry<String, BigDecimal> e : quantities.entrySet()) {
      JsonNode price = prices.get(e.getKey().substring(e.getKey().indexOf('|') + 1).toUpperCase(java.util.Locale.ROOT));
      total = total.add(e.getValue().multiply(price.path("unitPrice").decimalValue())
          .divide(BigDecimal.valueOf(price.path("unitDivisor").asInt()), 2, java.math.RoundingMode.HALF_EVEN));
    }
    return total;
  }

  static JsonNode explain(TestClient client, String cloudId, String subscriptionId, String time) {
    TestClient.Response r = client.get("/providers/Stackledger.Billing/attribution?api-version=2026-11-01&cloudId="
        + cloudId + "&subscriptionId=" + subscriptionId + "&usageTime=" + time);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }
}
