package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stackledger.http.Json;

/**
 * Tags and additionalInfo are stored as the JSON tree's serialization, whichever way the parser reads
 * them: the plain objects it reads straight from the bytes and the rest it reads as a tree must give
 * the same text, or a retry spelled differently would fingerprint as other content.
 */
class EventParserObjectsTest {
  private static final String[] NAMES = {"ServiceType", "ImageType", "a", "", "x y", "ümlaut", "q\\\"uote", "tab\\t",
      "ServiceType", "slash/", "ctl\\u0001", "emoji\\ud83d\\ude00"};
  private static final String[] VALUES = {"\"Standard_D2_v2\"", "\"Windows\"", "\"\"", "\"a b  c\"", "\"ü\"",
      "\"back\\\\slash\"", "\"new\\nline\"", "\"\\u0041\"", "\"<>&'\"", "1", "1.50", "1e2", "true", "null",
      "{\"n\":\"v\"}", "[1,\"2\"]", "\"/path/x\"", "\"\\u007f\""};
  private static final String[] SPACE = {"", " ", "\n", "\t ", "\r\n  "};

  @Test
  void plainAndTreeObjectsAreStoredAsTheTreeWritesThem() {
    Random random = new Random(5);
    for (int round = 0; round < 3_000; round++) {
      StringBuilder object = new StringBuilder("{");
      int fields = random.nextInt(5);
      boolean plainOnly = random.nextBoolean();
      for (int f = 0; f < fields; f++) {
        if (f > 0) {
          object.append(space(random)).append(',');
        }
        String name = plainOnly ? "\"k" + random.nextInt(4) + "\"" : "\"" + NAMES[random.nextInt(NAMES.length)] + "\"";
        String value = plainOnly ? "\"v" + random.nextInt(100) + " _-./\"" : VALUES[random.nextInt(VALUES.length)];
        object.append(space(random)).append(name).append(space(random)).append(':').append(space(random)).append(value);
      }
      object.append(space(random)).append('}');
      String additionalInfo = object.toString();
      String body = "[{\"eventId\":\"e" + round + "\",\"subscriptionId\":\"s\",\"meterId\":\"m\",\"quantity\":1,"
          + "\"usageStartTime\":\"2026-12-01T00:00:00Z\",\"usageEndTime\":\"2026-12-01T01:00:00Z\","
          + "\"resourceUri\":\"/r\",\"location\":\"local\",\"additionalInfo\":" + additionalInfo + "}]";
      List<UsageEvent> events = EventParser.parse(body.getBytes(StandardCharsets.UTF_8), 10);
      String expected = Json.text(Json.parseObject(additionalInfo));
      assertThat(events.get(0).additionalInfo()).as("round %d: %s", round, additionalInfo).isEqualTo(expected);
    }
  }

  @Test
  void stringFieldsReadAsJacksonReadsThemWithOrWithoutAByteOrderMark() throws Exception {
    String[] texts = {"plain-id", "with space", "esc\\\"aped", "ümlaut", "tab\\there", "\\u0041BC", "a/b", ""};
    Random random = new Random(9);
    for (int round = 0; round < 2_000; round++) {
      StringBuilder body = new StringBuilder(random.nextBoolean() ? "\ufeff" : "").append(space(random)).append('[');
      int events = 1 + random.nextInt(3);
      for (int e = 0; e < events; e++) {
        if (e > 0) {
          body.append(',');
        }
        body.append('{');
        String[] fields = {"eventId", "subscriptionId", "meterId", "resourceUri", "location"};
        for (String field : fields) {
          body.append(space(random)).append('"').append(field).append('"').append(space(random)).append(':')
              .append(space(random)).append('"').append(texts[random.nextInt(texts.length)]).append(random.nextInt(9))
              .append('"').append(space(random)).append(',');
        }
        body.append("\"quantity\":1,\"usageStartTime\":").append(space(random))
            .append("\"2026-12-01T00:00:00Z\",\"usageEndTime\":\"2026-12-01T01:00:00Z\"}");
      }
      body.append(']');
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      List<UsageEvent> parsed = EventParser.parse(bytes, 10);
      com.fasterxml.jackson.databind.JsonNode tree = Json.MAPPER.readTree(bytes);
      for (int e = 0; e < events; e++) {
        com.fasterxml.jackson.databind.JsonNode n = tree.get(e);
        UsageEvent got = parsed.get(e);
        assertThat(List.of(got.eventId(), got.subscriptionId(), got.meterId(), got.resourceUri(), got.location()))
            .as("round %d: %s", round, body).containsExactly(n.get("eventId").asText(), n.get("subscriptionId").asText(),
                n.get("meterId").asText(), n.get("resourceUri").asText(), n.get("location").asText());
      }
    }
  }

  private static String space(Random random) {
    return SPACE[random.nextInt(SPACE.length)];
  }
}
