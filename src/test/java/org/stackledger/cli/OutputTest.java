package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestServer;

/**
 * {@code -o table|json|tsv|csv}, {@code --query} and {@code --out} on read verbs, through the CLI
 * against a real server: one output component, the same options on a list, a status and an export.
 */
class OutputTest {
  private static TestServer server;
  private static TestServer.TestTenant tenant;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2);
    tenant = server.newTenant("out-" + UUID.randomUUID().toString().substring(0, 8) + ".onmicrosoft.local");
    CliRun login = CliRun.in(server.dataDir(), "login", "--service-principal", "-u", server.admin().clientId(), "-p",
        server.admin().clientSecret());
    assertThat(login.code()).as(login.err()).isZero();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static CliRun cli(String... args) {
    return CliRun.in(server.dataDir(), args);
  }

  @Test
  void aListIsATableByDefaultAndJsonTsvOrCsvWhenAsked() throws Exception {
    CliRun table = cli("identity", "tenant", "list");
    assertThat(table.code()).as(table.err()).isZero();
    assertThat(table.out()).startsWith("DOMAIN").containsPattern("(?m)^" + tenant.domain() + "\\s+" + tenant.tenantId());

    CliRun json = cli("identity", "tenant", "list", "-o", "json");
    assertThat(json.json().path("value").findValuesAsText("tenantId")).contains(tenant.tenantId());
    assertThat(cli("identity", "tenant", "list", "--json").json().path("value").isArray())
        .as("the --json flag of earlier releases still works").isTrue();

    CliRun tsv = cli("identity", "tenant", "list", "--output", "tsv");
    assertThat(tsv.out()).doesNotContain("DOMAIN").contains(tenant.domain() + "\t" + tenant.tenantId() + "\t");

    CliRun csv = cli("identity", "tenant", "list", "-o", "CSV");
    assertThat(csv.out()).startsWith("DOMAIN,TENANT ID,DISPLAY NAME\r\n").contains(tenant.domain() + ","
        + tenant.tenantId() + ",");
  }

  @Test
  void queryReshapesTheJsonBeforeItIsFormatted() throws Exception {
    CliRun one = cli("identity", "tenant", "list", "--query",
        "value[?properties.domain=='" + tenant.domain() + "'].properties.tenantId | [0]", "-o", "tsv");
    assertThat(one.code()).as(one.err()).isZero();
    assertThat(one.out()).isEqualTo(tenant.tenantId() + System.lineSeparator());

    CliRun picked = cli("identity", "tenant", "list", "--query",
        "value[].{domain: properties.domain, id: properties.tenantId}");
    assertThat(picked.out()).as("a reshaped result takes its columns from the JSON").startsWith("DOMAIN")
        .containsPattern("(?m)^" + tenant.domain() + "\\s+" + tenant.tenantId() + "$");

    CliRun json = cli("identity", "tenant", "list", "--query", "length(value)", "-o", "json");
    assertThat(json.json().asInt()).isGreaterThanOrEqualTo(2);

    CliRun status = cli("stack", "info", "--query", "properties.cloudId", "-o", "tsv");
    assertThat(status.out().strip()).isEqualTo(server.app().stamp().cloudId());
  }

  @Test
  void aBadQueryOrFormatIsAnArgumentErrorThatSaysWhatToDo() {
    CliRun query = cli("identity", "tenant", "list", "--query", "value[?");
    assertThat(query.code()).isEqualTo(2);
    assertThat(query.err()).contains("--query is not valid JMESPath").doesNotContain("\tat ");
    assertThat(query.out()).isEmpty();

    CliRun format = cli("identity", "tenant", "list", "-o", "tenants.csv");
    assertThat(format.code()).isEqualTo(2);
    assertThat(format.err()).contains("--output is the format, one of table, json, tsv or csv")
        .contains("use --out tenants.csv");
  }

  @Test
  void outWritesTheFormattedResultToAFileAndNothingToStandardOutput(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tenants.json");
    CliRun run = cli("identity", "tenant", "list", "-o", "json", "--out", file.toString());
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.out()).isEmpty();
    assertThat(Files.readString(file)).contains(tenant.tenantId()).startsWith("{");
  }

  @Test
  void aStatusIsLabelledLinesAndItsJsonIsTheServersAnswer() throws Exception {
    CliRun lines = cli("stack", "info");
    assertThat(lines.out()).containsPattern("(?m)^CloudId:\\s+" + server.app().stamp().cloudId() + "$")
        .contains("Registration status:");
    assertThat(cli("stack", "info", "-o", "json").json().path("properties").path("cloudId").asText())
        .isEqualTo(server.app().stamp().cloudId());
  }
}
