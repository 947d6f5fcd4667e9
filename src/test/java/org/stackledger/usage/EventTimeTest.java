package org.stackledger.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written time reader must agree with java.time on every text, valid or not. */
class EventTimeTest {
  private static Instant reference(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Instant ours(String text) {
    List<org.stackledger.problem.Problem> problems = new ArrayList<>();
    Instant at = EventParser.time(text, 0, "usageStartTime", problems);
    assertThat(at == null).as(text).isEqualTo(!problems.isEmpty());
    return at;
  }

  @Test
  void agreesWithJavaTimeOnSeededTexts() {
    Random random = new Random(20261126);
    String[] shapes = {"%04d-%02d-%02dT%02d:%02d:%02dZ", "%04d-%02d-%02dT%02d:%02d:%02d.%dZ",
        "%04d-%02d-%02dT%02d:%02d:%02d+%02d:00", "%04d-%02d-%02dT%02d:%02d:%02d-%02d:30"};
    for (int i = 0; i < 20_000; i++) {
      String shape = shapes[random.nextInt(shapes.length)];
      String text = String.format(shape, 1970 + random.nextInt(100), random.nextInt(14), random.nextInt(33),
          random.nextInt(26), random.nextInt(62), random.nextInt(62), random.nextInt(20), random.nextInt(1000));
      assertThat(ours(text)).as(text).isEqualTo(reference(text));
      assertThat(EventParser.fastTime(text)).as(text).isIn(reference(text), null);
    }
    for (String odd : List.of("2026-11-26T10:00:00", "2026-11-26 10:00:00Z", "2026-11-26T10:00:00.Z",
        "2026-11-26T10:00:00.1234567891Z", "2026-02-29T00:00:00Z", "2024-02-29T00:00:00Z", "2026-11-26T10:00Z",
        "+2026-11-26T10:00:00Z", "2026-11-26T10:00:00+01:00", "2026-11-26T10:00:00.5-05:00", "")) {
      assertThat(ours(odd)).as(odd).isEqualTo(reference(odd));
    }
  }
}
