package org.stackledger.usage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.stackledger.http.Json;
import org.stackledger.problem.Problem;

/**
 * Reads a usage batch from a request body: a JSON array of events, or NDJSON (one event object a
 * line). It streams, without building a tree per event, since a thousand-event batch arrives a
 * hundred times a second. Property names match case-insensitively, as in ARM; unknown ones are
 * ignored. Type and presence problems name the event's index and field, like {@link EventRules}.
 */
final class EventParser {
  /** NaN and Infinity parse, so that they can be refused by name rather than as broken JSON. */
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private EventParser() {}

  static List<UsageEvent> parse(byte[] body, int maxEvents) {
    List<UsageEvent> events = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    try (JsonParser p = FACTORY.createParser(body)) {
      p.setCodec(Json.MAPPER);
      JsonToken first = p.nextToken();
      if (first == null) {
        throw Problem.invalid("EmptyBatch", "events", "The batch holds no usage events.");
      }
      boolean array = first == JsonToken.START_ARRAY;
      if (!array && first != JsonToken.START_OBJECT) {
        throw Problem.invalid("InvalidJson", "events",
            "The body must be a JSON array of usage events, or one usage event object per line (NDJSON).");
      }
      JsonToken t = array ? p.nextToken() : first;
      int index = 0;
      while (t != null && t != JsonToken.END_ARRAY) {
        if (index >= maxEvents) {
          throw Problem.tooLarge("BatchTooLarge", "events", "A batch holds at most " + maxEvents + " usage events; split it.");
        }
        if (t != JsonToken.START_OBJECT) {
          throw Problem.invalid("InvalidJson", "events[" + index + "]", "events[" + index
              + "]: each usage event must be a JSON object.");
        }
        UsageEvent e = event(p, body, index, problems);
        if (e != null) {
          events.add(e);
        }
        if (problems.size() > EventRules.MAX_PROBLEMS) {
          // An answer lists at most this many (as EventRules does); keep parsing for the batch's size and syntax.
          problems.subList(EventRules.MAX_PROBLEMS, problems.size()).clear();
        }
        index++;
        t = p.nextToken();
      }
      if (array && p.nextToken() != null) {
        throw Problem.invalid("InvalidJson", "events", "Unexpected content after the array of usage events.");
      }
    } catch (JsonParseException e) {
      throw Problem.invalid("InvalidJson", "events", "The body is not valid JSON: "
          + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ").");
    } catch (IOException e) {
      throw Problem.invalid("InvalidJson", "events", "The body could not be read as JSON.");
    }
    if (!problems.isEmpty()) {
      throw EventRules.refusal(problems);
    }
    return events;
  }

