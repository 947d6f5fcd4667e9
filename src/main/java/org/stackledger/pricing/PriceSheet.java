package org.stackledger.pricing;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.StatementContext;
import org.stackledger.meters.Meter;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.store.Settings;

/**
 * The cloud plane's price sheet: effective-dated prices per meter and currency, history kept. The
 * price in force for a meter and currency at t is the entry with the greatest {@code effectiveFrom}
 * not after t; importing an entry with the key (meter, currency, effectiveFrom) of a stored one
 * replaces it, and nothing else is ever changed or removed, so rating an old month again finds the
 * prices it found before.
 *
 * <p>On first start every meter of the catalogue gets its default USD entry ({@link DefaultPrices});
 * a meter added to the catalogue later gets one at the next start. Writers (that seeding, imports)
 * take turns on one settings row locked {@code FOR UPDATE}, so two processes on one PostgreSQL agree.
 */
public final class PriceSheet {
  /** The settings row writers lock; its value is when the defaults were first seeded. */
  private static final String WRITER_LOCK = "priceSheetSeededAt";

  private final Jdbi jdbi;
  private final MeterCatalogue catalogue;
  private final Clock clock;
  private final PriceSheetRules rules;
  /** Each meter's position in the catalogue: lists and files follow the spec's order. */
  private final Map<String, Integer> order = new HashMap<>();

  public PriceSheet(Jdbi jdbi, MeterCatalogue catalogue, Clock clock) {
    this.jdbi = jdbi;
    this.catalogue = catalogue;
    this.clock = clock;
    this.rules = new PriceSheetRules(catalogue);
    List<Meter> meters = catalogue.all();
    for (int i = 0; i < meters.size(); i++) {
      order.put(meters.get(i).id(), i);
    }
    seedDefaults();
  }

  /** Every entry of the currency, whole history, as an immutable in-memory view for rating. */
  public Prices snapshot(String currency) {
    String code = code(java.util.Objects.requireNonNull(currency, "currency"));
    return new Prices(code, catalogue, entries(code, null));
  }

  /** The prices in force at the instant, one per meter and currency, in catalogue order; every currency when {@code null}. */
  public List<Price> inForce(String currency, Instant at) {
    Map<PriceSheetRules.Key, Price> latest = new LinkedHashMap<>();
    for (Price p : entries(code(currency), at)) {
      // Sorted oldest first within a meter and currency: the last one seen is the one in force.
      latest.put(new PriceSheetRules.Key(p.meterId(), p.currency(), null), p);
    }
    return List.copyOf(latest.values());
  }

  /**
   * Imports a price sheet file (see {@link PriceSheetCsv}), all or nothing: a file with any
   * problem throws the 400 {@code InvalidPriceSheet} listing every one, and nothing is stored.
   *
   * @return how many entries were stored (new or replacing)
   */
  public int importCsv(Reader csv) {
    List<PriceSheetRules.Entry> entries = rules.check(readAll(csv));
    Instant now = clock.instant();
    return jdbi.inTransaction(h -> {
      lockWriters(h);
      Set<String> currencies = entries.stream().map(PriceSheetRules.Entry::currency).collect(Collectors.toSet());
      Map<PriceSheetRules.Key, NavigableMap<Instant, Price>> stored = new HashMap<>();
      for (String currency : currencies) {
        for (Price p : select(h, currency, null)) {
          stored.computeIfAbsent(new PriceSheetRules.Key(p.meterId(), p.currency(), null), k -> new TreeMap<>())
              .put(p.effectiveFrom(), p);
        }
      }
      List<Price> prices = PriceSheetRules.resolve(entries, k -> stored.getOrDefault(k, new TreeMap<>()));
      PreparedBatch replaced = h.prepareBatch(
          "DELETE FROM price_sheet WHERE meter_id = :meterId AND currency = :currency AND effective_from = :from");
      for (Price p : prices) {
        replaced.bind("meterId", p.meterId()).bind("currency", p.currency()).bind("from", utc(p.effectiveFrom())).add();
      }
      if (!prices.isEmpty()) {
        replaced.execute();
        insert(h, prices, now);
      }
      return prices.size();
    });
  }

