package org.stackledger.meters;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The meters a deployment knows, looked up by id without regard to case (the docs mix upper and lower
 * case). A dashed and an undashed spelling of the same hex digits are different ids: the spec gives
 * no evidence that Azure Stack treats them as one.
 *
 * <p>The standard catalogue is a resource file rather than code so that it reads as the spec's tables
 * do and can be checked against them line by line. {@link #find} runs once per usage event, so it
 * hashes and compares the id in place (ASCII case folding) in an open-addressed table and answers
 * an {@code Optional} made once per meter: no lower-cased copy, no allocation, no regex.
 */
public final class MeterCatalogue {
  private static final String RESOURCE = "meters.psv";
  private static final MeterCatalogue STANDARD = load();

  private final List<Meter> all;
  /** Open addressing with linear probing; length a power of two, at most a quarter full. */
  private final Optional<Meter>[] table;
  private final int mask;
  /** Each meter by its id as listed, in lower case and in upper case. */
  private final java.util.Map<String, Optional<Meter>> spelled;

  @SuppressWarnings("unchecked")
  private MeterCatalogue(List<Meter> meters) {
    this.all = List.copyOf(meters);
    int size = Integer.highestOneBit(Math.max(4, all.size() * 4) - 1) << 1;
    this.table = (Optional<Meter>[]) new Optional<?>[size];
    this.mask = size - 1;
    for (Meter m : all) {
      int slot = hash(m.id()) & mask;
      while (table[slot] != null) {
        if (table[slot].get().id().equalsIgnoreCase(m.id())) {
          throw new IllegalArgumentException("meter id listed twice: " + m.id());
        }
        slot = (slot + 1) & mask;
      }
      table[slot] = Optional.of(m);
    }
    java.util.Map<String, Optional<Meter>> spellings = new java.util.HashMap<>();
    for (Optional<Meter> m : table) {
      if (m != null) {
        String id = m.get().id();
        for (String s : List.of(id, id.toLowerCase(java.util.Locale.ROOT), id.toUpperCase(java.util.Locale.ROOT))) {
          spellings.put(s, m);
        }
      }
    }
    this.spelled = java.util.Map.copyOf(spellings);
  }

  /** The meters of spec §6, every one with a fixed id (custom App Service worker tiers have none). */
  public static MeterCatalogue standard() {
    return STANDARD;
  }

  /** A catalogue of these meters; ids must be unique regardless of case. */
  public static MeterCatalogue of(List<Meter> meters) {
    return new MeterCatalogue(meters);
  }

  /** The meter with this id, compared case-insensitively; empty for an unknown id or {@code null}. */
  public Optional<Meter> find(String id) {
    if (id == null) {
      return Optional.empty();
    }
    // Nearly every client spells an id as the catalogue does, or all in one case: a map of those
    // spellings answers with the id's own hash (computed once a string, and vectorised) and one
    // comparison; any other mix of cases is folded below.
    Optional<Meter> spelledSo = spelled.get(id);
    if (spelledSo != null) {
      return spelledSo;
    }
    int slot = hash(id) & mask;
    Optional<Meter> m;
    while ((m = table[slot]) != null) {
      if (m.get().id().equalsIgnoreCase(id)) {
        return m;
      }
      slot = (slot + 1) & mask;
    }
    return Optional.empty();
  }

  /** Every meter, in the spec's order. */
  public List<Meter> all() {
    return all;
  }

  /** A hash that folds ASCII letters to lower case, so both spellings of an id land in one slot. */
  private static int hash(String id) {
    int h = 0;
    for (int i = 0, n = id.length(); i < n; i++) {
      char c = id.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      h = 31 * h + c;
    }
    return h ^ (h >>> 16);
  }

  private static MeterCatalogue load() {
    try (InputStream in = MeterCatalogue.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the meter catalogue " + RESOURCE + " is missing from the class path");
      }
      return new MeterCatalogue(parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Lines of {@code id|name|unit|category|resourceProvider|kind|period|deprecated|notes}; {@code #} starts a comment line. */
  static List<Meter> parse(BufferedReader reader) throws IOException {
    List<Meter> meters = new ArrayList<>();
    String line;
    int number = 0;
    while ((line = reader.readLine()) != null) {
      number++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String[] f = line.split("\\|", -1);
      if (f.length != 9) {
        throw new IllegalStateException(RESOURCE + " line " + number + ": 9 fields expected, found " + f.length);
      }
      meters.add(new Meter(f[0].trim(), f[1].trim(), f[2].trim(), f[3].trim(), f[4].trim(),
          Meter.Kind.valueOf(f[5].trim()), Meter.Period.valueOf(f[6].trim()), Boolean.parseBoolean(f[7].trim()),
          f[8].trim()));
    }
    return meters;
  }
}
