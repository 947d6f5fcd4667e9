package org.stackledger.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * Writes each event as one line a log pipeline can parse without a pattern: {@code time},
 * {@code level}, {@code logger}, {@code msg}, then the event's key-value pairs as fields of their own
 * (the request log puts its request id, principal, route, status and latency there), and a stack
 * trace, when there is one, as the single field {@code error}. Numbers stay numbers in JSON.
 */
final class StructuredEncoder extends EncoderBase<ILoggingEvent> {
  private final LogFormat format;

  StructuredEncoder(LogFormat format) {
    this.format = format;
  }

  @Override
  public byte[] headerBytes() {
    return null;
  }

  @Override
  public byte[] footerBytes() {
    return null;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    StringBuilder line = new StringBuilder(256);
    if (format == LogFormat.JSON) {
      line.append('{');
    }
    field(line, "time", Instant.ofEpochMilli(event.getTimeStamp()).toString(), true);
    field(line, "level", event.getLevel().toString(), false);
    field(line, "logger", event.getLoggerName(), false);
    field(line, "msg", event.getFormattedMessage(), false);
    List<KeyValuePair> pairs = event.getKeyValuePairs();
    if (pairs != null) {
      for (KeyValuePair pair : pairs) {
        field(line, pair.key, pair.value, false);
      }
    }
    IThrowableProxy error = event.getThrowableProxy();
    if (error != null) {
      field(line, "error", ThrowableProxyUtil.asString(error), false);
    }
    if (format == LogFormat.JSON) {
      line.append('}');
    }
    line.append('\n');
    return line.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void field(StringBuilder line, String key, Object value, boolean first) {
    if (!first) {
      line.append(format == LogFormat.JSON ? "," : " ");
    }
    if (format == LogFormat.JSON) {
      line.append('"').append(JsonStringEncoder.getInstance().quoteAsString(key)).append("\":");
      if (value == null) {
        line.append("null");
      } else if (value instanceof Number || value instanceof Boolean) {
        line.append(value);
      } else {
        line.append('"').append(JsonStringEncoder.getInstance().quoteAsString(value.toString())).append('"');
      }
      return;
    }
    line.append(key).append('=');
    String text = value == null ? "" : value.toString();
    if (!text.isEmpty() && text.chars().allMatch(c -> c > ' ' && c != '"' && c != '=' && c != '\\' && c != 0x7f)) {
      line.append(text);
      return;
    }
    line.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> line.append("\\\"");
        case '\\' -> line.append("\\\\");
        case '\n' -> line.append("\\n");
        case '\r' -> line.append("\\r");
        case '\t' -> line.append("\\t");
        default -> {
          if (c < ' ' || c == 0x7f) {
            line.append(String.format("\\u%04x", (int) c));
          } else {
            line.append(c);
          }
        }
      }
    }
    line.append('"');
  }
}
