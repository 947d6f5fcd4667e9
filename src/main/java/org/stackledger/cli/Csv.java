package org.stackledger.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.stackledger.csv.CsvFile;
import org.stackledger.http.Json;

/**
 * The server's CSV exports read back into rows, so that {@code -o json|table|tsv} and
 * {@code --query} apply to them as to every other result; writing is {@link CsvFile}'s. Cells come
 * back as the server had them before the formula guard: a table or JSON shows a resource named
 * {@code =x} as {@code =x}, and {@code -o csv} guards it again on the way out.
 */
final class Csv {
  private Csv() {}

  /** The records of a CSV text: lists of cells, the header first; quoted cells may hold line breaks. */
  static List<List<String>> parse(String text) throws IOException {
    CsvFile.Reading reading = CsvFile.read(text);
    if (reading.fault() != null) {
      // The server wrote this file; a broken one is its fault, reported like any failed exchange.
      throw new IOException("The server's CSV is malformed at record " + reading.fault().number() + ": "
          + reading.fault().message());
    }
    return reading.records().stream().map(CsvFile.Record::cells).toList();
  }

  /** The rows after the header as objects keyed by its column names (all values text, as written). */
  static ArrayNode objects(List<List<String>> records) {
    ArrayNode rows = Json.MAPPER.createArrayNode();
    if (records.isEmpty()) {
      return rows;
    }
    List<String> header = records.get(0);
    for (List<String> record : records.subList(1, records.size())) {
      ObjectNode row = rows.addObject();
      for (int i = 0; i < header.size(); i++) {
        row.put(header.get(i), i < record.size() ? record.get(i) : "");
      }
    }
    return rows;
  }
}
