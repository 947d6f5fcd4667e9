package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestServer;

/** {@code stackledger usage meters} against a real server's stack admin endpoint. */
class UsageCommandTest {
  private static TestServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(Engine.H2);
    CliRun login = CliRun.in(server.dataDir(), "login", "--service-principal", "-u", server.admin().clientId(), "-p",
        server.admin().clientSecret());
    assertThat(login.code()).as(login.err()).isZero();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void metersPrintsTheCatalogueAsATable() {
    CliRun run = CliRun.in(server.dataDir(), "usage", "meters");
    assertThat(run.code()).as(run.err()).isZero();
    String[] lines = run.out().split("\n");
    assertThat(lines[0]).startsWith("ID").contains("NAME", "UNIT", "PROVIDER");
    assertThat(lines).hasSize(1 + MeterCatalogue.standard().all().size());
    assertThat(run.out()).containsPattern("FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5 +Base VM Size Hours +virtual core hours +Microsoft.Compute")
        .contains("DatabaseSizeHourMySqlMeter");
  }

  @Test
  void metersWithJsonPrintsTheList() throws Exception {
    CliRun run = CliRun.in(server.dataDir(), "usage", "meters", "--json");
    assertThat(run.code()).as(run.err()).isZero();
    assertThat(run.json().path("value")).hasSize(84);
  }

  @Test
  void usageAloneListsItsSubcommands() {
    CliRun run = CliRun.run("usage");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("meters");
  }
}
