package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;

/**
 * Partner views, the reconciliation file and chargeback over HTTPS: who sees which invoices, that the
 * file adds up to the invoices to the cent, and what each customer is charged with its markup.
 */
@Tag("storage")
class BillingViewsTest {
  static final String API = "?api-version=2026-11-01";
  static final String BILLING = "/providers/Stackledger.Billing";

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theReconciliationFileAddsUpToTheInvoicesAndEachPartnerSeesOnlyItsOwn(Engine engine) throws Exception {
    try (PartnerViews v = new PartnerViews(engine, 3)) {
      TestClient operator = v.w.operator();
      Map<String, BigDecimal> totals = new TreeMap<>();
      for (JsonNode i : invoices(operator, "&month=2026-10")) {
        totals.put(i.path("properties").path("billingSubscriptionId").asText(),
            i.path("properties").path("total").decimalValue());
      }
      assertThat(totals.keySet()).containsExactlyInAnyOrderElementsOf(v.expectedTotals.keySet());
      totals.forEach((s, t) -> assertThat(t).as("invoice of %s", s).isEqualByComparingTo(v.expectedTotals.get(s)));
      assertThat(totals.get(v.contosoSub)).isPositive();

      // The operator's file holds every invoice; the rows of a billing subscription add up to its total.
      assertFileMatches(reconciliation(operator), totals, v);
      // Still so once the invoices are final (the lines are then read from the frozen copy).
      for (String s : totals.keySet()) {
        var f = operator.post("/subscriptions/" + s + BILLING + "/invoices/2026-10/finalize" + API, null);
        assertThat(f.status()).as(f.body()).isEqualTo(200);
      }
      List<List<String>> rows = assertFileMatches(reconciliation(operator), totals, v);
      assertThat(rows.stream().skip(1).map(r -> r.get(4)).distinct().toList()).containsExactly("Final");

      // Partner views: by the principal's own roles, admin-on-behalf-of included.
      assertThat(subscriptionsIn(invoices(v.direct.arm(v.direct.tenantId()), "&month=2026-10")))
          .containsExactly(v.contosoSub);
      assertThat(subscriptionsIn(invoices(v.reseller.arm(v.reseller.tenantId()), "")))
          .as("a reseller sees its customers' invoices only").containsExactly(v.fabrikamSub);
      assertThat(subscriptionsIn(invoices(v.provider.arm(v.provider.tenantId()), ""))).isEmpty();
      assertThat(subscriptionsIn(invoices(v.w.partner(), ""))).containsExactly(v.registrationSub);
      List<List<String>> resellerFile = PartnerViews.csv(reconciliation(v.reseller.arm(v.reseller.tenantId())));
      assertThat(resellerFile.stream().skip(1).map(r -> r.get(2)).distinct().toList()).containsExactly(v.fabrikamSub);
      assertThat(resellerFile.get(1).get(0)).isEqualTo("Fabrikam");

      // A customer: its own invoices and rows; another customer's invoice is not there (404).
      TestClient c1 = v.w.as(v.c1);
      assertThat(subscriptionsIn(invoices(c1, ""))).containsExactly(v.c1.subscriptionId());
      List<List<String>> c1File = PartnerViews.csv(reconciliation(c1));
      assertThat(c1File).hasSizeGreaterThan(1);
      assertThat(c1File.stream().skip(1).map(r -> r.get(2)).distinct().toList()).containsExactly(v.c1.subscriptionId());
      TestClient.Response foreign = c1.get("/subscriptions/" + v.contosoSub + BILLING + "/invoices/2026-10" + API);
      assertThat(foreign.status()).as(foreign.body()).isEqualTo(404);

      TestClient.Response badMonth = operator.get(BILLING + "/reconciliation" + API + "&month=2026-13");
      assertThat(badMonth.status()).isEqualTo(400);
      assertThat(badMonth.json().path("error").path("target").asText()).isEqualTo("month");
      TestClient.Response noMonth = operator.get(BILLING + "/reconciliation" + API);
      assertThat(noMonth.json().path("error").path("target").asText()).isEqualTo("month");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void chargebackAddsTheCustomersMarkupOrTheDefaultToItsInvoices(Engine engine) throws Exception {
    try (PartnerViews v = new PartnerViews(engine, 12)) {
      TestClient operator = v.w.operator();
      String markups = BILLING + "/chargeback/markups/";
      assertThat(operator.put(markups + v.contosoId + API, "{\"properties\":{\"markupPercent\":12.5}}").status())
          .isEqualTo(201);
      assertThat(operator.put(markups + "default" + API, "{\"properties\":{\"markupPercent\":7.25}}").status())
          .isEqualTo(201);
      TestClient.Response replaced = operator.put(markups + "default" + API, "{\"properties\":{\"markupPercent\":7.3333}}");
      assertThat(replaced.status()).isEqualTo(200);
      assertThat(replaced.json().path("properties").path("markupPercent").decimalValue()).isEqualByComparingTo("7.3333");
      assertThat(operator.get(BILLING + "/chargeback/markups" + API).json().path("value")).hasSize(2);

      JsonNode statement = operator.get(BILLING + "/chargeback" + API + "&month=2026-10").json();
      Map<String, JsonNode> byCustomer = new TreeMap<>();
      statement.path("value").forEach(c -> byCustomer.put(c.path("customerId").asText(), c));
      assertThat(byCustomer.keySet()).containsExactlyInAnyOrder(v.contosoId, v.fabrikamId);
      JsonNode contoso = byCustomer.get(v.contosoId);
      assertThat(contoso.path("customer").asText()).isEqualTo(PartnerViews.CONTOSO);
      assertThat(contoso.path("invoiced").decimalValue()).isEqualByComparingTo(v.expectedTotals.get(v.contosoSub));
      assertThat(contoso.path("markupFrom").asText()).isEqualTo("customer");
      assertThat(contoso.path("amount").decimalValue()).isEqualByComparingTo(v.expectedTotals.get(v.contosoSub)
          .multiply(new BigDecimal("1.125")).setScale(2, RoundingMode.HALF_EVEN));
      JsonNode fabrikam = byCustomer.get(v.fabrikamId);
      assertThat(fabrikam.path("markupFrom").asText()).isEqualTo("default");
      assertThat(fabrikam.path("amount").decimalValue()).isEqualByComparingTo(v.expectedTotals.get(v.fabrikamSub)
          .multiply(new BigDecimal("1.073333")).setScale(2, RoundingMode.HALF_EVEN));
      Map<String, String> own = new TreeMap<>();
      statement.path("operatorCost").forEach(c -> own.put(c.path("billingSubscriptionId").asText(),
          c.path("payer").asText()));
      assertThat(own).containsEntry(v.registrationSub, Payers.REGISTRATION).containsKey(v.c1.subscriptionId());

      // Without its own markup a customer pays the default; the operator's verbs only.
      assertThat(operator.delete(markups + v.contosoId + API).status()).isEqualTo(200);
      assertThat(operator.delete(markups + v.contosoId + API).status()).isEqualTo(204);
      JsonNode after = operator.get(BILLING + "/chargeback" + API + "&month=2026-10").json();
      after.path("value").forEach(c -> assertThat(c.path("markupFrom").asText()).isEqualTo("default"));
      assertThat(v.direct.arm(v.direct.tenantId()).get(BILLING + "/chargeback" + API + "&month=2026-10").status())
          .isEqualTo(403);
      TestClient.Response badPercent = operator.put(markups + "default" + API, "{\"properties\":{\"markupPercent\":\"x\"}}");
      assertThat(badPercent.status()).isEqualTo(400);
      assertThat(badPercent.json().path("error").path("target").asText()).isEqualTo("properties.markupPercent");
      assertThat(operator.put(markups + "default" + API, "{\"properties\":{\"markupPercent\":1.23456}}").status())
          .isEqualTo(400);
      assertThat(operator.put(markups + "00000000-0000-0000-0000-000000000001" + API,
          "{\"properties\":{\"markupPercent\":1}}").status()).isEqualTo(404);
      assertThat(operator.get(markups + "not-a-customer" + API).json().path("error").path("target").asText())
          .isEqualTo("customerId");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void everyAmountIsWrittenWithTheCurrencysTwoDecimalsInJsonAndCsvBeforeAndAfterFinalization(Engine engine)
      throws Exception {
    try (PartnerViews v = new PartnerViews(engine, 24)) {
      TestClient operator = v.w.operator();
      String invoice = "/subscriptions/" + v.contosoSub + BILLING + "/invoices/2026-10";
      List<String> draft = amounts(operator.get(invoice + API).body(), "amount");
      assertThat(draft).isNotEmpty().allMatch(a -> a.matches("[0-9]+\\.[0-9]{2}"));
      var finalized = operator.post(invoice + "/finalize" + API, null);
      assertThat(finalized.status()).as(finalized.body()).isEqualTo(200);
      // The frozen lines are read back from DECIMAL(38,6) columns: still 44.10, never 44.100000.
      assertThat(amounts(finalized.body(), "amount")).isEqualTo(draft);
      assertThat(amounts(operator.get(invoice + API).body(), "amount")).isEqualTo(draft);
      assertThat(amounts(operator.get(invoice + API).body(), "total")).singleElement()
          .isEqualTo(v.expectedTotals.get(v.contosoSub).setScale(2).toPlainString());
      List<List<String>> export = PartnerViews.csv(operator.get(invoice + "/export" + API).body());
      assertThat(export.subList(1, export.size()).stream().map(r -> r.get(13)).toList()).isEqualTo(draft);
      List<List<String>> file = PartnerViews.csv(reconciliation(operator));
      assertThat(file.subList(1, file.size()).stream().map(r -> r.get(13)).filter(a -> !a.isEmpty()))
          .isNotEmpty().allMatch(a -> a.matches("[0-9]+\\.[0-9]{2}"));
      String statement = operator.get(BILLING + "/chargeback" + API + "&month=2026-10").body();
      assertThat(amounts(statement, "invoiced")).isNotEmpty().allMatch(a -> a.matches("[0-9]+\\.[0-9]{2}"));
      assertThat(amounts(statement, "amount")).isNotEmpty().allMatch(a -> a.matches("[0-9]+\\.[0-9]{2}"));
    }
  }

  /** The numbers of a JSON text's fields of this name, as the server wrote them. */
  static List<String> amounts(String json, String field) {
    return java.util.regex.Pattern.compile("\"" + field + "\"\\s*:\\s*([-0-9.Ee+]+)").matcher(json).results()
        .map(m -> m.group(1)).toList();
  }

  /** Checks the file against the invoices' totals and lines; answers its rows. */
  private static List<List<String>> assertFileMatches(String file, Map<String, BigDecimal> totals, PartnerViews v) {
    List<List<String>> rows = PartnerViews.csv(file);
    assertThat(String.join(",", rows.get(0))).isEqualTo(Reconciliation.HEADER);
    Map<String, BigDecimal> sums = new TreeMap<>();
    Map<String, BigDecimal> perLine = new TreeMap<>();
    for (List<String> r : rows.subList(1, rows.size())) {
      assertThat(r).hasSize(20);
      if (!r.get(13).isEmpty()) {
        sums.merge(r.get(2), new BigDecimal(r.get(13)), BigDecimal::add);
      }
      perLine.merge(r.get(2) + "|" + r.get(5), new BigDecimal(r.get(10)), BigDecimal::add);
      String expectedName = r.get(2).equals(v.contosoSub) ? PartnerViews.CONTOSO
          : r.get(2).equals(v.fabrikamSub) ? "Fabrikam"
          : r.get(2).equals(v.registrationSub) ? Payers.REGISTRATION : r.get(0);
      assertThat(r.get(0)).isEqualTo(expectedName);
      assertThat(r.get(19)).startsWith("/subscriptions/");
    }
    assertThat(sums.keySet()).isEqualTo(totals.keySet());
    sums.forEach((s, sum) -> assertThat(sum).as("file total of %s", s).isEqualByComparingTo(totals.get(s)));
    // The rows of a line split its quantity by resource and add up to it exactly.
    for (String s : totals.keySet()) {
      for (JsonNode line : AttributionAndInvoicesTest.invoice(v.w.operator(), s, "2026-10").path("properties")
          .path("lines")) {
        assertThat(perLine.get(s + "|" + line.path("line").asText())).isEqualByComparingTo(line.path("quantity")
            .decimalValue());
      }
    }
    return rows;
  }

  static List<JsonNode> invoices(TestClient client, String query) {
    TestClient.Response r = client.get(BILLING + "/invoices" + API + query);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    List<JsonNode> out = new ArrayList<>();
    r.json().path("value").forEach(out::add);
    return out;
  }

  static List<String> subscriptionsIn(List<JsonNode> invoices) {
    return invoices.stream().map(i -> i.path("properties").path("billingSubscriptionId").asText()).distinct().toList();
  }

  static String reconciliation(TestClient client) {
    TestClient.Response r = client.get(BILLING + "/reconciliation" + API + "&month=2026-10");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.body();
  }
}
