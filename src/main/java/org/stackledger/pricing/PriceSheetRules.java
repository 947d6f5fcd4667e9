package org.stackledger.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import org.stackledger.meters.Meter;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.problem.Problem;

/**
 * What makes a price sheet file acceptable. Every row is checked and every problem named as
 * {@code row 3 column unitPrice} (row 1 is the header, as a spreadsheet counts), so the operator
 * mends the file once; a file with any problem is refused whole.
 */
final class PriceSheetRules {
  /** How many problems one answer lists: enough for any real file, bounded for a garbage one. */
  static final int MAX_PROBLEMS = 1000;
  /** DECIMAL(38,18): digits after the point, and before it. */
  static final int MAX_PRICE_SCALE = 18;
  static final int MAX_PRICE_INTEGER_DIGITS = 20;
  static final int MAX_COMMERCE_METER_ID = 64;
  static final int MAX_METER_NAME = 256;
  static final int MAX_PRICING_UNIT = 128;
  /**
   * The instants a price may take effect at, or be asked for: both engines store these alike (before
   * the Gregorian calendar's general use, JDBC drivers and databases disagree about dates).
   */
  static final Instant EARLIEST = Instant.parse("1900-01-01T00:00:00Z");
  static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

  /**
   * One checked row. The optional columns are {@code null} when left empty: they are filled from
   * the entry in force before it once the stored history is at hand ({@link #resolve}).
   */
  record Entry(int row, Meter meter, String currency, BigDecimal unitPrice, Instant effectiveFrom,
      String commerceMeterId, String meterName, String pricingUnit, Integer unitDivisor) {
    Key key() {
      return new Key(meter.id(), currency, effectiveFrom);
    }
  }

  /** The identity of an entry: importing another with the same key replaces it. */
  record Key(String meterId, String currency, Instant effectiveFrom) {}

  private final MeterCatalogue catalogue;

  PriceSheetRules(MeterCatalogue catalogue) {
    this.catalogue = catalogue;
  }

  /** The file's entries, or the 400 {@code InvalidPriceSheet} listing every problem. */
  List<Entry> check(String text) {
    // A quoting problem ends the reading; the rows read before it are checked all the same.
    List<Problem> reading = new ArrayList<>();
    List<PriceSheetCsv.Row> rows = PriceSheetCsv.read(text,
        (row, message) -> reading.add(problem(row, null, "InvalidCsv", message)));
    List<Problem> problems = new ArrayList<>();
    List<Entry> entries = new ArrayList<>();
    if (rows.isEmpty() || rows.get(0).number() != 1) {
      problems.add(problem(1, null, "MissingHeader", "the file must start with the header "
          + String.join(",", PriceSheetCsv.COLUMNS) + "."));
    }
    Map<String, Integer> columns = problems.isEmpty() ? header(rows.get(0), problems) : Map.of();
    if (!problems.isEmpty()) {
      problems.addAll(reading);
      throw refusal(problems);
    }
    Map<Key, Integer> seen = new HashMap<>();
    for (PriceSheetCsv.Row row : rows.subList(1, rows.size())) {
      if (problems.size() >= MAX_PROBLEMS) {
        break;
      }
      Entry e = entry(row, columns, problems);
      if (e != null) {
        Integer first = seen.putIfAbsent(e.key(), row.number());
        if (first != null) {
          problems.add(problem(row.number(), null, "DuplicateEntry", "the same meter, currency and effectiveFrom as row "
              + first + "; a file holds each entry once."));
        } else {
          entries.add(e);
        }
      }
    }
    problems.addAll(reading);
    if (!problems.isEmpty()) {
      throw refusal(problems.size() > MAX_PROBLEMS ? problems.subList(0, MAX_PROBLEMS) : problems);
    }
    return entries;
  }