  /**
   * Writes the entries of a currency (every currency when {@code null}) as a price sheet file:
   * those in force at {@code at}, or the whole history when {@code at} is {@code null}. Importing
   * the file stores exactly what it came from.
   */
  public void exportCsv(Writer out, String currency, Instant at) throws IOException {
    PriceSheetCsv.write(out, at == null ? entries(code(currency), null) : inForce(currency, at));
  }

  /** Currency codes are stored in upper case; callers may write them in any. */
  private static String code(String currency) {
    return currency == null ? null : currency.toUpperCase(java.util.Locale.ROOT);
  }

  /** Entries of the currency (every one when {@code null}) not later than {@code at} (all when {@code null}), sorted. */
  private List<Price> entries(String currency, Instant at) {
    List<Price> all = jdbi.withHandle(h -> select(h, currency, at));
    all.sort(Comparator.comparing((Price p) -> order.getOrDefault(p.meterId(), Integer.MAX_VALUE))
        .thenComparing(Price::meterId).thenComparing(Price::currency).thenComparing(Price::effectiveFrom));
    return all;
  }

  private static List<Price> select(Handle h, String currency, Instant at) {
    String sql = "SELECT * FROM price_sheet WHERE 1 = 1" + (currency == null ? "" : " AND currency = :currency")
        + (at == null ? "" : " AND effective_from <= :at");
    var query = h.createQuery(sql);
    if (currency != null) {
      query.bind("currency", currency);
    }
    if (at != null) {
      query.bind("at", utc(at));
    }
    return new ArrayList<>(query.map(PriceSheet::row).list());
  }

  /** Gives every catalogue meter without a USD entry its default one. */
  private void seedDefaults() {
    new Settings(jdbi).getOrCreate(WRITER_LOCK, () -> clock.instant().toString());
    Instant now = clock.instant();
    jdbi.useTransaction(h -> {
      lockWriters(h);
      Set<String> priced = Set.copyOf(h.createQuery("SELECT DISTINCT meter_id FROM price_sheet WHERE currency = :c")
          .bind("c", DefaultPrices.CURRENCY).mapTo(String.class).list());
      List<Price> missing = catalogue.all().stream().filter(m -> !priced.contains(m.id())).map(DefaultPrices::of).toList();
      if (!missing.isEmpty()) {
        insert(h, missing, now);
      }
    });
  }

  private static void lockWriters(Handle h) {
    h.createQuery("SELECT setting_value FROM settings WHERE name = :name FOR UPDATE").bind("name", WRITER_LOCK)
        .mapTo(String.class).one();
  }

  private static void insert(Handle h, List<Price> prices, Instant now) {
    PreparedBatch batch = h.prepareBatch("INSERT INTO price_sheet (meter_id, currency, effective_from, commerce_meter_id,"
        + " meter_name, unit_price, pricing_unit, unit_divisor, created_at) VALUES (:meterId, :currency, :from,"
        + " :commerceMeterId, :meterName, :unitPrice, :pricingUnit, :unitDivisor, :now)");
    for (Price p : prices) {
      batch.bind("meterId", p.meterId()).bind("currency", p.currency()).bind("from", utc(p.effectiveFrom()))
          .bind("commerceMeterId", p.commerceMeterId()).bind("meterName", p.meterName())
          .bind("unitPrice", p.unitPrice()).bind("pricingUnit", p.pricingUnit()).bind("unitDivisor", p.unitDivisor())
          .bind("now", utc(now)).add();
    }
    batch.execute();
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static Price row(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Price(rs.getString("meter_id"), rs.getString("commerce_meter_id"), rs.getString("meter_name"),
        rs.getString("currency").trim(), rs.getBigDecimal("unit_price"), rs.getString("pricing_unit"),
        rs.getInt("unit_divisor"), rs.getObject("effective_from", OffsetDateTime.class).toInstant());
  }

  private static String readAll(Reader csv) {
    try {
      StringBuilder text = new StringBuilder();
      char[] buffer = new char[8192];
      int n;
      while ((n = csv.read(buffer)) > 0) {
        text.append(buffer, 0, n);
      }
      return text.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
