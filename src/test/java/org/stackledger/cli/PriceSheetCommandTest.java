package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.stackledger.testing.Engine;
import org.stackledger.testing.TestServer;

/** {@code stackledger price-sheet export|import} against a real server's cloud ARM endpoint. */
class PriceSheetCommandTest {
  private static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";
  private static final String HEADER = "meterId,commerceMeterId,meterName,currency,unitPrice,pricingUnit,unitDivisor,effectiveFrom";
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
  void exportWritesTheDefaultsAndImportTakesAnEditedFileBack() throws Exception {
    Path file = server.dataDir().resolve("prices.csv");
    CliRun export = CliRun.in(server.dataDir(), "price-sheet", "export", "--currency", "USD", "--at",
        "2020-01-01T00:00:00Z", "--out", file.toString());
    assertThat(export.code()).as(export.err()).isZero();
    assertThat(export.err()).as("its last progress line").isEqualTo("price sheet: 84 entries, written to " + file
        + System.lineSeparator());
    String defaults = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(defaults.split("\r\n")).hasSize(85);
    assertThat(defaults).startsWith(HEADER + "\r\n").contains(BASE_VM + ",").contains(",USD,0.008,vCPU hour,1,2017-01-01T00:00:00Z");

    // The operator raises the Base VM price from December on: the same file with one line changed.
    String december = defaults.lines().filter(l -> l.startsWith(BASE_VM)).findFirst().orElseThrow()
        .replace(",0.008,", ",0.009,").replace("2017-01-01T00:00:00Z", "2026-12-01T00:00:00Z");
    Files.writeString(file, HEADER + "\r\n" + december + "\r\n", StandardCharsets.UTF_8);
    CliRun imported = CliRun.in(server.dataDir(), "price-sheet", "import", file.toString());
    assertThat(imported.code()).as(imported.err()).isZero();
    assertThat(imported.out()).contains("imported 1 entries");
    assertThat(server.app().priceSheet().snapshot("USD").at(BASE_VM, Instant.parse("2026-12-02T00:00:00Z")).orElseThrow()
        .unitPrice()).isEqualByComparingTo("0.009");

    CliRun history = CliRun.in(server.dataDir(), "price-sheet", "export");
    assertThat(history.code()).as(history.err()).isZero();
    assertThat(history.out().split("\r\n")).as("header, 84 defaults and the December price").hasSize(86);
    CliRun table = CliRun.in(server.dataDir(), "price-sheet", "export", "-o", "json", "--query", "length(@)");
    assertThat(table.out().strip()).as("an export's rows take -o and --query like any list").isEqualTo("85");
  }

  @Test
  void aRefusedFileListsEveryProblemAndExitsOne() throws Exception {
    Path file = server.dataDir().resolve("bad.csv");
    Files.writeString(file, HEADER + "\r\n" + BASE_VM + ",,,USD,-1,,,2026-01-01T00:00:00Z\r\n"
        + "nope,,,USD,1,,0,2026-01-01T00:00:00Z\r\n", StandardCharsets.UTF_8);
    CliRun run = CliRun.in(server.dataDir(), "price-sheet", "import", file.toString());
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("HTTP 400 InvalidPriceSheet").contains("InvalidUnitPrice row 2 column unitPrice")
        .contains("UnknownMeter row 3 column meterId").contains("InvalidUnitDivisor row 3 column unitDivisor");
    CliRun missing = CliRun.in(server.dataDir(), "price-sheet", "import", server.dataDir().resolve("none.csv").toString());
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err()).contains("no such file");
  }

  @Test
  void aBadInstantIsTheServersAnswer() {
    CliRun run = CliRun.in(server.dataDir(), "price-sheet", "export", "--at", "soon");
    assertThat(run.code()).isEqualTo(1);
    assertThat(run.err()).contains("InvalidParameter").contains("(target: at)");
  }
}
