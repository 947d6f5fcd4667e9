package org.stackledger.commerce;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.stackledger.http.Guids;
import org.stackledger.http.Json;
import org.stackledger.problem.Problem;

/**
 * A batch of usage records as the bridge uploads it (and as a usage file holds it):
 * {@code {"batchId", "cloudId", "records": [...]}}. Reading checks every record and reports every
 * problem at once, each naming {@code records[i].field}; a batch with any problem is refused whole.
 */
public record UsageReport(String batchId, String cloudId, List<UsageRecord> records) {
  /** The most records one upload may carry. */
  public static final int MAX_RECORDS = 5_000;
  static final int MAX_BATCH_ID = 200;
  private static final BigDecimal MAX_QUANTITY = new BigDecimal("1e17");

  /**
   * @param meters the meter catalogue's spelling of a meter id, or {@code null} for an unknown meter
   */
  public static UsageReport parse(byte[] body, Function<String, String> meters) {
    Body read = Body.read(body);
    List<Problem> problems = new ArrayList<>();
    String batchId = text(read.root, "batchId", "batchId", problems);
    if (batchId != null && (batchId.isBlank() || batchId.length() > MAX_BATCH_ID)) {
      problems.add(problem("batchId", "The batchId must be 1 to " + MAX_BATCH_ID + " characters."));
    }
    String cloudId = guid(read.root, "cloudId", "cloudId", problems);
    List<UsageRecord> records = new ArrayList<>();
    // A batch names few distinct instants (one reported hour, the usage hours and their windows), and
    // parsing one with OffsetDateTime was a third of an upload's time: each distinct text is parsed once;
    // the record before's subscription, tenant, meter and location are not checked again.
    Seen seen = new Seen();
    if (read.records == null) {
      problems.add(problem("records", "The records must be a JSON array."));
    } else if (read.records.size() > MAX_RECORDS) {
      throw Problem.tooLarge("TooManyRecords", "records", "A batch holds at most " + MAX_RECORDS + " records; this one has " + read.records.size() + ".");
    } else {
      for (int i = 0; i < read.records.size(); i++) {
        UsageRecord r = record(read.records.get(i), "records[" + i + "]", cloudId, meters, seen, problems);
        if (r != null) {
          records.add(r);
        }
      }
    }
    if (!problems.isEmpty()) {
      throw Problem.invalid("InvalidUsageRecords", problems.get(0).target(),
          problems.size() == 1 ? problems.get(0).getMessage()
              : "The batch has " + problems.size() + " problems; see details.").withDetails(problems);
    }
    return new UsageReport(batchId, cloudId, List.copyOf(records));
  }

  /**
   * The body's values by field, read with Jackson's streaming parser: building a tree of the body first
   * was most of the parse's time in a profile of the upload. Checking happens after the whole body is
   * read, so that it sees what a tree would (the last of repeated fields, the batch's cloudId wherever it
   * stands) and reports the same problems in the same order.
   *
   * @param records each element of the records array: a {@link Fields} for an object, else {@code null};
   *        the whole list {@code null} when the records are missing or not an array
   */
  private record Body(Fields root, List<Fields> records) {
    static Body read(byte[] body) {
      try (JsonParser p = Json.MAPPER.getFactory().createParser(body)) {
        if (p.nextToken() != JsonToken.START_OBJECT) {
          throw Problem.invalid("InvalidRequestContent", null, "The request body must be a JSON object.");
        }
        Fields root = new Fields();
        List<Fields> records = null;
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
          JsonToken t = p.nextToken();
          if (name.equals("records")) {
            records = t == JsonToken.START_ARRAY ? elements(p) : null;
            if (records == null) {
              p.skipChildren();
            }
          } else if (Fields.slot(name) >= 0) {
            root.set(name, value(p, t));
          } else {
            p.skipChildren();
          }
        }
        return new Body(root, records);
      } catch (IOException e) {
        throw Problem.invalid("InvalidJson", null, "The request body is not valid JSON.");
      }
    }

