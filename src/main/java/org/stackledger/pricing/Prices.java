package org.stackledger.pricing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.stackledger.meters.Meter;
import org.stackledger.meters.MeterCatalogue;

/**
 * The price sheet of one currency, whole history, held in memory and never changed: what rating
 * asks once per usage record. {@link #at} finds the meter through the catalogue's allocation-free
 * lookup (any case), then binary-searches that meter's entries, sorted by {@code effectiveFrom}
 * when the snapshot is made, and answers an {@code Optional} made once per entry: no allocation per
 * call.
 */
public final class Prices {
  private final String currency;
  private final MeterCatalogue catalogue;
  /** Keyed by the catalogue's own meter objects: an identity lookup, no hashing of the id again. */
  private final Map<Meter, Series> byMeter = new IdentityHashMap<>();

  Prices(String currency, MeterCatalogue catalogue, List<Price> entries) {
    this.currency = currency;
    this.catalogue = catalogue;
    Map<Meter, List<Price>> grouped = new IdentityHashMap<>();
    for (Price p : entries) {
      if (!p.currency().equals(currency)) {
        throw new IllegalArgumentException("a " + currency + " snapshot cannot hold a " + p.currency() + " price");
      }
      // An entry of a meter the catalogue no longer lists cannot be asked for: it is left out.
      catalogue.find(p.meterId()).ifPresent(m -> grouped.computeIfAbsent(m, k -> new ArrayList<>()).add(p));
    }
    grouped.forEach((meter, list) -> byMeter.put(meter, new Series(list)));
  }

  /** The currency of every price in this snapshot. */
  public String currency() {
    return currency;
  }

  /**
   * The price in force for the meter (id in any case) at the instant: the entry with the greatest
   * {@code effectiveFrom} not after it. Empty for an unknown meter or an instant before its first entry.
   */
  public Optional<Price> at(String meterId, Instant at) {
    Optional<Meter> meter = catalogue.find(meterId);
    if (meter.isEmpty()) {
      return Optional.empty();
    }
    Series series = byMeter.get(meter.get());
    return series == null ? Optional.empty() : series.at(at);
  }

  /** One meter's entries, oldest first. */
  private static final class Series {
    private final Instant[] from;
    private final Optional<Price>[] prices;

    @SuppressWarnings("unchecked")
    Series(List<Price> entries) {
      List<Price> sorted = new ArrayList<>(entries);
      sorted.sort(Comparator.comparing(Price::effectiveFrom));
      from = new Instant[sorted.size()];
      prices = (Optional<Price>[]) new Optional<?>[sorted.size()];
      for (int i = 0; i < sorted.size(); i++) {
        from[i] = sorted.get(i).effectiveFrom();
        prices[i] = Optional.of(sorted.get(i));
      }
    }

    Optional<Price> at(Instant t) {
      // The last index whose start is not after t.
      int low = 0;
      int high = from.length - 1;
      int found = -1;
      while (low <= high) {
        int mid = (low + high) >>> 1;
        if (from[mid].compareTo(t) <= 0) {
          found = mid;
          low = mid + 1;
        } else {
          high = mid - 1;
        }
      }
      return found < 0 ? Optional.empty() : prices[found];
    }
  }
}
