package org.stackledger.console.web;

import java.util.List;

/**
 * What a page section holds, each kind drawn by {@code block.jte}. Text is always escaped by the
 * templates; the one raw value is a chart's JSON, which {@link Chart#of} makes safe to embed.
 */
public sealed interface Block {
  /**
   * A data table with column headers ({@code th scope=col}); the first cell of each row is its header
   * ({@code th scope=row}). {@code empty} is said instead when there are no rows.
   */
  record Table(String caption, List<String> headers, List<List<Cell>> rows, String empty) implements Block {
    public Table {
      headers = List.copyOf(headers);
      rows = List.copyOf(rows);
    }
  }

  /** A table cell: text, an optional link, right-aligned when it holds a number. */
  record Cell(String text, String href, boolean numeric) {
    public static Cell text(String text) {
      return new Cell(text == null ? "" : text, null, false);
    }

    public static Cell link(String text, String href) {
      return new Cell(text, href, false);
    }

    public static Cell number(String text) {
      return new Cell(text == null ? "" : text, null, true);
    }
  }

  /** Name–value pairs ({@code dl}). */
  record Facts(List<Fact> facts) implements Block {
    public Facts {
      facts = List.copyOf(facts);
    }
  }

  record Fact(String label, String value) {}

  /** A message: {@code info}, {@code ok} or {@code error}; an error names the API's code when it has one. */
  record Notice(String kind, String title, String text) implements Block {
    public static Notice error(String title, String text) {
      return new Notice("error", title, text);
    }

    public static Notice info(String title, String text) {
      return new Notice("info", title, text);
    }

    public static Notice ok(String title, String text) {
      return new Notice("ok", title, text);
    }
  }

  /**
   * A form: GET forms choose what a view shows (their fields become the bookmarkable query string),
   * POST forms change something and carry the session's CSRF token. {@code busy} is what the submit
   * button says while a long post runs (our script shows it), or {@code null}.
   */
  record Form(String action, String method, String submit, List<Field> fields, String csrf, String busy,
      String id) implements Block {
    public Form {
      fields = List.copyOf(fields);
    }

    public static Form get(String action, String submit, List<Field> fields) {
      return new Form(action, "get", submit, fields, null, null, null);
    }

    public static Form post(String action, String submit, String csrf, List<Field> fields) {
      return new Form(action, "post", submit, fields, csrf, null, null);
    }

    public Form busy(String text) {
      return new Form(action, method, submit, fields, csrf, text, id);
    }

    public boolean isPost() {
      return method.equals("post");
    }
  }

  /**
   * An input with its label. {@code type} is an HTML input type, {@code select}, {@code textarea},
   * {@code hidden} or {@code csvfile} (a file picker our script reads into the textarea named by
   * {@code value}).
   */
  record Field(String name, String label, String type, String value, List<Option> options, boolean required,
      String hint) {
    public Field {
      options = options == null ? List.of() : List.copyOf(options);
    }

    public static Field text(String name, String label, String value, String hint) {
      return new Field(name, label, "text", value, List.of(), false, hint);
    }

    public static Field of(String type, String name, String label, String value) {
      return new Field(name, label, type, value, List.of(), false, null);
    }

    public static Field hidden(String name, String value) {
      return new Field(name, name, "hidden", value, List.of(), false, null);
    }

    public static Field select(String name, String label, List<Option> options) {
      return new Field(name, label, "select", null, options, false, null);
    }

    public Field mandatory() {
      return new Field(name, label, type, value, options, true, hint);
    }

    public String inputId() {
      return "f-" + name;
    }
  }

  record Option(String value, String label, boolean selected) {}

  /**
   * A stacked chart drawn by our script with uPlot from the JSON embedded beside it
   * ({@code {"x":[epoch seconds],"series":[{"label","values":[…]}]}}); the same data is in a table
   * next to it for readers without the chart.
   */
  record Chart(String id, String title, String unit, String json) implements Block {
    /** {@code json} is written into a script element: every {@code <} is escaped so no tag can end it. */
    public static Chart of(String id, String title, String unit, String json) {
      return new Chart(id, title, unit, json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"));
    }
  }

  /**
   * A timeline of lanes (one per directory tenant) with bars placed in percent of the span between
   * {@code from} and {@code to}, drawn as SVG (attributes, not inline styles, so the CSP holds).
   */
  record Timeline(String from, String to, List<Lane> lanes, String empty) implements Block {
    public Timeline {
      lanes = List.copyOf(lanes);
    }
  }

  record Lane(String label, List<Bar> bars) {
    public Lane {
      bars = List.copyOf(bars);
    }
  }

  /** One mapping: its label, where it starts and how wide it is (0–100), its colour (0–5) and its full text. */
  record Bar(String label, double startPercent, double widthPercent, int colour, String title) {
    public String x() {
      return String.format(java.util.Locale.ROOT, "%.3f%%", startPercent);
    }

    public String width() {
      return String.format(java.util.Locale.ROOT, "%.3f%%", Math.max(0.4, widthPercent));
    }
  }

  /** A row of links (downloads, related views). */
  record Links(List<Page.Link> links) implements Block {
    public Links {
      links = List.copyOf(links);
    }
  }

  /** A paragraph of text. */
  record Text(String text) implements Block {}
}
