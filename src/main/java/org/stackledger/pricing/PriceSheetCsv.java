package org.stackledger.pricing;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.function.BiConsumer;
import org.stackledger.csv.CsvFile;

/**
 * The price sheet's file format: a {@link CsvFile} (RFC 4180, CRLF line ends, UTF-8) with a header
 * of {@link #COLUMNS}. Names and units are text cells, written through the formula guard and read
 * back without it, so a meter named {@code =SUM(A1)} survives export and import unchanged; the unit
 * price and divisor are numbers, never guarded.
 */
final class PriceSheetCsv {
  static final List<String> COLUMNS = List.of("meterId", "commerceMeterId", "meterName", "currency", "unitPrice",
      "pricingUnit", "unitDivisor", "effectiveFrom");

  /** One record of the file; {@code number} counts records from 1, the header being record 1. */
  record Row(int number, List<String> fields) {}

  private PriceSheetCsv() {}

  static void write(Writer out, List<Price> prices) throws IOException {
    CsvFile.write(out, COLUMNS, prices.stream().map(p -> CsvFile.row(p.meterId(), p.commerceMeterId(), p.meterName(),
        p.currency(), p.unitPrice(), p.pricingUnit(), p.unitDivisor(), p.effectiveFrom().toString())).toList());
  }

  /**
   * The records of the text, blank lines left out. A malformed record ends the reading and is
   * handed to {@code malformed} (its number, then why): after a quote left open nothing that
   * follows can be trusted, but the rows before it are still worth checking.
   */
  static List<Row> read(String text, BiConsumer<Integer, String> malformed) {
    CsvFile.Reading reading = CsvFile.read(text);
    if (reading.fault() != null) {
      malformed.accept(reading.fault().number(), reading.fault().message());
    }
    return reading.records().stream().map(r -> new Row(r.number(), r.cells())).toList();
  }
}
