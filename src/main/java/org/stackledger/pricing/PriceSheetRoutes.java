package org.stackledger.pricing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Currency;
import java.util.Locale;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.ApiVersions;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * {@code /providers/Stackledger.Billing/priceSheet[/export|/import]} on the cloud ARM endpoint: the
 * operator reads the prices in force, downloads the sheet as CSV and uploads a new one. Prices are
 * the operator's business alone (a partner sees what it is charged on its invoices, not the sheet),
 * so every route needs a root-scope role, checked by {@link OperatorPriceSheet} before the request is
 * read.
 */
public final class PriceSheetRoutes {
  static final String TYPE = "Stackledger.Billing/priceSheet";
  static final String PATH = "/providers/" + TYPE;
  /** Ours: Azure publishes its price list as a spreadsheet in Partner Center, not through an API. */
  static final ApiVersions VERSIONS = ApiVersions.of(TYPE, "2026-11-01");
  static final String READ = TYPE + "/read";
  static final String WRITE = TYPE + "/write";

  private final OperatorPriceSheet sheet;
  private final long bodyLimit;

  private PriceSheetRoutes(OperatorPriceSheet sheet, long bodyLimit) {
    this.sheet = sheet;
    this.bodyLimit = bodyLimit;
  }

  /** Registers the routes; {@code bodyLimit} bounds an imported file, in bytes. */
  public static void register(Router router, OperatorPriceSheet sheet, long bodyLimit) {
    PriceSheetRoutes routes = new PriceSheetRoutes(sheet, bodyLimit);
    router.get(PATH, routes::list);
    router.get(PATH + "/export", routes::export);
    router.post(PATH + "/import", routes::importFile);
  }

  private Reply list(Exchange ex) {
    OperatorPriceSheet.Reading reading = sheet.reading(AccessControl.caller(ex));
    VERSIONS.require(ex);
    Instant at = at(ex);
    ObjectNode out = Json.object();
    ArrayNode value = out.putArray("value");
    for (Price p : reading.inForce(currency(ex), at)) {
      ObjectNode o = value.addObject();
      o.put("meterId", p.meterId());
      o.put("commerceMeterId", p.commerceMeterId());
      o.put("meterName", p.meterName());
      o.put("currency", p.currency());
      o.put("unitPrice", p.unitPrice());
      o.put("pricingUnit", p.pricingUnit());
      o.put("unitDivisor", p.unitDivisor());
      o.put("effectiveFrom", p.effectiveFrom().toString());
    }
    return Reply.json(200, out);
  }

  private Reply export(Exchange ex) throws IOException {
    OperatorPriceSheet.Reading reading = sheet.reading(AccessControl.caller(ex));
    VERSIONS.require(ex);
    StringWriter csv = new StringWriter();
    reading.exportCsv(csv, currency(ex), at(ex));
    return Reply.text(200, csv.toString(), "text/csv; charset=utf-8");
  }

  private Reply importFile(Exchange ex) throws IOException {
    OperatorPriceSheet.Import importing = sheet.importing(AccessControl.caller(ex));
    VERSIONS.require(ex);
    String type = ex.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    String mediaType = type.split(";", 2)[0].trim();
    if (!mediaType.equals("text/csv") && !mediaType.equals("application/csv") && !mediaType.equals("text/plain")) {
      throw Problem.unsupportedContent("UnsupportedMediaType", "Content-Type", "The content type '" + (type.isEmpty() ? "(none)" : type) + "' is not supported. Send text/csv.");
    }
    byte[] body;
    try {
      body = ex.body(bodyLimit);
    } catch (Exchange.BodyTooLargeException e) {
      throw Problem.tooLarge("RequestEntityTooLarge", "body", "A price sheet file is at most " + bodyLimit + " bytes.");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw Problem.invalid("InvalidPriceSheet", "body", "The price sheet was not imported: it is not UTF-8 text.");
    }
    ObjectNode out = Json.object();
    out.put("imported", importing.importCsv(new StringReader(text)));
    return Reply.json(200, out);
  }

  /** The {@code currency} parameter in upper case, or {@code null} for every currency. */
  private static String currency(Exchange ex) {
    String code = ex.query("currency").orElse("").trim();
    if (code.isEmpty()) {
      return null;
    }
    String upper = code.toUpperCase(Locale.ROOT);
    try {
      if (upper.length() == 3) {
        Currency.getInstance(upper);
        return upper;
      }
    } catch (IllegalArgumentException unknown) {
      // Answered below.
    }
    throw Problem.invalid("InvalidParameter", "currency",
        "The parameter 'currency' must be an ISO 4217 currency code such as USD, not '" + code + "'.");
  }

  /** The {@code at} parameter, or {@code null} when absent. */
  private static Instant at(Exchange ex) {
    String text = ex.query("at").orElse("").trim();
    if (text.isEmpty()) {
      return null;
    }
    try {
      Instant at = Instant.parse(text);
      if (PriceSheetRules.inRange(at)) {
        return at;
      }
    } catch (DateTimeParseException e) {
      // Answered below.
    }
    throw Problem.invalid("InvalidParameter", "at", "The parameter 'at' must be an ISO-8601 instant between "
        + PriceSheetRules.EARLIEST + " and " + PriceSheetRules.LATEST + " such as 2026-11-01T00:00:00Z, not '" + text + "'.");
  }
}
