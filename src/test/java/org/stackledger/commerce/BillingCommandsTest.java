package org.stackledger.commerce;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.stackledger.cli.StackledgerCommand;
import org.stackledger.http.Json;
import org.stackledger.testing.Engine;

/**
 * Every verb of {@code stackledger invoice|reconciliation|chargeback} once, against a real server,
 * signed in as the operator.
 */
@Tag("storage")
class BillingCommandsTest {

  @Test
  void theOperatorListsShowsExportsExplainsFinalizesAndChargesBack() throws Exception {
    try (PartnerViews v = new PartnerViews(Engine.H2, 24)) {
      Path dir = v.w.server.dataDir();
      Run login = cli(dir, "login", "--service-principal", "-u", v.w.server.admin().clientId(), "-p",
          v.w.server.admin().clientSecret());
      assertThat(login.code()).as(login.err()).isZero();

      Run list = cli(dir, "invoice", "list", "--month", "2026-10", "--json");
      assertThat(list.code()).as(list.err()).isZero();
      assertThat(list.json().path("value").findValuesAsText("billingSubscriptionId"))
          .containsExactlyInAnyOrderElementsOf(v.expectedTotals.keySet());
      Run one = cli(dir, "invoice", "list", "--subscription", v.contosoSub);
      assertThat(one.out()).contains("TOTAL").contains(v.contosoSub).contains("Draft")
          .contains(v.expectedTotals.get(v.contosoSub).toPlainString());

      Run show = cli(dir, "invoice", "show", "-s", v.contosoSub, "-m", "2026-10");
      assertThat(show.code()).as(show.err()).isZero();
      assertThat(show.json().path("properties").path("total").decimalValue())
          .isEqualByComparingTo(v.expectedTotals.get(v.contosoSub));

      Run explain = cli(dir, "invoice", "explain", "--cloud-id", v.w.cloudId(), "--subscription",
          v.localSubOf.get(v.contosoId), "--hour", "2026-10-05T10:30:00Z", "--tenant", v.contosoId);
      assertThat(explain.code()).as(explain.err()).isZero();
      assertThat(explain.json().path("billingSubscriptionId").asText()).isEqualTo(v.contosoSub);

      Path invoiceCsv = dir.resolve("contoso-2026-10.csv");
      Run export = cli(dir, "invoice", "export", "-s", v.contosoSub, "-m", "2026-10", "--out", invoiceCsv.toString());
      assertThat(export.code()).as(export.err()).isZero();
      assertThat(Files.readString(invoiceCsv)).startsWith(InvoiceJson.CSV_HEADER);

      Path file = dir.resolve("reconciliation-2026-10.csv");
      Run reconciliation = cli(dir, "reconciliation", "export", "--month", "2026-10", "--out", file.toString());
      assertThat(reconciliation.code()).as(reconciliation.err()).isZero();
      assertThat(Files.readString(file)).startsWith(Reconciliation.HEADER).contains("\"" + PartnerViews.CONTOSO + "\"");
      Run badMonth = cli(dir, "reconciliation", "export", "--month", "October");
      assertThat(badMonth.code()).isEqualTo(1);
      assertThat(badMonth.err()).contains("target: month");

      Run set = cli(dir, "chargeback", "markup", "set", "--customer", "default", "--percent", "10");
      assertThat(set.code()).as(set.err()).isZero();
      Run markups = cli(dir, "chargeback", "markup", "list");
      assertThat(markups.out()).contains("default").contains("10");
      Run statement = cli(dir, "chargeback", "--month", "2026-10");
      assertThat(statement.code()).as(statement.err()).isZero();
      assertThat(statement.out()).contains("TO CHARGE").contains(PartnerViews.CONTOSO).contains("10 (default)")
          .contains(v.expectedTotals.get(v.contosoSub).multiply(new java.math.BigDecimal("1.1"))
              .setScale(2, java.math.RoundingMode.HALF_EVEN).toPlainString())
          .contains(Payers.REGISTRATION);
      Run removed = cli(dir, "chargeback", "markup", "remove", "--customer", "default");
      assertThat(removed.code()).as(removed.err()).isZero();
      assertThat(cli(dir, "chargeback").code()).isEqualTo(1);

      Run finalized = cli(dir, "invoice", "finalize", "-s", v.contosoSub, "-m", "2026-10");
      assertThat(finalized.code()).as(finalized.err()).isZero();
      assertThat(finalized.json().path("properties").path("state").asText()).isEqualTo("Final");
    }
  }

  record Run(int code, String out, String err) {
    JsonNode json() throws Exception {
      return Json.MAPPER.readTree(out);
    }
  }

  private static Run cli(Path dataDir, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data-dir");
    all.add(dataDir.toString());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    var cmd = StackledgerCommand.commandLine(all.toArray(String[]::new));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return new Run(cmd.execute(all.toArray(String[]::new)), out.toString(), err.toString());
  }
}
