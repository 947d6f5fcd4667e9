package org.stackledger.commerce;

import com.fasterxml.jackson.databind.JsonNode;
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
    JsonNode root;
    try {
      root = Json.EXACT.readTree(body);
    } catch (IOException e) {
      throw Problem.invalid("InvalidJson", null, "The request body is not valid JSON.");
    }
    if (root == null || !root.isObject()) {
      throw Problem.invalid("InvalidRequestContent", null, "The request body must be a JSON object.");
    }
    List<Problem> problems = new ArrayList<>();
    String batchId = text(root, "batchId", "batchId", problems);
    if (batchId != null && (batchId.isBlank() || batchId.length() > MAX_BATCH_ID)) {
      problems.add(problem("batchId", "The batchId must be 1 to " + MAX_BATCH_ID + " characters."));
    }
    String cloudId = guid(root, "cloudId", "cloudId", problems);
    JsonNode list = root.get("records");
    List<UsageRecord> records = new ArrayList<>();
    // A batch names few distinct instants (one reported hour, the usage hours and their windows), and
    // parsing one with OffsetDateTime was a third of an upload's time: each distinct text is parsed once.
    Map<String, Instant> instants = new HashMap<>();
    if (list == null || !list.isArray()) {
      problems.add(problem("records", "The records must be a JSON array."));
    } else if (list.size() > MAX_RECORDS) {
      throw Problem.tooLarge("TooManyRecords", "records", "A batch holds at most " + MAX_RECORDS + " records; this one has " + list.size() + ".");
    } else {
      for (int i = 0; i < list.size(); i++) {
        UsageRecord r = record(list.get(i), "records[" + i + "]", cloudId, meters, instants, problems);
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

  private static UsageRecord record(JsonNode node, String at, String cloudId, Function<String, String> meters,
      Map<String, Instant> instants, List<Problem> problems) {
    if (node == null || !node.isObject()) {
      problems.add(problem(at, "Each record must be a JSON object."));
      return null;
    }
    int before = problems.size();
    String meterText = text(node, "meterId", at + ".meterId", problems);
    String meter = null;
    if (meterText != null) {
      meter = meters.apply(meterText);
      if (meter == null) {
        problems.add(problem(at + ".meterId", "The meter '" + meterText + "' is not in the meter catalogue."));
      }
    }
    BigDecimal quantity = null;
    JsonNode q = node.get("quantity");
    if (q == null || !q.isNumber()) {
      problems.add(problem(at + ".quantity", "The quantity must be a JSON number."));
    } else {
      quantity = q.decimalValue();
      if (quantity.signum() < 0 || quantity.abs().compareTo(MAX_QUANTITY) >= 0 || quantity.stripTrailingZeros().scale() > 20) {
        problems.add(problem(at + ".quantity",
            "The quantity must be at least 0, below 10^17, with at most 20 digits after the decimal point."));
      }
    }
    String location = text(node, "location", at + ".location", problems);
    if (location != null && (location.isBlank() || location.length() > 128 || hasControlCharacter(location))) {
      problems.add(problem(at + ".location", "The location must be 1 to 128 characters, none a control character."));
    }
    String uri = text(node, "resourceUri", at + ".resourceUri", problems);
    if (uri != null && (uri.isBlank() || uri.length() > 2048 || hasControlCharacter(uri))) {
      problems.add(problem(at + ".resourceUri",
          "The resourceUri must be 1 to 2048 characters, none a control character."));
    }
    String subscription = guid(node, "subscriptionId", at + ".subscriptionId", problems);
    String tenant = guid(node, "tenantId", at + ".tenantId", problems);
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
    return s.chars().anyMatch(Character::isISOControl);
  }

  private static Problem problem(String target, String message) {
    return Problem.invalid("InvalidUsageRecord", target, message);
  }

  private static String text(JsonNode node, String field, String target, List<Problem> problems) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      problems.add(problem(target, "The " + field + " is required."));
      return null;
    }
    if (!v.isTextual()) {
      problems.add(problem(target, "The " + field + " must be a string."));
      return null;
    }
    return v.asText();
  }

  private static String guid(JsonNode node, String field, String target, List<Problem> problems) {
    String v = text(node, field, target, problems);
    if (v != null && !Guids.isGuid(v)) {
      problems.add(problem(target, "The " + field + " must be a GUID."));
      return null;
    }
    return v == null ? null : v.toLowerCase(Locale.ROOT);
  }

  private static Instant instant(JsonNode node, String field, String target, Map<String, Instant> parsed,
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
