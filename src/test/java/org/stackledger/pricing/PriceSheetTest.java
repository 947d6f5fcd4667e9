package org.stackledger.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.meters.Meter;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.testing.Engine;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestServer;

/**
 * The price sheet as rating uses it, on both engines: the defaults of spec §7 for every meter,
 * effective dating, replacement of an entry with the same key, history kept, empty columns filled
 * from the entry before, and a CSV file that survives export and import unchanged. Each test keeps
 * to a currency of its own, so they share one server.
 */
@Tag("storage")
class PriceSheetTest {
  static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";
  static final String WINDOWS_VM = "9CD92D4C-BAFD-4492-B278-BEDC2DE8232A";
  static final String BLOCK_BLOB = "09F8879E-87E9-4305-A572-4B7BE209F857";
  static final String PAGE_BLOB = "B5C15376-6C94-4FDD-B655-1A69D138ACA3";
  static final String TABLE = "B4438D5D-453B-4EE1-B42A-DC72E377F1E4";
  static final String QUEUE = "B03C6AE7-B080-4BFA-84A3-22C800F315C6";
  static final String APP_SERVICE = "190C935E-9ADA-48FF-9AB8-56EA1CF9ADAA";
  static final String HEADER = "meterId,commerceMeterId,meterName,currency,unitPrice,pricingUnit,unitDivisor,effectiveFrom";

  private static final ServerPool SERVERS = new ServerPool();

  @AfterAll
  static void stopServers() throws Exception {
    SERVERS.close();
  }

  /** A price sheet file: the header, then these rows, CRLF-ended. */
  static String csv(String... rows) {
    StringBuilder out = new StringBuilder(HEADER).append("\r\n");
    for (String row : rows) {
      out.append(row).append("\r\n");
    }
    return out.toString();
  }

  static String export(PriceSheet sheet, String currency, Instant at) throws Exception {
    StringWriter out = new StringWriter();
    sheet.exportCsv(out, currency, at);
    return out.toString();
  }