  /** Column name (lower case) → index; every column once, no others. */
  private static Map<String, Integer> header(PriceSheetCsv.Row header, List<Problem> problems) {
    Map<String, Integer> columns = new HashMap<>();
    List<String> names = header.fields();
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i).trim();
      String known = PriceSheetCsv.COLUMNS.stream().filter(c -> c.equalsIgnoreCase(name)).findFirst().orElse(null);
      if (known == null) {
        problems.add(problem(1, name.isEmpty() ? "#" + (i + 1) : name, "UnknownColumn",
            "the header names an unknown column; the columns are "
            + String.join(",", PriceSheetCsv.COLUMNS) + "."));
      } else if (columns.putIfAbsent(known, i) != null) {
        problems.add(problem(1, known, "DuplicateColumn", "the header names this column twice."));
      }
    }
    for (String column : PriceSheetCsv.COLUMNS) {
      if (!columns.containsKey(column)) {
        problems.add(problem(1, column, "MissingColumn", "the header has no " + column + " column."));
      }
    }
    return columns;
  }

  private Entry entry(PriceSheetCsv.Row row, Map<String, Integer> columns, List<Problem> problems) {
    int n = row.number();
    int before = problems.size();
    if (row.fields().size() > columns.size()) {
      problems.add(problem(n, null, "TooManyFields", "the row has " + row.fields().size() + " fields, the header "
          + columns.size() + "; quote a field that holds a comma."));
      return null;
    }
    Function<String, String> field = column -> {
      int i = columns.get(column);
      if (i >= row.fields().size()) {
        problems.add(problem(n, column, "MissingColumn", "the row ends before this column."));
        return "";
      }
      return row.fields().get(i).trim();
    };
    String meterId = field.apply("meterId");
    String currencyCode = field.apply("currency");
    String priceText = field.apply("unitPrice");
    String fromText = field.apply("effectiveFrom");
    String commerceMeterId = optional(field.apply("commerceMeterId"));
    String meterName = optional(field.apply("meterName"));
    String pricingUnit = optional(field.apply("pricingUnit"));
    String divisorText = optional(field.apply("unitDivisor"));
    if (problems.size() > before) {
      return null;
    }
    Optional<Meter> meter = catalogue.find(meterId);
    if (meter.isEmpty()) {
      problems.add(problem(n, "meterId", meterId.isEmpty() ? "MissingValue" : "UnknownMeter", meterId.isEmpty()
          ? "the meterId is required." : "the meter '" + meterId + "' is not in the meter catalogue."));
    }
    String currency = currency(n, currencyCode, problems);
    BigDecimal unitPrice = unitPrice(n, priceText, problems);
    Instant from = effectiveFrom(n, fromText, problems);
    length(n, "commerceMeterId", commerceMeterId, MAX_COMMERCE_METER_ID, problems);
    length(n, "meterName", meterName, MAX_METER_NAME, problems);
    length(n, "pricingUnit", pricingUnit, MAX_PRICING_UNIT, problems);
    Integer divisor = divisorText == null ? null : divisor(n, divisorText, problems);
    if (problems.size() > before) {
      return null;
    }
    return new Entry(n, meter.get(), currency, unitPrice, from, commerceMeterId, meterName, pricingUnit, divisor);
  }

  private static String optional(String value) {
    return value.isEmpty() ? null : value;
  }

  private static String currency(int n, String code, List<Problem> problems) {
    String upper = code.toUpperCase(Locale.ROOT);
    try {
      if (upper.length() == 3 && Currency.getInstance(upper).getDefaultFractionDigits() >= 0) {
        return upper;
      }
    } catch (IllegalArgumentException unknown) {
      // Reported below.
    }
    problems.add(problem(n, "currency", code.isEmpty() ? "MissingValue" : "UnknownCurrency", code.isEmpty()
        ? "the currency is required." : "'" + code + "' is not an ISO 4217 currency code with a minor unit."));
    return null;
  }

  private static BigDecimal unitPrice(int n, String text, List<Problem> problems) {
    BigDecimal price;
    try {
      price = new BigDecimal(text);
    } catch (NumberFormatException e) {
      problems.add(problem(n, "unitPrice", text.isEmpty() ? "MissingValue" : "InvalidUnitPrice", text.isEmpty()
          ? "the unitPrice is required." : "the unitPrice '" + text + "' is not a decimal number."));
      return null;
    }
    BigDecimal plain = Price.plain(price);
    String problem = price.signum() < 0 ? "must not be negative"
        : plain.scale() > MAX_PRICE_SCALE ? "has more than " + MAX_PRICE_SCALE + " digits after the decimal point"
        : plain.precision() - plain.scale() > MAX_PRICE_INTEGER_DIGITS
            ? "has more than " + MAX_PRICE_INTEGER_DIGITS + " digits before the decimal point" : null;
    if (problem != null) {
      problems.add(problem(n, "unitPrice", "InvalidUnitPrice", "the unitPrice '" + text + "' " + problem + "."));
      return null;
    }
    return plain;
  }

  private static Instant effectiveFrom(int n, String text, List<Problem> problems) {
    try {
      Instant at = Instant.parse(text);
      // The store keeps microseconds; a finer instant would come back as another one.
      String problem = !inRange(at) ? "is not between " + EARLIEST + " and " + LATEST
          : at.getNano() % 1000 != 0 ? "is finer than a microsecond" : null;
      if (problem == null) {
        return at;
      }
      problems.add(problem(n, "effectiveFrom", "InvalidEffectiveFrom", "the effectiveFrom '" + text + "' " + problem + "."));
    } catch (DateTimeParseException e) {
      problems.add(problem(n, "effectiveFrom", text.isEmpty() ? "MissingValue" : "InvalidEffectiveFrom", text.isEmpty()
          ? "the effectiveFrom is required." : "the effectiveFrom '" + text
          + "' is not an ISO-8601 instant such as 2026-11-01T00:00:00Z."));
    }
    return null;
  }

  static boolean inRange(Instant at) {
    return !at.isBefore(EARLIEST) && !at.isAfter(LATEST);
  }

  private static Integer divisor(int n, String text, List<Problem> problems) {
    try {
      int divisor = Integer.parseInt(text);
      if (divisor >= 1) {
        return divisor;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    problems.add(problem(n, "unitDivisor", "InvalidUnitDivisor",
        "the unitDivisor '" + text + "' is not a whole number of at least 1."));
    return null;
  }

  private static void length(int n, String column, String value, int max, List<Problem> problems) {
    if (value != null && value.length() > max) {
      problems.add(problem(n, column, "InvalidValue", "the " + column + " is over " + max + " characters."));
    }
  }

  /**
   * The entries as prices, their empty columns filled from the entry in force just before each
   * (stored, or earlier in the same file), else from the meter's default entry. {@code history}
   * gives the stored entries of a meter and currency by {@code effectiveFrom}.
   */
  static List<Price> resolve(List<Entry> entries, Function<Key, NavigableMap<Instant, Price>> history) {
    Map<Key, NavigableMap<Instant, Price>> timelines = new HashMap<>();
    List<Entry> ordered = new ArrayList<>(entries);
    ordered.sort(java.util.Comparator.comparing(Entry::effectiveFrom));
    Map<Integer, Price> byRow = new HashMap<>();
    for (Entry e : ordered) {
      Key series = new Key(e.meter().id(), e.currency(), null);
      NavigableMap<Instant, Price> timeline = timelines.computeIfAbsent(series, k -> new TreeMap<>(history.apply(k)));
      Map.Entry<Instant, Price> earlier = timeline.floorEntry(e.effectiveFrom());
      Price before = earlier != null ? earlier.getValue() : DefaultPrices.of(e.meter());
      Price price = new Price(e.meter().id(), or(e.commerceMeterId(), before.commerceMeterId()),
          or(e.meterName(), before.meterName()), e.currency(), e.unitPrice(), or(e.pricingUnit(), before.pricingUnit()),
          e.unitDivisor() != null ? e.unitDivisor() : before.unitDivisor(), e.effectiveFrom());
      timeline.put(e.effectiveFrom(), price);
      byRow.put(e.row(), price);
    }
    // In the file's order, which is the order they are stored and reported in.
    return entries.stream().map(e -> byRow.get(e.row())).toList();
  }

  private static String or(String value, String fallback) {
    return value != null ? value : fallback;
  }

  static Problem problem(int row, String column, String code, String message) {
    String target = "row " + row + (column == null ? "" : " column " + column);
    return Problem.invalid(code, target, target + ": " + message);
  }

  /** The answer for a file with problems: {@code InvalidPriceSheet}, every problem a detail, in row order. */
  static Problem refusal(List<Problem> found) {
    List<Problem> problems = new ArrayList<>(found);
    problems.sort(java.util.Comparator.comparingInt(PriceSheetRules::rowOf));
    Problem first = problems.get(0);
    String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problems in details)" : "";
    return Problem.invalid("InvalidPriceSheet", first.target(),
        "The price sheet was not imported: " + first.getMessage() + more).withDetails(problems);
  }

  /** The row a problem names: {@code row 3 column unitPrice} → 3. */
  private static int rowOf(Problem problem) {
    String rest = problem.target().substring("row ".length());
    int space = rest.indexOf(' ');
    return Integer.parseInt(space < 0 ? rest : rest.substring(0, space));
  }
}
