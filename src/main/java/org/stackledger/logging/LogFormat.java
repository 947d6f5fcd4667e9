package org.stackledger.logging;

import java.util.Locale;

/** How the log file writes an event: one JSON object per line, or one logfmt line. */
public enum LogFormat {
  JSON, LOGFMT;

  /** The format named {@code json} or {@code logfmt} (any case). */
  public static LogFormat parse(String name) {
    for (LogFormat f : values()) {
      if (f.name().equalsIgnoreCase(name.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException("'" + name + "' is not a log format; use json or logfmt");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
