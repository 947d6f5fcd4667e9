package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How a verb's JSON result reads as rows and columns, for the {@code table}, {@code tsv} and
 * {@code csv} formats of {@link Output}. A verb states only its columns; the formats themselves are
 * {@link Output}'s. A result reshaped by {@code --query} no longer fits the verb's columns, so it is
 * shown by {@link #derived()}, which takes its columns from the JSON itself.
 */
final class View {
  private final List<String> header;
  private final Function<JsonNode, List<JsonNode>> items;
  private final Function<JsonNode, List<String>> cells;
  /** A single record: the table format prints one {@code Label: value} line per column. */
  private final boolean record;
  /** A second table below this one in the table format, e.g. the operator's own cost under a statement. */
  private Section below;

  /** A titled table of the array at a pointer of the same result. */
  record Section(String title, String pointer, View view) {}

  private View(List<String> header, Function<JsonNode, List<JsonNode>> items, Function<JsonNode, List<String>> cells,
      boolean record) {
    this.header = header;
    this.items = items;
    this.cells = cells;
    this.record = record;
  }

  /** One row per item of an ARM collection ({@code {"value": [...]}}) or of a bare array. */
  static View list(List<String> header, Function<JsonNode, List<String>> cells) {
    return new View(header, View::elements, cells, false);
  }

  /** One row per element of the array at a JSON pointer of the result, e.g. {@code /properties/lines}. */
  static View rowsAt(String pointer, List<String> header, Function<JsonNode, List<String>> cells) {
    return new View(header, result -> elements(result.at(pointer)), cells, false);
  }

  /** One object shown as labelled lines: a status, or a resource's chosen fields. */
  static View record(List<String> labels, Function<JsonNode, List<String>> values) {
    return new View(labels, result -> List.of(result), values, true);
  }

  /** Rows of CSV text turned into objects keyed by the CSV's header (see {@link Csv#objects}). */
  static View columns(List<String> header) {
    return list(header, row -> header.stream().map(h -> text(row.path(h))).toList());
  }

  /**
   * Columns taken from the JSON: an array of objects is a table of their scalar fields (an ARM
   * resource's {@code properties} are lifted beside its own); one object is a record of them; an
   * array of scalars is one column; a scalar is itself.
   */
  static View derived() {
    return new View(null, null, null, false);
  }

  /** This view with another titled table below it (table format only; tsv and csv hold the first table). */
  View withSection(String title, String pointer, View view) {
    View v = new View(header, items, cells, record);
    v.below = new Section(title, pointer, view);
    return v;
  }

  Section below() {
    return below;
  }

  boolean isRecord(JsonNode result) {
    return header == null ? result.isObject() && !isCollection(result) : record;
  }

  /** The column names for this result. */
  List<String> header(JsonNode result) {
    if (header != null) {
      return header;
    }
    List<JsonNode> rows = isRecord(result) ? List.of(result) : elements(result);
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode row : rows) {
      if (!row.isObject()) {
        return List.of("VALUE");
      }
      flat(row).keySet().forEach(names::add);
    }
    return List.copyOf(names);
  }

  /** The cells of every row of this result, in {@link #header(JsonNode)}'s order. */
  List<List<String>> rows(JsonNode result) {
    if (header != null) {
      List<List<String>> rows = new ArrayList<>();
      items.apply(result).forEach(item -> rows.add(cells.apply(item)));
      return rows;
    }
    List<String> names = header(result);
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode row : isRecord(result) ? List.of(result) : elements(result)) {
      if (!row.isObject()) {
        rows.add(List.of(text(row)));
        continue;
      }
      Map<String, JsonNode> fields = flat(row);
      rows.add(names.stream().map(n -> fields.containsKey(n) ? text(fields.get(n)) : "").toList());
    }
    return rows;
  }

  private static boolean isCollection(JsonNode result) {
    return result.isObject() && result.path("value").isArray();
  }

  /** The rows of a result: a collection's {@code value}, an array's elements, or a scalar alone. */
  private static List<JsonNode> elements(JsonNode result) {
    JsonNode array = isCollection(result) ? result.get("value") : result;
    List<JsonNode> out = new ArrayList<>();
    if (array.isArray()) {
      array.forEach(out::add);
    } else if (!array.isMissingNode() && !array.isNull()) {
      out.add(array);
    }
    return out;
  }

  /** An object's scalar fields, with those of its {@code properties} beside them (an ARM resource's). */
  private static Map<String, JsonNode> flat(JsonNode object) {
    Map<String, JsonNode> fields = new java.util.LinkedHashMap<>();
    object.properties().forEach(e -> {
      if (e.getValue().isValueNode()) {
        fields.put(e.getKey(), e.getValue());
      }
    });
    JsonNode properties = object.path("properties");
    if (properties.isObject()) {
      properties.properties().forEach(e -> {
        if (e.getValue().isValueNode()) {
          fields.putIfAbsent(e.getKey(), e.getValue());
        }
      });
    }
    return fields;
  }

  /** A cell: a scalar as its text (an exact decimal as written), anything else as compact JSON. */
  static String text(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return "";
    }
    if (node.isBigDecimal()) {
      return node.decimalValue().toPlainString();
    }
    return node.isValueNode() ? node.asText() : org.stackledger.http.Json.text(node);
  }
}
