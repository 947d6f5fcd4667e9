package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.cli.CliRun;
import org.stackledger.directory.DirectoryTenant;
import org.stackledger.http.Json;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestClient;

/**
 * The month's usage and cost reports over HTTPS and through the CLI: names, largest first, amounts
 * equal to those computed here from the records the test sent (rounded once per line), totals equal
 * to the invoices to the cent, and each caller sees exactly what the invoice views show it.
 */
@Tag("storage")
class ReportsTest {
  static final String API = "?api-version=2026-11-01";
  static final String REPORTS = "/providers/Stackledger.Billing/reports/";

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theCostReportNamesEveryTenantLargestFirstAndAddsUpToTheInvoicesToTheCent(Engine engine) throws Exception {
    try (PartnerViews v = new PartnerViews(engine, 24)) {
      TestClient operator = v.w.operator();
      JsonNode byTenant = report(operator, "cost", "tenant");
      List<JsonNode> rows = list(byTenant.path("value"));
      assertThat(rows).extracting(r -> r.path("tenantId").asText())
          .containsExactlyInAnyOrderElementsOf(v.payerOf.keySet());
      for (JsonNode r : rows) {
        String payer = v.payerOf.get(r.path("tenantId").asText());
        assertThat(r.path("amount").decimalValue()).as("cost of tenant %s", r.path("tenantId").asText())
            .isEqualByComparingTo(v.expectedTotals.get(payer));
        assertThat(r.path("billedTo").findValuesAsText("billingSubscriptionId")).containsExactly(payer);
      }
      assertThat(rows).extracting(r -> r.path("amount").decimalValue())
          .isSortedAccordingTo(java.util.Comparator.reverseOrder());
      // The tenant never mapped is there, billed to the registration subscription, with its directory's name.
      JsonNode unmapped = rows.stream().filter(r -> r.path("tenantId").asText().equals(v.c3.tenantId())).findFirst()
          .orElseThrow();
      DirectoryTenant c3 = v.w.server.app().directory().tenant(v.c3.tenantId()).orElseThrow();
      assertThat(unmapped.path("domain").asText()).isEqualTo(c3.domain());
      assertThat(unmapped.path("tenant").asText()).isIn(c3.displayName(), c3.domain());
      assertThat(unmapped.path("billedTo").path(0).path("payer").asText()).isEqualTo(Payers.REGISTRATION);
      BigDecimal invoiced = v.expectedTotals.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
      assertThat(byTenant.path("totals")).hasSize(1);
      assertThat(byTenant.path("totals").path(0).path("amount").decimalValue()).isEqualByComparingTo(invoiced);

      // By customer: company names; the registration subscription stands as itself.
      Map<String, BigDecimal> byCustomer = new TreeMap<>();
      report(operator, "cost", "customer").path("value").forEach(r -> byCustomer.put(r.path("customer").asText(),
          r.path("amount").decimalValue().setScale(2)));
      assertThat(byCustomer).containsEntry(PartnerViews.CONTOSO, v.expectedTotals.get(v.contosoSub).setScale(2))
          .containsEntry("Fabrikam", v.expectedTotals.get(v.fabrikamSub).setScale(2))
          .containsEntry(Payers.REGISTRATION, v.expectedTotals.get(v.registrationSub).setScale(2));

      // By meter: each meter's lines, summed; names and units from the catalogue.
      Map<String, BigDecimal> meterCost = new TreeMap<>();
      v.expectedLineAmounts.forEach((k, a) -> meterCost.merge(k.substring(k.indexOf('|') + 1), a, BigDecimal::add));
      JsonNode byMeter = report(operator, "cost", "meter");
      assertThat(byMeter.path("value")).hasSize(meterCost.size());
      for (JsonNode r : byMeter.path("value")) {
        String meter = r.path("meterId").asText().toUpperCase();
        assertThat(r.path("amount").decimalValue()).as("cost of meter %s", meter).isEqualByComparingTo(meterCost.get(meter)
            .setScale(2));
        assertThat(r.path("meter").asText()).isEqualTo(MeterCatalogue.standard().find(meter).orElseThrow().name());
      }
      assertThat(byMeter.path("totals").path(0).path("amount").decimalValue()).isEqualByComparingTo(invoiced);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theUsageReportSumsEachMetersQuantityExactlyAndEachCallerSeesOnlyWhatItsInvoicesShow(Engine engine)
      throws Exception {
    try (PartnerViews v = new PartnerViews(engine, 24)) {
      Map<String, BigDecimal> sentPerMeter = new TreeMap<>();
      v.sentQuantities.forEach((k, q) -> sentPerMeter.merge(k.substring(k.indexOf('|') + 1), q, BigDecimal::add));
      JsonNode usage = report(v.w.operator(), "usage", "meter");
      assertThat(usage.path("totals")).hasSize(sentPerMeter.size());
      for (JsonNode t : usage.path("totals")) {
        assertThat(t.path("quantity").decimalValue()).as("quantity of %s", t.path("meter").asText())
            .isEqualByComparingTo(sentPerMeter.get(t.path("meterId").asText().toUpperCase()));
      }
      // By tenant: one row a tenant and meter, every row's quantity the one sent.
      JsonNode perTenant = report(v.w.operator(), "usage", "tenant");
      assertThat(perTenant.path("value")).hasSize(v.sentQuantities.size());
      for (JsonNode r : perTenant.path("value")) {
        String key = v.payerOf.get(r.path("tenantId").asText()) + "|" + r.path("meterId").asText().toUpperCase();
        assertThat(r.path("quantity").decimalValue()).as(key).isEqualByComparingTo(v.sentQuantities.get(key));
      }

      // The same readers as the invoice views: the partner its registration subscription, a reseller its
      // customer, a customer itself.
      assertThat(tenants(report(v.w.partner(), "cost", "tenant"))).containsExactly(v.c3.tenantId());
      assertThat(tenants(report(v.reseller.arm(v.reseller.tenantId()), "cost", "tenant"))).containsExactly(v.fabrikamId);
      assertThat(tenants(report(v.w.as(v.c1), "usage", "tenant"))).containsOnly(v.c1.tenantId());
      assertThat(report(v.provider.arm(v.provider.tenantId()), "cost", "tenant").path("value")).isEmpty();

      TestClient.Response badBy = v.w.operator().get(REPORTS + "cost" + API + "&month=2026-10&by=region");
      assertThat(badBy.status()).isEqualTo(400);
      assertThat(badBy.json().path("error").path("target").asText()).isEqualTo("by");
      TestClient.Response noMonth = v.w.operator().get(REPORTS + "usage" + API);
      assertThat(noMonth.status()).isEqualTo(400);
      assertThat(noMonth.json().path("error").path("target").asText()).isEqualTo("month");

      // The CLI, signed in as the operator: a table with the total, CSV rows, JSON as served.
      Path dir = v.w.server.dataDir();
      assertThat(cli(dir, "login", "--service-principal", "-u", v.w.server.admin().clientId(), "-p",
          v.w.server.admin().clientSecret())[0]).isEqualTo("0");
      BigDecimal invoiced = v.expectedTotals.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2);
      String[] table = cli(dir, "report", "cost", "--month", "2026-10", "--by", "customer");
      assertThat(table[0]).as(table[2]).isEqualTo("0");
      assertThat(table[1]).contains("CUSTOMER", "AMOUNT", PartnerViews.CONTOSO, Payers.REGISTRATION)
          .containsPattern("(?m)^TOTAL .*USD +" + invoiced.toPlainString().replace(".", "\\.") + "$");
      String[] csv = cli(dir, "report", "cost", "--month", "2026-10", "--by", "tenant", "-o", "csv");
      List<List<String>> csvRows = PartnerViews.csv(csv[1]);
      assertThat(csvRows.get(0)).containsExactly("tenant", "domain", "tenantId", "billedTo", "records", "currency",
          "amount");
      assertThat(csvRows.subList(1, csvRows.size()).stream().map(r -> new BigDecimal(r.get(6)))
          .reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualTo(invoiced);
      String[] json = cli(dir, "report", "usage", "--month", "2026-10", "--by", "meter", "-o", "json");
      assertThat(Json.MAPPER.readTree(json[1]).path("report").asText()).isEqualTo("usage");
    }
  }

  private static JsonNode report(TestClient client, String kind, String by) {
    TestClient.Response r = client.get(REPORTS + kind + API + "&month=2026-10&by=" + by);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out;
  }

  private static List<String> tenants(JsonNode report) {
    return list(report.path("value")).stream().map(r -> r.path("tenantId").asText()).distinct().toList();
  }

  /** Exit code, stdout and stderr of one CLI run on the server's data folder. */
  private static String[] cli(Path dataDir, String... args) {
    CliRun run = CliRun.in(dataDir, args);
    return new String[] {Integer.toString(run.code()), run.out(), run.err()};
  }
}