  private static UsageEvent event(JsonParser p, byte[] body, int i, List<Problem> problems) throws IOException {
    String eventId = null;
    String subscriptionId = null;
    String meterId = null;
    BigDecimal quantity = null;
    Instant start = null;
    Instant end = null;
    String resourceUri = null;
    String location = null;
    String tags = null;
    String additionalInfo = null;
    int before = problems.size();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      // The exact spelling is by far the common one: look it up before paying for a lower-cased copy.
      String key = switch (name) {
        case "eventId" -> "eventid";
        case "subscriptionId" -> "subscriptionid";
        case "meterId" -> "meterid";
        case "quantity" -> "quantity";
        case "usageStartTime" -> "usagestarttime";
        case "usageEndTime" -> "usageendtime";
        case "resourceUri" -> "resourceuri";
        case "location" -> "location";
        case "tags" -> "tags";
        case "additionalInfo" -> "additionalinfo";
        default -> name.toLowerCase(Locale.ROOT);
      };
      switch (key) {
        case "eventid" -> eventId = text(p, value, i, "eventId", problems);
        case "subscriptionid" -> subscriptionId = text(p, value, i, "subscriptionId", problems);
        case "meterid" -> meterId = text(p, value, i, "meterId", problems);
        case "quantity" -> quantity = quantity(p, value, i, problems);
        case "usagestarttime" -> start = time(text(p, value, i, "usageStartTime", problems), i, "usageStartTime", problems);
        case "usageendtime" -> end = time(text(p, value, i, "usageEndTime", problems), i, "usageEndTime", problems);
        case "resourceuri" -> resourceUri = text(p, value, i, "resourceUri", problems);
        case "location" -> location = text(p, value, i, "location", problems);
        case "tags" -> tags = object(p, body, value, i, "tags", true, problems);
        case "additionalinfo" -> additionalInfo = object(p, body, value, i, "additionalInfo", false, problems);
        default -> p.skipChildren();
      }
    }
    require(eventId, i, "eventId", problems, before);
    require(subscriptionId, i, "subscriptionId", problems, before);
    require(meterId, i, "meterId", problems, before);
    require(quantity, i, "quantity", problems, before);
    require(start, i, "usageStartTime", problems, before);
    require(end, i, "usageEndTime", problems, before);
    require(resourceUri, i, "resourceUri", problems, before);
    require(location, i, "location", problems, before);
    if (problems.size() > before) {
      return null;
    }
    return new UsageEvent(eventId, subscriptionId, meterId, quantity, start, end, resourceUri, location, tags,
        additionalInfo);
  }

  /**
   * Adds a missing-property problem unless the field already has one. Only this event's problems
   * (from {@code before} on) are looked at: scanning the whole list made a batch of ten thousand
   * empty objects quadratic, tens of seconds of a request thread.
   */
  private static void require(Object value, int i, String field, List<Problem> problems, int before) {
    if (value == null && problems.subList(before, problems.size()).stream()
        .noneMatch(pr -> pr.target().equals("events[" + i + "]." + field))) {
      problems.add(EventRules.problem(i, field, "MissingProperty", "The property '" + field + "' is required."));
    }
  }

  private static String text(JsonParser p, JsonToken value, int i, String field, List<Problem> problems)
      throws IOException {
    if (value == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (value != JsonToken.VALUE_NULL) {
      p.skipChildren();
      problems.add(EventRules.problem(i, field, "InvalidProperty", "The property '" + field + "' must be a string."));
    }
    return null;
  }

  private static BigDecimal quantity(JsonParser p, JsonToken value, int i, List<Problem> problems)
      throws IOException {
    if (value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT) {
      if (p.isNaN()) {
        problems.add(EventRules.problem(i, "quantity", "InvalidQuantity", "The quantity must be a finite number."));
        return null;
      }
      return p.getDecimalValue();
    }
    if (value != JsonToken.VALUE_NULL) {
      p.skipChildren();
      problems.add(EventRules.problem(i, "quantity", "InvalidQuantity", "The quantity must be a JSON number."));
    }
    return null;
  }

  private static String object(JsonParser p, byte[] source, JsonToken value, int i, String field,
      boolean stringValues, List<Problem> problems) throws IOException {
    if (value == JsonToken.VALUE_NULL) {
      return null;
    }
    if (value != JsonToken.START_OBJECT) {
      p.skipChildren();
      problems.add(EventRules.problem(i, field, "InvalidProperty", "The property '" + field + "' must be a JSON object."));
      return null;
    }
    String plain = plainStrings(p, source);
    if (plain != null) {
      return plain;
    }
    JsonNode node = p.readValueAsTree();
    if (stringValues) {
      for (JsonNode v : node) {
        if (!v.isTextual()) {
          problems.add(EventRules.problem(i, field, "InvalidProperty", "Each of the " + field + " must be a string."));
          return null;
        }
      }
    }
    return Json.text(node);
  }

  /**
   * The usual tags and additionalInfo — an object of string values, every name and value printable
   * ASCII without quotes or backslashes, no name twice — written as the tree's serialization writes it
   * ({@code {"name":"value",…}}: Jackson escapes nothing in such text), read straight from the body's
   * bytes: reading a tree and writing it out again was a sixth of an HTTPS batch's time (JFR,
   * 2026-12-05). Anything else answers null, the parser untouched, and goes through the tree.
   *
   * @param source the body the parser reads, from its first byte
   * @return the object's text, the parser then moved past it; or null
   */
  private static String plainStrings(JsonParser p, byte[] source) throws IOException {
    long offset = p.currentTokenLocation().getByteOffset();
    if (offset <= 0 || offset >= source.length || source[(int) offset] != '{'
        || !afterColon(source, (int) offset)) {
      return null;
    }
    int end = source.length;
    StringBuilder out = new StringBuilder(64).append('{');
    java.util.Set<String> names = new java.util.HashSet<>();
    int at = (int) offset + 1;
    while (true) {
      at = skipSpace(source, at, end);
      if (at >= end) {
        return null;
      }
      if (source[at] == '}') {
        break;
      }
      if (!names.isEmpty()) {
        if (source[at] != ',') {
          return null;
        }
        at = skipSpace(source, at + 1, end);
      }
      int nameStart = at;
      int nameEnd = plainString(source, nameStart, end);
      if (nameEnd < 0) {
        return null;
      }
      String name = new String(source, nameStart, nameEnd - nameStart, java.nio.charset.StandardCharsets.US_ASCII);
      if (!names.add(name)) {
        // A name twice: the tree keeps the first's place and the last's value.
        return null;
      }
      at = skipSpace(source, nameEnd, end);
      if (at >= end || source[at] != ':') {
        return null;
      }
      int valueStart = skipSpace(source, at + 1, end);
      int valueEnd = plainString(source, valueStart, end);
      if (valueEnd < 0) {
        return null;
      }
      if (names.size() > 1) {
        out.append(',');
      }
      out.append(name).append(':')
          .append(new String(source, valueStart, valueEnd - valueStart, java.nio.charset.StandardCharsets.US_ASCII));
      at = valueEnd;
    }
    // Plain: the parser skips the object just read from the bytes (checking its syntax as it goes).
    p.skipChildren();
    return out.append('}').toString();
  }

  /**
   * Whether the value token at {@code at} follows its name's colon: the check that the parser's offset
   * and the body's bytes agree, before a value is read from the bytes.
   */
  private static boolean afterColon(byte[] b, int at) {
    int i = at - 1;
    while (i >= 0 && space(b[i])) {
      i--;
    }
    return i >= 0 && b[i] == ':';
  }

  private static int skipSpace(byte[] b, int at, int end) {
    while (at < end && space(b[at])) {
      at++;
    }
    return at;
  }

  /** JSON's whitespace. */
  private static boolean space(byte c) {
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  /** The end (after its closing quote) of a plain string at {@code at}: printable ASCII, no escapes; or -1. */
  private static int plainString(byte[] b, int at, int end) {
    if (at >= end || b[at] != '"') {
      return -1;
    }
    for (int i = at + 1; i < end; i++) {
      byte c = b[i];
      if (c == '"') {
        return i + 1;
      }
      if (c < 0x20 || c == '\\' || c == 0x7f) {
        return -1;
      }
    }
    return -1;
  }

  /**
   * {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:MM)} read by hand: the formatter costs more than the
   * rest of an event's parsing. {@code null} for any other shape, which the formatter then reads (or
   * refuses); out-of-range fields are left to it too, so both paths accept exactly the same text.
   */
  static Instant fastTime(String t) {
    int n = t.length();
    if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
        || t.charAt(16) != ':') {
      return null;
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 2);
    int day = digits(t, 8, 2);
    int hour = digits(t, 11, 2);
    int minute = digits(t, 14, 2);
    int second = digits(t, 17, 2);
    if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1
        || day > java.time.YearMonth.of(year, month).lengthOfMonth() || hour > 23 || minute > 59 || second > 59) {
      return null;
    }
    int at = 19;
    int nanos = 0;
    if (at < n && t.charAt(at) == '.') {
      int scale = 100_000_000;
      at++;
      int start = at;
      while (at < n && t.charAt(at) >= '0' && t.charAt(at) <= '9') {
        if (at - start >= 9) {
          return null;
        }
        nanos += (t.charAt(at) - '0') * scale;
        scale /= 10;
        at++;
      }
      if (at == start) {
        return null;
      }
    }
    int offsetSeconds;
    if (at == n - 1 && t.charAt(at) == 'Z') {
      offsetSeconds = 0;
    } else if (at == n - 6 && (t.charAt(at) == '+' || t.charAt(at) == '-') && t.charAt(at + 3) == ':') {
      int oh = digits(t, at + 1, 2);
      int om = digits(t, at + 4, 2);
      if ((oh | om) < 0 || om > 59 || oh * 60 + om > 18 * 60) {
        return null;
      }
      offsetSeconds = (t.charAt(at) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return null;
    }
    long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
  }

  /** The non-negative number in {@code t[from, from + count)}, or -1 if any of it is not a digit. */
  private static int digits(String t, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** ISO-8601 with an offset or Z. */
  static Instant time(String text, int i, String field, List<Problem> problems) {
    if (text == null) {
      return null;
    }
    try {
      Instant fast = fastTime(text);
      return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      problems.add(EventRules.problem(i, field, "InvalidProperty", "The property '" + field + "' must be an ISO-8601 "
          + "date-time with an offset, such as 2026-11-26T10:00:00Z."));
      return null;
    }
  }
}