  private static String price(Prices prices, String meter, String at) {
    return prices.at(meter, Instant.parse(at)).map(p -> p.unitPrice().toPlainString()).orElse(null);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void everyMeterStartsWithTheSpecsPriceInUsd(Engine engine) throws Exception {
    PriceSheet sheet = SERVERS.get(engine).app().priceSheet();
    List<Price> prices = sheet.inForce("USD", Instant.parse("2020-01-01T00:00:00Z"));
    assertThat(prices).hasSize(84);
    assertThat(prices.stream().map(Price::meterId).toList())
        .as("in the catalogue's order").isEqualTo(MeterCatalogue.standard().all().stream().map(Meter::id).toList());
    Map<String, Price> byId = prices.stream().collect(Collectors.toMap(Price::meterId, Function.identity()));
    Map<String, String> published = Map.of(BASE_VM, "0.008", WINDOWS_VM, "0.046", BLOCK_BLOB, "0.006", PAGE_BLOB, "0.006",
        TABLE, "0.018", QUEUE, "0.018", APP_SERVICE, "0.056");
    for (Meter m : MeterCatalogue.standard().all()) {
      Price p = byId.get(m.id());
      assertThat(p.unitPrice()).as(m.name()).isEqualByComparingTo(published.getOrDefault(m.id(), "0"));
      assertThat(p.currency()).isEqualTo("USD");
      assertThat(p.effectiveFrom()).isEqualTo(Instant.parse("2017-01-01T00:00:00Z"));
      assertThat(p.meterName()).isEqualTo(m.name());
      assertThat(p.commerceMeterId()).isEqualTo(UUID.nameUUIDFromBytes(("stackledger-commerce:"
          + m.id().toUpperCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8)).toString()).isNotEqualToIgnoringCase(m.id());
    }
    for (String capacity : List.of(BLOCK_BLOB, PAGE_BLOB, TABLE, QUEUE)) {
      assertThat(byId.get(capacity).unitDivisor()).isEqualTo(730);
      assertThat(byId.get(capacity).pricingUnit()).isEqualTo("GB-month");
    }
    for (String vcpu : List.of(BASE_VM, WINDOWS_VM, APP_SERVICE)) {
      assertThat(byId.get(vcpu).unitDivisor()).isEqualTo(1);
      assertThat(byId.get(vcpu).pricingUnit()).isEqualTo("vCPU hour");
    }
    assertThat(byId.get("6DAB500F-A4FD-49C4-956D-229BB9C8C793").pricingUnit()).isEqualTo("VM hours");
    // A month of 10 GB of block blobs (7,300 GB × hours) at the default price: 6 cents.
    assertThat(sheet.snapshot("USD").at(BLOCK_BLOB.toLowerCase(Locale.ROOT), Instant.parse("2026-11-01T00:00:00Z"))
        .orElseThrow().lineAmount(new BigDecimal("7300"))).isEqualTo(new BigDecimal("0.06"));
    assertThat(sheet.inForce("USD", Instant.parse("2016-12-31T23:59:59Z"))).as("nothing before the defaults").isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void seedingAgainAddsOnlyMetersWithoutAPrice(Engine engine) throws Exception {
    try (TestServer server = TestServer.start(engine)) {
      var jdbi = server.app().database().jdbi();
      String defaults = export(server.app().priceSheet(), "USD", null);
      new PriceSheet(jdbi, MeterCatalogue.standard(), Clock.systemUTC());
      assertThat(export(server.app().priceSheet(), "USD", null)).isEqualTo(defaults);
      // The operator's own price for a meter is not overwritten by a later start.
      server.app().priceSheet().importCsv(new StringReader(csv(BASE_VM + ",,,USD,0.5,,,2017-01-01T00:00:00Z")));
      new PriceSheet(jdbi, MeterCatalogue.standard(), Clock.systemUTC());
      assertThat(server.app().priceSheet().snapshot("USD").at(BASE_VM, Instant.parse("2020-01-01T00:00:00Z"))
          .orElseThrow().unitPrice()).isEqualByComparingTo("0.5");
      // A meter the catalogue learns later gets its default at the next start, the others are left alone.
      List<Meter> grown = new ArrayList<>(MeterCatalogue.standard().all());
      grown.add(new Meter("0A0B0C0D-0000-4000-8000-000000000001", "Infrastructure VM hours", "virtual core hours",
          "Compute", "Microsoft.Compute", Meter.Kind.ADMIN, Meter.Period.HOURLY, false, ""));
      PriceSheet later = new PriceSheet(jdbi, MeterCatalogue.of(grown), Clock.systemUTC());
      List<Price> usd = later.inForce("USD", Instant.parse("2020-01-01T00:00:00Z"));
      assertThat(usd).hasSize(85);
      assertThat(usd.get(84).meterId()).isEqualTo("0A0B0C0D-0000-4000-8000-000000000001");
      assertThat(usd.get(84).unitPrice()).as("an admin meter is free").isEqualByComparingTo("0");
      Integer rows = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM price_sheet").mapTo(Integer.class).one());
      assertThat(rows).isEqualTo(85);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aPriceChangedMidMonthAppliesFromItsInstantOn(Engine engine) throws Exception {
    PriceSheet sheet = SERVERS.get(engine).app().priceSheet();
    int imported = sheet.importCsv(new StringReader(csv(
        BASE_VM + ",,,EUR,0.007,,,2026-10-01T00:00:00Z",
        BASE_VM.toLowerCase(Locale.ROOT) + ",,,eur,0.009,,,2026-10-15T12:00:00Z",
        WINDOWS_VM + ",,,EUR,0.04,,,2026-10-01T00:00:00Z")));
    assertThat(imported).isEqualTo(3);
    Prices eur = sheet.snapshot("EUR");
    assertThat(price(eur, BASE_VM, "2026-09-30T23:59:59.999999Z")).as("no EUR price before October").isNull();
    assertThat(price(eur, BASE_VM, "2026-10-01T00:00:00Z")).isEqualTo("0.007");
    assertThat(price(eur, BASE_VM, "2026-10-15T11:59:59.999999Z")).isEqualTo("0.007");
    assertThat(price(eur, BASE_VM, "2026-10-15T12:00:00Z")).isEqualTo("0.009");
    assertThat(price(eur, BASE_VM, "2026-10-31T23:00:00Z")).isEqualTo("0.009");
    assertThat(price(eur, WINDOWS_VM, "2026-10-31T23:00:00Z")).isEqualTo("0.04");
    assertThat(eur.at(BASE_VM, Instant.parse("2026-10-20T00:00:00Z")).orElseThrow().meterId())
        .as("the catalogue's spelling is stored").isEqualTo(BASE_VM);
    assertThat(sheet.inForce("EUR", Instant.parse("2026-10-15T12:00:00Z")))
        .extracting(p -> p.unitPrice().toPlainString()).containsExactly("0.009", "0.04");
    // USD is untouched by EUR entries.
    assertThat(price(sheet.snapshot("USD"), BASE_VM, "2026-10-20T00:00:00Z")).isEqualTo("0.008");

    // The same key again replaces that entry; the rest of the history stays.
    sheet.importCsv(new StringReader(csv(BASE_VM + ",,,EUR,0.0085,,,2026-10-15T12:00:00Z")));
    Prices replaced = sheet.snapshot("EUR");
    assertThat(price(replaced, BASE_VM, "2026-10-20T00:00:00Z")).isEqualTo("0.0085");
    assertThat(price(replaced, BASE_VM, "2026-10-10T00:00:00Z")).isEqualTo("0.007");
    assertThat(export(sheet, "EUR", null).lines().filter(l -> l.startsWith(BASE_VM))).hasSize(2);
    // What a snapshot holds does not change under it.
    assertThat(price(eur, BASE_VM, "2026-10-20T00:00:00Z")).isEqualTo("0.009");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void emptyColumnsComeFromTheEntryBeforeElseFromTheDefaults(Engine engine) throws Exception {
    PriceSheet sheet = SERVERS.get(engine).app().priceSheet();
    sheet.importCsv(new StringReader(csv(
        BLOCK_BLOB + ",,,CHF,0.005,,,2026-01-01T00:00:00Z",
        BLOCK_BLOB + ",,,CHF,0.004,,,2026-03-01T00:00:00Z",
        BLOCK_BLOB + ",ch-blob,\"Blob, block (CH)\",CHF,0.0045,GB-month (CH),720,2026-02-01T00:00:00Z")));
    Prices chf = sheet.snapshot("CHF");
    Price first = chf.at(BLOCK_BLOB, Instant.parse("2026-01-15T00:00:00Z")).orElseThrow();
    assertThat(first).isEqualTo(new Price(BLOCK_BLOB, DefaultPrices.commerceMeterId(BLOCK_BLOB), "BlockBlobCapacity", "CHF",
        new BigDecimal("0.005"), "GB-month", 730, Instant.parse("2026-01-01T00:00:00Z")));
    // The March row comes after the February one in time, not in the file: it inherits February's columns.
    Price march = chf.at(BLOCK_BLOB, Instant.parse("2026-03-15T00:00:00Z")).orElseThrow();
    assertThat(march).isEqualTo(new Price(BLOCK_BLOB, "ch-blob", "Blob, block (CH)", "CHF", new BigDecimal("0.004"),
        "GB-month (CH)", 720, Instant.parse("2026-03-01T00:00:00Z")));
    // A later file inherits from what is stored.
    sheet.importCsv(new StringReader(csv(BLOCK_BLOB + ",,,CHF,0.003,,,2026-04-01T00:00:00Z")));
    assertThat(sheet.snapshot("CHF").at(BLOCK_BLOB, Instant.parse("2026-04-02T00:00:00Z")).orElseThrow().pricingUnit())
        .isEqualTo("GB-month (CH)");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anExportImportedAgainExportsTheSameFile(Engine engine) throws Exception {
    PriceSheet sheet = SERVERS.get(engine).app().priceSheet();
    String file = csv(
        APP_SERVICE + ",gb-app,\"App Service \"\"vCPU\"\", GB\",GBP,0.05,vCPU hour,1,2026-01-01T00:00:00Z",
        APP_SERVICE + ",gb-app,App Service,GBP,0.000000000000000001,vCPU hour,1,2026-06-01T00:00:00.123456Z",
        TABLE + ",,,GBP,12345678901234567890.123456789012345678,,,2026-01-01T00:00:00+02:00",
        "f114cb19-ea64-40b5-bcd7-aee474b62853,,\"line\nbreak\",GBP,1E+2,,,2026-02-01T00:00:00Z");
    assertThat(sheet.importCsv(new StringReader(file))).isEqualTo(4);
    String first = export(sheet, "GBP", null);
    assertThat(first).startsWith(HEADER + "\r\n").contains("\"App Service \"\"vCPU\"\", GB\"")
        .contains(",12345678901234567890.123456789012345678,").contains(",0.000000000000000001,")
        .contains("2025-12-31T22:00:00Z").contains(",100,").contains("\"line\nbreak\"")
        .contains("2026-06-01T00:00:00.123456Z");
    assertThat(first.lines().count()).as("header, 4 entries, one field over two lines").isEqualTo(6);
    assertThat(sheet.importCsv(new StringReader(first))).isEqualTo(4);
    assertThat(export(sheet, "GBP", null)).isEqualTo(first);
    // The prices in force at an instant are a file too, one entry per meter.
    String june = export(sheet, "GBP", Instant.parse("2026-07-01T00:00:00Z"));
    assertThat(june.lines().toList()).as("header, three meters, one name over two lines").hasSize(5).anySatisfy(l -> assertThat(l).contains(",0.000000000000000001,"));
    sheet.importCsv(new StringReader(june));
    assertThat(export(sheet, "GBP", null)).isEqualTo(first);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aNameThatWouldRunAsASpreadsheetFormulaIsExportedAsTextAndImportedAsItWas(Engine engine) throws Exception {
    PriceSheet sheet = SERVERS.get(engine).app().priceSheet();
    sheet.importCsv(new StringReader(csv(
        BASE_VM + ",=cmd|' /C calc'!A0,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"open\"\")\",CAD,0.01,@vCPU hour,1,"
            + "2026-01-01T00:00:00Z",
        TABLE + ",-t,'=already quoted,CAD,0.02,+GB,10,2026-01-01T00:00:00Z")));
    Price vm = sheet.snapshot("CAD").at(BASE_VM, Instant.parse("2026-02-01T00:00:00Z")).orElseThrow();
    assertThat(vm.meterName()).isEqualTo("=HYPERLINK(\"http://evil.example\",\"open\")");
    assertThat(sheet.snapshot("CAD").at(TABLE, Instant.parse("2026-02-01T00:00:00Z")).orElseThrow().meterName())
        .as("a quote a person typed in front of a formula reads as the text behind it").isEqualTo("=already quoted");
    String first = export(sheet, "CAD", null);
    assertThat(first).contains(",'=cmd|' /C calc'!A0,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"open\"\")\",CAD,0.01,"
        + "'@vCPU hour,1,").contains(",'-t,'=already quoted,CAD,0.02,'+GB,10,");
    // Imported again, the guarded cells are the names they were, so the export is the same file.
    sheet.importCsv(new StringReader(first));
    assertThat(sheet.snapshot("CAD").at(BASE_VM, Instant.parse("2026-02-01T00:00:00Z")).orElseThrow()).isEqualTo(vm);
    assertThat(export(sheet, "CAD", null)).isEqualTo(first);
  }
}
