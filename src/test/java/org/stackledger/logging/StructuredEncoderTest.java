package org.stackledger.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** One event, one line, whatever its message holds; fields keep their types in JSON. */
class StructuredEncoderTest {
  private final LoggerContext context = new LoggerContext();

  private LoggingEvent event(String message, Throwable error) {
    LoggingEvent e = new LoggingEvent("test", context.getLogger("stackledger.request"), Level.WARN, message, error, null);
    e.setTimeStamp(1_764_806_400_123L);
    e.addKeyValuePair(new KeyValuePair("status", 400));
    e.addKeyValuePair(new KeyValuePair("path", "/a b/\"c\"=d"));
    return e;
  }

  private static String encode(LogFormat format, LoggingEvent e) {
    return new String(new StructuredEncoder(format).encode(e), StandardCharsets.UTF_8);
  }

  @Test
  void aJsonLineParsesAndKeepsNumbersAsNumbersAndTheStackTraceInOneField() throws Exception {
    String line = encode(LogFormat.JSON, event("two\nlines \"quoted\" \u0001", new IllegalStateException("boom")));
    assertThat(line).endsWith("\n");
    assertThat(line.strip()).doesNotContain("\n");
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.path("time").asText()).isEqualTo("2025-12-04T00:00:00.123Z");
    assertThat(json.path("level").asText()).isEqualTo("WARN");
    assertThat(json.path("logger").asText()).isEqualTo("stackledger.request");
    assertThat(json.path("msg").asText()).isEqualTo("two\nlines \"quoted\" \u0001");
    assertThat(json.path("status").isInt()).isTrue();
    assertThat(json.path("path").asText()).isEqualTo("/a b/\"c\"=d");
    assertThat(json.path("error").asText()).startsWith("java.lang.IllegalStateException: boom");
  }

  @Test
  void aLogfmtLineQuotesWhatWouldBreakItAndStaysOneLine() {
    String line = encode(LogFormat.LOGFMT, event("two\nlines", new IllegalStateException("boom")));
    assertThat(line.strip()).doesNotContain("\n");
    assertThat(line).startsWith("time=2025-12-04T00:00:00.123Z level=WARN logger=stackledger.request msg=\"two\\nlines\" ")
        .contains(" status=400 ").contains(" path=\"/a b/\\\"c\\\"=d\" ")
        .contains(" error=\"java.lang.IllegalStateException: boom");
  }
}
