package org.stackledger.console.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.stackledger.console.api.Api;
import org.stackledger.console.web.BadInput;
import org.stackledger.console.web.Choices;
import org.stackledger.console.web.Visit;

/**
 * One question to an aggregate usage API — a range of days (UTC), daily or hourly — and its rows, read
 * by following {@code nextLink} up to {@link #MAX_PAGES} pages (1,000 rows each): a page never reads an
 * unbounded list; a range with more says so and asks for a narrower one.
 */
public record UsageQuery(LocalDate from, LocalDate to, String granularity) {
  public static final int MAX_PAGES = 20;
  public static final int MAX_DAYS = 92;

  /** The rows read and whether more were left unread. */
  public record Rows(List<JsonNode> rows, boolean truncated) {}

  /** The range and granularity chosen in the address; by default the last seven whole days, daily. */
  public static UsageQuery chosen(Visit v) {
    LocalDate today = v.today();
    LocalDate to = Choices.date(v.query("to"), "to", today);
    LocalDate from = Choices.date(v.query("from"), "from", to.minusDays(7));
    String granularity = Choices.oneOf(v.query("granularity"), "granularity", "Daily", "Daily", "Hourly");
    if (!from.isBefore(to)) {
      throw new BadInput("from", "'from' must be before 'to' (the range is from the start of 'from' to the start of 'to').");
    }
    if (to.isAfter(today)) {
      throw new BadInput("to", "'to' can be today at the latest: usage is read for closed periods only.");
    }
    if (from.plusDays(granularity.equals("Hourly") ? 14 : MAX_DAYS).isBefore(to)) {
      throw new BadInput("from", "The range is too long: at most " + (granularity.equals("Hourly") ? 14 : MAX_DAYS)
          + " days " + granularity.toLowerCase(java.util.Locale.ROOT) + ".");
    }
    return new UsageQuery(from, to, granularity);
  }

  /** The query string the usage APIs take ({@code showDetails} as asked). */
  public String apiQuery(boolean details) {
    return "api-version=2015-06-01-preview&reportedStartTime=" + Choices.encode(from + "T00:00:00Z")
        + "&reportedEndTime=" + Choices.encode(to + "T00:00:00Z") + "&aggregationGranularity=" + granularity
        + "&showDetails=" + details;
  }

  /** Reads the rows of {@code path} (a usage API's path with its query) page by page. */
  public static Rows read(Visit v, Api api, String path) {
    List<JsonNode> rows = new ArrayList<>();
    String next = path;
    for (int page = 0; page < MAX_PAGES && next != null; page++) {
      JsonNode answer = v.get(api, next);
      answer.path("value").forEach(rows::add);
      String link = answer.path("nextLink").asText(null);
      next = link == null || link.isEmpty() ? null : relative(api, link);
    }
    return new Rows(rows, next != null);
  }

  /** {@code nextLink} is absolute (the API's own URL): the path and query after the base. */
  private static String relative(Api api, String link) {
    java.net.URI uri = java.net.URI.create(link);
    return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
  }
}
