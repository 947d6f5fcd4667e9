package org.stackledger.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.stackledger.pricing.PriceSheetTest.BASE_VM;
import static org.stackledger.pricing.PriceSheetTest.BLOCK_BLOB;
import static org.stackledger.pricing.PriceSheetTest.HEADER;
import static org.stackledger.pricing.PriceSheetTest.csv;
import static org.stackledger.testing.ArmCalls.assertError;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;
import org.stackledger.testing.Engine;
import org.stackledger.testing.ServerPool;
import org.stackledger.testing.TestClient;
import org.stackledger.testing.TestServer;

/**
 * {@code Stackledger.Billing/priceSheet} over HTTPS: the prices in force as JSON, the CSV export and
 * import, every way a file is refused (each problem named by row and column, nothing stored), bad
 * parameters, and that nobody but the operator reads or writes prices.
 */
@Tag("storage")
class PriceSheetApiTest {
  private static final String API = "?api-version=2026-11-01";
  private static final String SHEET = "/providers/Stackledger.Billing/priceSheet";
  private static final String IMPORT = SHEET + "/import" + API;
  private static final ServerPool SERVERS = new ServerPool();

  @AfterAll
  static void stopServers() throws Exception {
    SERVERS.close();
  }

  private static TestClient.Response upload(TestClient client, String csv) {
    return client.send("POST", IMPORT, csv, Map.of("Content-Type", "text/csv"));
  }

