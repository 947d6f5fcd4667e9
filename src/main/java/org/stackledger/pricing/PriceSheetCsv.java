package org.stackledger.pricing;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import org.stackledger.problem.Problem;

/**
 * The price sheet's file format: CSV as RFC 4180 has it (comma-separated, CRLF line ends, a field
 * with a comma, quote or line break in double quotes, a quote in one doubled), UTF-8, a header of
 * {@link #COLUMNS}. Reading is lenient where spreadsheets differ (LF line ends, a byte-order mark,
 * blank lines, which count as rows but hold none) and strict where the meaning would be a guess (a quote left open, text after a
 * closing quote).
 */
final class PriceSheetCsv {
  static final List<String> COLUMNS = List.of("meterId", "commerceMeterId", "meterName", "currency", "unitPrice",
      "pricingUnit", "unitDivisor", "effectiveFrom");

  /** One record of the file; {@code number} counts records from 1, the header being record 1. */
  record Row(int number, List<String> fields) {}

  private PriceSheetCsv() {}

  static void write(Writer out, List<Price> prices) throws IOException {
    line(out, COLUMNS);
    for (Price p : prices) {
      line(out, List.of(p.meterId(), p.commerceMeterId(), p.meterName(), p.currency(), p.unitPrice().toPlainString(),
          p.pricingUnit(), Integer.toString(p.unitDivisor()), p.effectiveFrom().toString()));
    }
    out.flush();
  }

  private static void line(Writer out, List<String> fields) throws IOException {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.write(quoted(fields.get(i)));
    }
    out.write("\r\n");
  }

  static String quoted(String field) {
    boolean plain = field.chars().noneMatch(c -> c == ',' || c == '"' || c == '\r' || c == '\n');
    return plain ? field : '"' + field.replace("\"", "\"\"") + '"';
  }

  /**
   * The records of the text, blank lines left out. A malformed record ends the reading with a
   * problem naming it: after a quote left open nothing that follows can be trusted.
   */
  static List<Row> read(String text, List<Problem> problems) {
    List<Row> rows = new ArrayList<>();
    int i = text.startsWith("\uFEFF") ? 1 : 0;
    int n = text.length();
    int number = 0;
    while (i < n) {
      number++;
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      boolean end = false;
      while (!end) {
        if (i < n && text.charAt(i) == '"' && field.length() == 0) {
          int close = i + 1;
          while (true) {
            if (close >= n) {
              problems.add(PriceSheetRules.problem(number, null, "InvalidCsv",
                  "a quoted field is not closed before the end of the file."));
              return rows;
            }
            char c = text.charAt(close);
            if (c == '"' && close + 1 < n && text.charAt(close + 1) == '"') {
              field.append('"');
              close += 2;
            } else if (c == '"') {
              break;
            } else {
              field.append(c);
              close++;
            }
          }
          i = close + 1;
          if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\r' && text.charAt(i) != '\n') {
            problems.add(PriceSheetRules.problem(number, null, "InvalidCsv",
                "text follows a quoted field's closing quote; quote the whole field and double the quotes in it."));
            return rows;
          }
        }
        while (i < n && text.charAt(i) != ',' && text.charAt(i) != '\r' && text.charAt(i) != '\n') {
          field.append(text.charAt(i++));
        }
        fields.add(field.toString());
        field.setLength(0);
        if (i < n && text.charAt(i) == ',') {
          i++;
        } else {
          end = true;
          if (i < n && text.charAt(i) == '\r') {
            i++;
          }
          if (i < n && text.charAt(i) == '\n') {
            i++;
          }
        }
      }
      // A blank line still counts, so that row N is line N of the file as an editor shows it.
      if (fields.size() > 1 || !fields.get(0).isBlank()) {
        rows.add(new Row(number, fields));
      }
    }
    return rows;
  }
}
