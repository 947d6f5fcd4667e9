package org.stackledger.console.web;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A view's choices read from its query string (what makes its URL bookmarkable), each checked with a
 * message that names the field: a bad choice is a 400 page, never a 500.
 */
public final class Choices {
  private static final Pattern GUID = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");

  private Choices() {}

  public static LocalDate date(Optional<String> value, String field, LocalDate otherwise) {
    try {
      return value.filter(v -> !v.isBlank()).map(LocalDate::parse).orElse(otherwise);
    } catch (DateTimeParseException e) {
      throw new BadInput(field, "'" + field + "' must be a date such as 2026-11-01; '" + value.get() + "' is not.");
    }
  }

  public static YearMonth month(Optional<String> value, String field, YearMonth otherwise) {
    try {
      return value.filter(v -> !v.isBlank()).map(YearMonth::parse).orElse(otherwise);
    } catch (DateTimeParseException e) {
      throw new BadInput(field, "'" + field + "' must be a month such as 2026-11; '" + value.get() + "' is not.");
    }
  }

  public static int number(Optional<String> value, String field, int min, int max, int otherwise) {
    if (value.filter(v -> !v.isBlank()).isEmpty()) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(value.get().trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // Named below, like a number out of range.
    }
    throw new BadInput(field, "'" + field + "' must be a whole number from " + min + " to " + max + ".");
  }

  /** One of the given words, case-insensitively, in the spelling given here. */
  public static String oneOf(Optional<String> value, String field, String otherwise, String... words) {
    if (value.filter(v -> !v.isBlank()).isEmpty()) {
      return otherwise;
    }
    for (String w : words) {
      if (w.equalsIgnoreCase(value.get().trim())) {
        return w;
      }
    }
    throw new BadInput(field, "'" + field + "' must be one of " + String.join(", ", words) + ".");
  }

  /** A subscription id (a GUID), or empty for "all". */
  public static Optional<String> guid(Optional<String> value, String field) {
    Optional<String> v = value.map(String::trim).filter(s -> !s.isEmpty());
    if (v.isPresent() && !GUID.matcher(v.get()).matches()) {
      throw new BadInput(field, "'" + field + "' must be a subscription id (a GUID); '" + v.get() + "' is not.");
    }
    return v.map(s -> s.toLowerCase(java.util.Locale.ROOT));
  }

  public static String encode(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }
}
