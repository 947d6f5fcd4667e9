package org.stackledger.csv;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A CSV file both ways, as RFC 4180 has it: comma-separated, CRLF line ends, a cell quoted only
 * when it holds a comma, a quote or a line break (a quote in it doubled), UTF-8 being the caller's
 * charset. Every text cell is written through {@link FormulaGuard} and read back through its
 * inverse, so what a feature writes is what it reads, and no file of ours runs a formula.
 *
 * <p>A cell that is a {@link Number} is written as a plain decimal ({@link BigDecimal#toPlainString},
 * never an exponent) and never guarded; any other cell is text ({@code toString}), {@code null}
 * being empty.
 *
 * <p>Reading is lenient where spreadsheets differ (LF or CR line ends, a byte-order mark, blank
 * lines, which count as records but hold none, spaces after a closing quote) and strict where the
 * meaning would be a guess (a quote left open, text after a closing quote): the reading stops
 * there and says which record.
 */
public final class CsvFile {
  /**
   * Strict quoting: Jackson's default quotes any cell holding a character below {@code -}, a space
   * among them, which would change every file we have written so far. A trailing comma is a last
   * empty cell, as RFC 4180 has it, not something to drop. The caller owns the Writer it passes.
   */
  private static final CsvMapper MAPPER = CsvMapper.builder()
      .enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING)
      .disable(CsvParser.Feature.ALLOW_TRAILING_COMMA)
      .enable(CsvParser.Feature.WRAP_AS_ARRAY)
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
      .build();
  private static final ObjectWriter WRITER = MAPPER.writerFor(String[].class)
      .with(CsvSchema.emptySchema().withLineSeparator("\r\n"));
  private static final ObjectReader READER = MAPPER.readerFor(String[].class).with(CsvSchema.emptySchema());

  /** One record of a file; {@code number} counts records from 1, blank ones included, the header being 1. */
  public record Record(int number, List<String> cells) {}

  /** Where a file stops making sense: the record (counted as in {@link Record}) and why. */
  public record Fault(int number, String message) {}

  /** The records of a file, blank ones left out, and the fault that ended the reading, or {@code null}. */
  public record Reading(List<Record> records, Fault fault) {}

  private CsvFile() {}

  /** Writes the header and the rows, then flushes; the Writer stays open. */
  public static void write(Writer out, List<String> header, List<? extends List<?>> rows) throws IOException {
    try (SequenceWriter w = WRITER.writeValues(out)) {
      w.write(cells(header));
      for (List<?> row : rows) {
        w.write(cells(row));
      }
    }
    out.flush();
  }

  /** The file as text. */
  public static String text(List<String> header, List<? extends List<?>> rows) {
    StringWriter out = new StringWriter();
    try {
      write(out, header, rows);
    } catch (IOException e) {
      // A StringWriter does not fail; Jackson declares the exception for every other Writer.
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** A row of cells that may hold nulls (List.of refuses them). */
  public static List<Object> row(Object... cells) {
    return Arrays.asList(cells);
  }

  private static String[] cells(List<?> row) {
    String[] cells = new String[row.size()];
    for (int i = 0; i < cells.length; i++) {
      cells[i] = cell(row.get(i));
    }
    return cells;
  }

  private static String cell(Object value) {
    if (value == null) {
      return "";
    }
    if (value instanceof BigDecimal d) {
      return d.toPlainString();
    }
    if (value instanceof Number n) {
      return n.toString();
    }
    return FormulaGuard.guard(value.toString());
  }

  /** The records of a file, each cell as it was before {@link FormulaGuard#guard}. */
  public static Reading read(String text) {
    List<Record> records = new ArrayList<>();
    int number = 0;
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    try (MappingIterator<String[]> it = READER.readValues(body)) {
      while (it.hasNextValue()) {
        String[] cells = it.nextValue();
        number++;
        // A blank line still counts, so that record N is line N of the file as an editor shows it.
        if (cells.length > 1 || (cells.length == 1 && !cells[0].isBlank())) {
          records.add(new Record(number, Arrays.stream(cells).map(FormulaGuard::unguard).toList()));
        }
      }
      return new Reading(records, null);
    } catch (JsonProcessingException e) {
      return new Reading(records, new Fault(number + 1, fault(e)));
    } catch (IOException e) {
      // Reading a String does not fail but for the text itself, which is the case above.
      throw new UncheckedIOException(e);
    }
  }

  /** Jackson's words for the two ways a quote can break a file, in the words of a person editing one. */
  private static String fault(JsonProcessingException e) {
    String jackson = e.getOriginalMessage();
    if (jackson.startsWith("Missing closing quote")) {
      return "a quoted field is not closed before the end of the file.";
    }
    if (jackson.contains("Expected column separator")) {
      return "text follows a quoted field's closing quote; quote the whole field and double the quotes in it.";
    }
    return jackson;
  }
}
