package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.burt.jmespath.Expression;
import io.burt.jmespath.JmesPathException;
import io.burt.jmespath.jackson.JacksonRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.stackledger.csv.CsvFile;
import org.stackledger.http.Json;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The output options of every read verb (a picocli mixin), as the Azure CLI has them:
 * {@code -o/--output table|json|tsv|csv}, {@code --query} (JMESPath, applied to the JSON before it
 * is formatted) and {@code --out FILE}. Verbs hand it their JSON result and a {@link View}; no verb
 * formats anything itself. Which format a verb uses when none is asked for is its own: a table for
 * lists and statuses, the JSON of a single resource, CSV for exports, the new id for a create.
 */
final class Output {
  /** The formats; their names are what {@code -o} takes. */
  enum Format {
    TABLE, JSON, TSV, CSV;

    static Format of(String name, CommandLine cli) {
      for (Format f : values()) {
        if (f.name().equalsIgnoreCase(name)) {
          return f;
        }
      }
      throw new CommandLine.ParameterException(cli, "--output is the format, one of table, json, tsv or csv, not '"
          + name + "'" + (name.contains(".") || name.contains("/") ? "; to write to a file use --out " + name : ""));
    }
  }

  private static final JacksonRuntime JMESPATH = new JacksonRuntime();

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec spec;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "Output format: table, json, tsv or csv. "
      + "Default: a table for lists and statuses, JSON for one resource, CSV for exports, the new id for a create.")
  String format;

  @Option(names = "--query", paramLabel = "JMESPATH", description = "A JMESPath query applied to the JSON result "
      + "before it is formatted, e.g. \"value[].name\" (see jmespath.org).")
  String query;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the result to this file instead of standard output.")
  Path file;

  /** The {@code --json} flag of earlier releases: {@code -o json}. */
  @Option(names = "--json", hidden = true)
  boolean json;

  /** The format asked for, or {@code byDefault}. */
  Format format(Format byDefault) {
    if (format != null) {
      return Format.of(format, spec.commandLine());
    }
    return json ? Format.JSON : byDefault;
  }

  /** True when the caller named a format or a query: a verb's own short form then gives way. */
  boolean asked() {
    return format != null || query != null || json;
  }

  /** Shows a result: a list or a status, a table unless asked otherwise. */
  int show(JsonNode result, View view) throws IOException {
    return show(result, view, Format.TABLE);
  }

  /** Shows one resource: its JSON unless asked otherwise. */
  int resource(JsonNode result, View view) throws IOException {
    return show(result, view, Format.JSON);
  }

  /** Shows a result in the format asked for, else {@code byDefault}; {@code --query} reshapes it first. */
  int show(JsonNode result, View view, Format byDefault) throws IOException {
    Format f = format(byDefault);
    JsonNode shown = result;
    View v = view;
    if (query != null) {
      shown = query(result);
      v = View.derived();
    }
    write(render(shown, v, f));
    return 0;
  }

  /**
   * Shows a new resource: its id alone on standard output (what a script wants), with a hint on
   * standard error; any format or query asked for shows the whole object instead.
   */
  int created(JsonNode result, String id, String hint) throws IOException {
    if (asked()) {
      return show(result, View.derived(), Format.JSON);
    }
    write(id + System.lineSeparator());
    err().println(hint);
    err().flush();
    return 0;
  }

  /**
   * Shows a CSV export: byte for byte as the server wrote it unless another format or a query is
   * asked for, in which case its rows are read back and shown like any other list.
   */
  int export(String csv) throws IOException {
    if (query == null && format(Format.CSV) == Format.CSV) {
      write(csv);
      return 0;
    }
    List<List<String>> records = Csv.parse(csv);
    List<String> header = records.isEmpty() ? List.of() : records.get(0);
    return show(Csv.objects(records), View.columns(header), Format.CSV);
  }

  private JsonNode query(JsonNode result) {
    try {
      Expression<JsonNode> expression = JMESPATH.compile(query);
      return expression.search(result);
    } catch (JmesPathException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--query is not valid JMESPath: " + e.getMessage());
    }
  }

  static String render(JsonNode result, View view, Format format) throws IOException {
    if (format == Format.JSON) {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result) + System.lineSeparator();
    }
    if (result.isValueNode() || result.isNull()) {
      return View.text(result) + System.lineSeparator();
    }
    List<String> header = view.header(result);
    List<List<String>> rows = view.rows(result);
    StringBuilder out = new StringBuilder();
    switch (format) {
      case TSV -> rows.forEach(r -> out.append(String.join("\t", r.stream().map(Output::tsvCell).toList())).append('\n'));
      // Every cell is text here, numbers too (View wrote them): the guard leaves a whole number alone.
      case CSV -> out.append(CsvFile.text(header, rows));
      default -> {
        if (view.isRecord(result)) {
          record(out, header, rows.isEmpty() ? List.of() : rows.get(0));
        } else {
          table(out, header.stream().map(h -> h.toUpperCase(Locale.ROOT)).toList(), rows);
        }
        View.Section below = view.below();
        if (below != null && !result.at(below.pointer()).isEmpty()) {
          out.append('\n').append(below.title()).append('\n')
              .append(render(result.at(below.pointer()), below.view(), Format.TABLE));
        }
      }
    }
    return out.toString();
  }

  /** One {@code Label: value} line per field, the values aligned. */
  private static void record(StringBuilder out, List<String> labels, List<String> values) {
    int width = labels.stream().mapToInt(String::length).max().orElse(0) + 2;
    for (int i = 0; i < labels.size() && i < values.size(); i++) {
      out.append(String.format("%-" + width + "s", labels.get(i) + ":")).append(values.get(i)).append('\n');
    }
  }

  /** Columns as wide as their widest cell, two spaces apart. */
  private static void table(StringBuilder out, List<String> header, List<List<String>> rows) {
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> row : rows) {
        width[i] = Math.max(width[i], i < row.size() ? row.get(i).length() : 0);
      }
    }
    for (List<String> row : java.util.stream.Stream.concat(java.util.stream.Stream.of(header), rows.stream()).toList()) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.size(); i++) {
        line.append(i == row.size() - 1 ? row.get(i) : String.format("%-" + (width[i] + 2) + "s", row.get(i)));
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }

  /** A tab or a line break inside a cell would shift every later column of a TSV line. */
  private static String tsvCell(String cell) {
    return cell.replace('\t', ' ').replace('\n', ' ').replace("\r", "");
  }

  private void write(String text) throws IOException {
    if (file != null) {
      Files.writeString(file, text, StandardCharsets.UTF_8);
      return;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(text);
    out.flush();
  }

  private PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
