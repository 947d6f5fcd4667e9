package org.stackledger.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.stackledger.http.Json;

/**
 * RFC 4180 text both ways: the cells the CLI writes, and the server's CSV exports read back into
 * rows so that {@code -o json|table|tsv} and {@code --query} apply to them as to every other result.
 */
final class Csv {
  private Csv() {}

  /** A cell, quoted when it holds a comma, a quote or a line break. */
  static String cell(String value) {
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }

  /** One line of cells, ended by CRLF. */
  static String line(List<String> cells) {
    return String.join(",", cells.stream().map(Csv::cell).toList()) + "\r\n";
  }

  /** The records of a CSV text: lists of cells, the header first; quoted cells may hold line breaks. */
  static List<List<String>> parse(String text) {
    List<List<String>> records = new ArrayList<>();
    List<String> record = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    boolean any = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
        continue;
      }
      switch (c) {
        case '"' -> {
          quoted = true;
          any = true;
        }
        case ',' -> {
          record.add(cell.toString());
          cell.setLength(0);
          any = true;
        }
        case '\r' -> { }
        case '\n' -> {
          record.add(cell.toString());
          records.add(record);
          record = new ArrayList<>();
          cell.setLength(0);
          any = false;
        }
        default -> {
          cell.append(c);
          any = true;
        }
      }
    }
    if (any) {
      record.add(cell.toString());
      records.add(record);
    }
    return records;
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