    private static List<Fields> elements(JsonParser p) throws IOException {
      List<Fields> out = new ArrayList<>(MAX_RECORDS);
      for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
        if (t != JsonToken.START_OBJECT) {
          p.skipChildren();
          out.add(null);
          continue;
        }
        Fields f = new Fields();
        for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
          JsonToken v = p.nextToken();
          if (Fields.slot(name) >= 0) {
            f.set(name, value(p, v));
          } else {
            p.skipChildren();
          }
        }
        out.add(f);
      }
      return out;
    }

    /** A string as itself, a number as its exact decimal, null as null, anything else as {@link #OTHER}. */
    private static Object value(JsonParser p, JsonToken t) throws IOException {
      return switch (t) {
        case VALUE_STRING -> p.getText();
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getDecimalValue();
        case VALUE_NULL -> null;
        default -> {
          p.skipChildren();
          yield OTHER;
        }
      };
    }
  }

  /** A value that is neither a string, a number nor null (a boolean, an object, an array). */
  private static final Object OTHER = new Object();

  /** The fields of one JSON object that a batch or a record has, by name. */
  private static final class Fields {
    private static final Map<String, Integer> SLOTS = slots("batchId", "cloudId", "meterId", "quantity", "location",
        "resourceUri", "subscriptionId", "tenantId", "reportedHour", "usageStartTime", "usageEndTime");
    private final Object[] values = new Object[SLOTS.size()];

    private static Map<String, Integer> slots(String... names) {
      Map<String, Integer> slots = new HashMap<>();
      for (String name : names) {
        slots.put(name, slots.size());
      }
      return Map.copyOf(slots);
    }

    /** The slot of a field this reader keeps, or -1 for a field it ignores. */
    static int slot(String name) {
      return SLOTS.getOrDefault(name, -1);
    }

    void set(String name, Object value) {
      values[slot(name)] = value;
    }

    Object get(String name) {
      return values[slot(name)];
    }
  }

  /**
   * What checking a field's text gave the record before, for the fields a batch repeats record after
   * record (a subscription's resources in a row, one tenant, one location, a few meters): the same text
   * is taken as it was, without checking or looking it up again.
   */
  private static final class Repeated {
    private String text;
    private String value;

    /** The value of this text, or {@code null} when it is not the text of the record before. */
    String of(String text) {
      return text != null && text.equals(this.text) ? value : null;
    }

    String remember(String text, String value) {
      this.text = value == null ? null : text;
      this.value = value;
      return value;
    }
  }

  /** The repeated fields of one batch. */
  private static final class Seen {
    final Map<String, Instant> instants = new HashMap<>();
    final Repeated meter = new Repeated();
    final Repeated location = new Repeated();
    final Repeated subscription = new Repeated();
    final Repeated tenant = new Repeated();
  }

  private static UsageRecord record(Fields node, String at, String cloudId, Function<String, String> meters,
      Seen seen, List<Problem> problems) {
    Map<String, Instant> instants = seen.instants;
    if (node == null) {
      problems.add(problem(at, "Each record must be a JSON object."));
      return null;
    }
    int before = problems.size();
    String meterText = text(node, "meterId", at + ".meterId", problems);
    String meter = seen.meter.of(meterText);
    if (meterText != null && meter == null) {
      meter = seen.meter.remember(meterText, meters.apply(meterText));
      if (meter == null) {
        problems.add(problem(at + ".meterId", "The meter '" + meterText + "' is not in the meter catalogue."));
      }
    }
    BigDecimal quantity = null;
    if (!(node.get("quantity") instanceof BigDecimal q)) {
      problems.add(problem(at + ".quantity", "The quantity must be a JSON number."));
    } else {
      quantity = q;
      if (quantity.signum() < 0 || quantity.abs().compareTo(MAX_QUANTITY) >= 0 || quantity.stripTrailingZeros().scale() > 20) {
        problems.add(problem(at + ".quantity",
            "The quantity must be at least 0, below 10^17, with at most 20 digits after the decimal point."));
      }
    }
    String locationText = text(node, "location", at + ".location", problems);
    String location = seen.location.of(locationText);
    if (locationText != null && location == null) {
      location = locationText;
      if (location.isBlank() || location.length() > 128 || hasControlCharacter(location)) {
        problems.add(problem(at + ".location", "The location must be 1 to 128 characters, none a control character."));
      } else {
        seen.location.remember(locationText, location);
      }
    }
    String uri = text(node, "resourceUri", at + ".resourceUri", problems);
    if (uri != null && (uri.isBlank() || uri.length() > 2048 || hasControlCharacter(uri))) {
      problems.add(problem(at + ".resourceUri",
          "The resourceUri must be 1 to 2048 characters, none a control character."));
    }
    String subscription = guid(node, "subscriptionId", at + ".subscriptionId", seen.subscription, problems);
    String tenant = guid(node, "tenantId", at + ".tenantId", seen.tenant, problems);
    Instant reported = instant(node, "reportedHour", at + ".reportedHour", instants, problems);
    if (reported != null && !reported.equals(reported.truncatedTo(ChronoUnit.HOURS))) {
      problems.add(problem(at + ".reportedHour", "The reportedHour must be the start of an hour."));
    }
    Instant start = instant(node, "usageStartTime", at + ".usageStartTime", instants, problems);
    Instant end = instant(node, "usageEndTime", at + ".usageEndTime", instants, problems);
    if (start != null && end != null) {
      Instant hour = start.truncatedTo(ChronoUnit.HOURS);
      if (end.isBefore(start) || end.isAfter(hour.plus(1, ChronoUnit.HOURS))) {
        problems.add(problem(at + ".usageEndTime",
            "The usage window must end at or after its start and within the start's UTC hour."));
      }
    }
    if (problems.size() > before || cloudId == null) {
      return null;
    }
    return new UsageRecord(cloudId, reported, start, end, subscription, tenant, meter, uri, location, quantity);
  }

  /** Control characters would travel on into the reconciliation CSV and the invoice exports. */
  private static boolean hasControlCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return true;
      }
    }
    return false;
  }

  private static Problem problem(String target, String message) {
    return Problem.invalid("InvalidUsageRecord", target, message);
  }

  private static String text(Fields node, String field, String target, List<Problem> problems) {
    Object v = node.get(field);
    if (v == null) {
      problems.add(problem(target, "The " + field + " is required."));
      return null;
    }
    if (!(v instanceof String text)) {
      problems.add(problem(target, "The " + field + " must be a string."));
      return null;
    }
    return text;
  }

  private static String guid(Fields node, String field, String target, Repeated before, List<Problem> problems) {
    String v = text(node, field, target, problems);
    String known = before.of(v);
    if (known != null) {
      return known;
    }
    String checked = guid(v, field, target, problems);
    return checked == null ? null : before.remember(v, checked);
  }

  private static String guid(Fields node, String field, String target, List<Problem> problems) {
    return guid(text(node, field, target, problems), field, target, problems);
  }

  private static String guid(String v, String field, String target, List<Problem> problems) {
    if (v != null && !Guids.isGuid(v)) {
      problems.add(problem(target, "The " + field + " must be a GUID."));
      return null;
    }
    return v == null ? null : v.toLowerCase(Locale.ROOT);
  }

  private static Instant instant(Fields node, String field, String target, Map<String, Instant> parsed,
      List<Problem> problems) {
    String v = text(node, field, target, problems);
    if (v == null) {
      return null;
    }
    Instant known = parsed.get(v);
    if (known != null) {
      return known;
    }
    try {
      Instant t = java.time.OffsetDateTime.parse(v).toInstant();
      parsed.put(v, t);
      return t;
    } catch (DateTimeParseException e) {
      problems.add(problem(target, "The " + field + " must be an ISO 8601 date and time with an offset."));
      return null;
    }
  }
}