  /** Everything the sheet holds, as a file: a refused request must leave it byte for byte. */
  private static String stored(TestServer server) throws Exception {
    return PriceSheetTest.export(server.app().priceSheet(), null, null);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void theOperatorReadsThePricesInForceAsJson(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient.Response now = server.client().get(SHEET + API + "&currency=usd");
    assertThat(now.status()).as(now.body()).isEqualTo(200);
    assertThat(now.json().path("value")).hasSize(84);
    JsonNode base = now.json().path("value").path(16);
    assertThat(base.path("meterId").asText()).isEqualTo(BASE_VM);
    assertThat(base.path("meterName").asText()).isEqualTo("Base VM Size Hours");
    assertThat(base.path("currency").asText()).isEqualTo("USD");
    assertThat(base.path("unitPrice").isNumber()).isTrue();
    assertThat(base.path("unitPrice").decimalValue()).isEqualByComparingTo("0.008");
    assertThat(base.path("pricingUnit").asText()).isEqualTo("vCPU hour");
    assertThat(base.path("unitDivisor").asInt()).isEqualTo(1);
    assertThat(base.path("effectiveFrom").asText()).isEqualTo("2017-01-01T00:00:00Z");
    assertThat(base.path("commerceMeterId").asText()).isEqualTo(DefaultPrices.commerceMeterId(BASE_VM));
    assertThat(now.body()).contains("\"unitPrice\":0.008,").contains("\"unitPrice\":0,");

    // A tiny price is written plainly, never as 1E-18; at= picks the instant, currency= the currency.
    assertThat(upload(server.client(), csv(BASE_VM + ",,,NOK,0.000000000000000001,,,2026-05-01T00:00:00Z",
        BASE_VM + ",,,NOK,2,,,2026-06-01T00:00:00Z")).status()).isEqualTo(200);
    TestClient.Response may = server.client().get(SHEET + API + "&currency=NOK&at=2026-05-31T23:59:59Z");
    assertThat(may.json().path("value")).hasSize(1);
    assertThat(may.body()).contains("\"unitPrice\":0.000000000000000001");
    assertThat(server.client().get(SHEET + API + "&currency=NOK&at=2026-06-01T00:00:00Z").body()).contains("\"unitPrice\":2,");
    assertThat(server.client().get(SHEET + API + "&currency=NOK&at=2026-04-30T00:00:00Z").json().path("value")).isEmpty();
    // Without currency=, every currency's prices in force.
    JsonNode all = server.client().get(SHEET + API + "&at=2026-06-02T00:00:00Z").json().path("value");
    assertThat(all.findValuesAsText("currency")).contains("USD", "NOK");
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aFileExportedOverHttpsImportsBackUnchanged(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    TestClient.Response imported = upload(server.client(), csv(
        BLOCK_BLOB + ",dk-blob,\"Blob, block\",DKK,0.04,GB-month,730,2026-01-01T00:00:00Z",
        BLOCK_BLOB + ",,,DKK,0.05,,,2026-07-01T00:00:00Z"));
    assertThat(imported.status()).as(imported.body()).isEqualTo(200);
    assertThat(imported.json().path("imported").asInt()).isEqualTo(2);
    TestClient.Response export = server.client().get(SHEET + "/export" + API + "&currency=DKK");
    assertThat(export.status()).isEqualTo(200);
    assertThat(export.header("content-type")).startsWith("text/csv");
    assertThat(export.body()).isEqualTo(csv(
        BLOCK_BLOB + ",dk-blob,\"Blob, block\",DKK,0.04,GB-month,730,2026-01-01T00:00:00Z",
        BLOCK_BLOB + ",dk-blob,\"Blob, block\",DKK,0.05,GB-month,730,2026-07-01T00:00:00Z"));
    assertThat(upload(server.client(), export.body()).json().path("imported").asInt()).isEqualTo(2);
    assertThat(server.client().get(SHEET + "/export" + API + "&currency=DKK").body()).isEqualTo(export.body());
    assertThat(server.client().get(SHEET + "/export" + API + "&currency=DKK&at=2026-03-01T00:00:00Z").body())
        .isEqualTo(csv(BLOCK_BLOB + ",dk-blob,\"Blob, block\",DKK,0.04,GB-month,730,2026-01-01T00:00:00Z"));
    // A header alone imports nothing, and is no error.
    assertThat(upload(server.client(), HEADER + "\n").json().path("imported").asInt()).isZero();
  }

  private record Refusal(String row, String target, String code) {}

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aFileWithAnyProblemIsRefusedWholeWithEveryProblemNamed(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    String good = BASE_VM + ",,,SEK,0.07,,,2026-10-01T00:00:00Z";
    List<Refusal> rows = List.of(
        new Refusal("00000000-0000-0000-0000-000000000000,,,SEK,1,,,2026-10-01T00:00:00Z", "row 3 column meterId",
            "UnknownMeter"),
        new Refusal(",,,SEK,1,,,2026-10-01T00:00:00Z", "row 3 column meterId", "MissingValue"),
        new Refusal(BASE_VM + ",,,SEK,-0.01,,,2026-11-01T00:00:00Z", "row 3 column unitPrice", "InvalidUnitPrice"),
        new Refusal(BASE_VM + ",,,SEK,cheap,,,2026-11-01T00:00:00Z", "row 3 column unitPrice", "InvalidUnitPrice"),
        new Refusal(BASE_VM + ",,,SEK,0.0000000000000000001,,,2026-11-01T00:00:00Z", "row 3 column unitPrice",
            "InvalidUnitPrice"),
        new Refusal(BASE_VM + ",,,SEK,123456789012345678901,,,2026-11-01T00:00:00Z", "row 3 column unitPrice",
            "InvalidUnitPrice"),
        new Refusal(BASE_VM + ",,,SEK,,,,2026-11-01T00:00:00Z", "row 3 column unitPrice", "MissingValue"),
        new Refusal(BASE_VM + ",,,ZZZ,1,,,2026-11-01T00:00:00Z", "row 3 column currency", "UnknownCurrency"),
        new Refusal(BASE_VM + ",,,XXX,1,,,2026-11-01T00:00:00Z", "row 3 column currency", "UnknownCurrency"),
        new Refusal(BASE_VM + ",,,DOLLARS,1,,,2026-11-01T00:00:00Z", "row 3 column currency", "UnknownCurrency"),
        new Refusal(BASE_VM + ",,,SEK,1,,0,2026-11-01T00:00:00Z", "row 3 column unitDivisor", "InvalidUnitDivisor"),
        new Refusal(BASE_VM + ",,,SEK,1,,-730,2026-11-01T00:00:00Z", "row 3 column unitDivisor", "InvalidUnitDivisor"),
        new Refusal(BASE_VM + ",,,SEK,1,,1.5,2026-11-01T00:00:00Z", "row 3 column unitDivisor", "InvalidUnitDivisor"),
        new Refusal(BASE_VM + ",,,SEK,1,,,2026-11-01", "row 3 column effectiveFrom", "InvalidEffectiveFrom"),
        new Refusal(BASE_VM + ",,,SEK,1,,,2026-13-01T00:00:00Z", "row 3 column effectiveFrom", "InvalidEffectiveFrom"),
        new Refusal(BASE_VM + ",,,SEK,1,,,2026-11-01T00:00:00.0000001Z", "row 3 column effectiveFrom",
            "InvalidEffectiveFrom"),
        new Refusal(BASE_VM + ",,,SEK,1,,,1899-12-31T23:59:59Z", "row 3 column effectiveFrom", "InvalidEffectiveFrom"),
        new Refusal(BASE_VM + ",,,SEK,1,,", "row 3 column effectiveFrom", "MissingColumn"),
        new Refusal(BASE_VM + ",,,SEK,1,,,2026-11-01T00:00:00Z,extra", "row 3", "TooManyFields"),
        new Refusal(BASE_VM.toLowerCase() + ",,,sek,0.08,,,2026-10-01T02:00:00+02:00", "row 3", "DuplicateEntry"),
        new Refusal(BASE_VM + "," + "x".repeat(65) + ",,SEK,1,,,2026-11-01T00:00:00Z", "row 3 column commerceMeterId",
            "InvalidValue"),
        new Refusal(BASE_VM + ",\"open,,SEK,1,,,2026-11-01T00:00:00Z", "row 3", "InvalidCsv"),
        new Refusal(BASE_VM + ",\"a\"b,,SEK,1,,,2026-11-01T00:00:00Z", "row 3", "InvalidCsv"));
    String before = stored(server);
    for (Refusal r : rows) {
      TestClient.Response answer = assertError(upload(server.client(), csv(good, r.row())), 400, "InvalidPriceSheet");
      assertThat(answer.errorTarget()).as(r.row()).isEqualTo(r.target());
      assertThat(answer.json().path("error").path("message").asText()).contains(r.target()).contains("not imported");
      assertThat(answer.json().path("error").path("details")).as(r.row()).singleElement().satisfies(d -> {
        assertThat(d.path("code").asText()).isEqualTo(r.code());
        assertThat(d.path("target").asText()).isEqualTo(r.target());
      });
      assertThat(stored(server)).as("nothing stored after refusing %s", r.row()).isEqualTo(before);
    }
    // Every problem of a file at once, each row named; the quoting ones stop the reading, so they
    // are left out, and the duplicate is of a row that stays good.
    StringBuilder file = new StringBuilder(csv(good));
    Map<String, String> expected = new LinkedHashMap<>();
    int row = 3;
    for (Refusal r : rows) {
      if (!r.code().equals("InvalidCsv")) {
        file.append(r.row()).append("\r\n");
        expected.put(r.target().replace("row 3", "row " + row), r.code());
        row++;
      }
    }
    TestClient.Response all = assertError(upload(server.client(), file.toString()), 400, "InvalidPriceSheet");
    Map<String, String> found = new LinkedHashMap<>();
    all.json().path("error").path("details").forEach(d -> found.put(d.path("target").asText(), d.path("code").asText()));
    assertThat(found).isEqualTo(expected);
    assertThat(all.json().path("error").path("message").asText()).contains("and " + (expected.size() - 1) + " more");
    assertThat(stored(server)).isEqualTo(before);

    // A quote left open ends the reading, but the rows above it are still checked: listed in row order.
    TestClient.Response open = assertError(upload(server.client(), csv(good, rows.get(2).row(), good.replace("SEK", "NOK"),
        BASE_VM + ",\"open,,SEK,1,,,2026-11-01T00:00:00Z")), 400, "InvalidPriceSheet");
    assertThat(open.json().path("error").path("details").findValuesAsText("target"))
        .containsExactly("row 3 column unitPrice", "row 5");
    assertThat(open.errorTarget()).isEqualTo("row 3 column unitPrice");
    assertThat(stored(server)).isEqualTo(before);

    // The header: missing, unknown and repeated columns, all named in row 1.
    TestClient.Response header = assertError(upload(server.client(),
        "meterId,currency,unitPrice,price,currency,effectiveFrom,commerceMeterId,meterName,pricingUnit\r\n" + good),
        400, "InvalidPriceSheet");
    Map<String, String> headerProblems = new LinkedHashMap<>();
    header.json().path("error").path("details").forEach(d -> headerProblems.put(d.path("target").asText(),
        d.path("code").asText()));
    assertThat(headerProblems).containsExactly(Map.entry("row 1 column price", "UnknownColumn"),
        Map.entry("row 1 column currency", "DuplicateColumn"), Map.entry("row 1 column unitDivisor", "MissingColumn"));
    assertThat(assertError(upload(server.client(), ""), 400, "InvalidPriceSheet").errorTarget()).isEqualTo("row 1");
    assertThat(assertError(upload(server.client(), "\r\n" + HEADER + "\r\n"), 400, "InvalidPriceSheet").errorTarget())
        .as("the header must be the first line").isEqualTo("row 1");
    // Not CSV, not UTF-8, too large.
    assertError(server.client().send("POST", IMPORT, csv(good), Map.of("Content-Type", "application/json")), 415,
        "UnsupportedMediaType");
    assertThat(binary(server, new byte[] {'m', (byte) 0xff, (byte) 0xfe, '\r', '\n'})).isEqualTo(400);
    assertThat(stored(server)).isEqualTo(before);
    assertThat(upload(server.client(), csv(good)).status()).as("the good row alone is fine").isEqualTo(200);
  }

  /** Posts raw bytes as text/csv and answers the status. */
  private static int binary(TestServer server, byte[] body) throws Exception {
    HttpClient http = HttpClient.newBuilder().sslContext(TestClient.trusting(server.app().certificate())).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.app().url(EndpointRole.CLOUD_ARM) + IMPORT.substring(1)))
        .header("Authorization", "Bearer " + server.token(server.admin().clientId(), server.admin().clientSecret(),
            server.app().homeTenantId(), Stackledger.CLOUD_AUDIENCE))
        .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).contains("InvalidPriceSheet").contains("UTF-8");
    return response.statusCode();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aBadInstantOrCurrencyIsNamed(Engine engine) throws Exception {
    TestClient client = SERVERS.get(engine).client();
    for (String path : List.of(SHEET, SHEET + "/export")) {
      assertThat(assertError(client.get(path + API + "&at=yesterday"), 400, "InvalidParameter").errorTarget())
          .isEqualTo("at");
      assertThat(assertError(client.get(path + API + "&at=%2B10000-01-01T00:00:00Z"), 400, "InvalidParameter")
          .errorTarget()).isEqualTo("at");
      assertThat(assertError(client.get(path + API + "&currency=EURO"), 400, "InvalidParameter").errorTarget())
          .isEqualTo("currency");
      assertThat(assertError(client.get(path + API + "&currency=ZZZ"), 400, "InvalidParameter").errorTarget())
          .isEqualTo("currency");
      assertError(client.get(path), 400, "MissingApiVersionParameter");
      assertError(client.get(path + "?api-version=2017-06-01"), 400, "InvalidApiVersionParameter");
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void onlyTheOperatorReadsOrWritesPrices(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    Stackledger app = server.app();
    // The owner of a subscription in another directory, and a principal of the home directory without a root role.
    TestClient owner = server.newTenant("prices-" + UUID.randomUUID().toString().substring(0, 8) + ".example").client();
    var sp = app.directory().createServicePrincipal(app.homeTenantId(), "no role", null, null);
    TestClient roleless = server.client().anonymous().withToken(server.token(sp.principal().appId().orElseThrow(),
        sp.clientSecret(), app.homeTenantId(), Stackledger.CLOUD_AUDIENCE));
    String before = stored(server);
    for (TestClient who : List.of(owner, roleless)) {
      for (TestClient.Response r : List.of(who.get(SHEET + API), who.get(SHEET + "/export" + API),
          upload(who, csv(BASE_VM + ",,,USD,0,,,2026-01-01T00:00:00Z")), who.get(SHEET + API + "&at=bad"))) {
        assertError(r, 403, "AuthorizationFailed");
        assertThat(r.json().path("error").path("message").asText())
            .containsAnyOf("Stackledger.Billing/priceSheet/read", "Stackledger.Billing/priceSheet/write").endsWith("over scope '/'.");
      }
    }
    assertThat(stored(server)).isEqualTo(before);
    assertThat(server.client().get(SHEET + API).status()).isEqualTo(200);
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void pricesInForceDefaultToNow(Engine engine) throws Exception {
    TestServer server = SERVERS.get(engine);
    Instant future = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusSeconds(86_400 * 365);
    assertThat(upload(server.client(), csv(BASE_VM + ",,,PLN,0.03,,,2026-01-01T00:00:00Z",
        BASE_VM + ",,,PLN,0.05,,," + future)).status()).isEqualTo(200);
    JsonNode now = server.client().get(SHEET + API + "&currency=PLN").json().path("value");
    assertThat(now).singleElement().satisfies(p -> assertThat(p.path("unitPrice").decimalValue()).isEqualByComparingTo("0.03"));
    assertThat(server.client().get(SHEET + "/export" + API + "&currency=PLN").body().lines()).hasSize(3);
  }
}
