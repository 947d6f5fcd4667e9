package org.stackledger.usage;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Jdbi;

/**
 * Folds the usage log into hourly and daily aggregates by reported time, once a period has closed.
 * An hour is folded only when the {@link Watermark} has passed it — the clock has left it and no
 * batch stamped in it is still on its way to the log; a day only when all its hours are folded. Each period is
 * folded once, in one transaction with its marker in {@code usage_folds}, and never touched again:
 * a closed reported window returns the same rows forever, and an event that arrives late lands in
 * the hour it was reported in.
 *
 * <p>Folding runs every minute in the background, and on demand before a usage query reads a
 * period that has closed but is not folded yet, so a query never sees a half-made hour.
 *
 * <p>It reads the raw usage through {@link UsageLog} and learns which hours are closed from the
 * {@link Watermark} alone, so the log may live elsewhere (Kafka, each partition its own watermark);
 * the aggregates it writes are tables of the deployment's database.
 */
public final class Aggregator {
  private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();

  private final Jdbi jdbi;
  private final UsageLog log;
  private final Watermark watermark;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private static final int MAX_REMEMBERED_INSTANCES = 1_000_000;
  private static final int HOURS_PER_TRANSACTION = 24;
  /** Instance keys known to be in usage_instances, so an hour's fold skips the ones it already wrote. */
  private final Set<String> stored = new HashSet<>();
  /** By partition of the log: every hour before this one is folded (or held no usage). */
  private final Instant[] hoursDone;
  /** By partition of the log: every day before this one is folded (or held no usage). */
  private final Instant[] daysDone;
  /** Attempts at a pass whose fold met another process's fold of the same period. */
  private static final int ATTEMPTS = 3;

  /**
   * @param jdbi where the aggregates are written
   * @param log where the raw usage is read
   * @param watermark which reported hours are closed in that log
   */
  public Aggregator(Jdbi jdbi, UsageLog log, Watermark watermark, Clock clock) {
    this.jdbi = jdbi;
    this.log = log;
    this.watermark = watermark;
    this.clock = clock;
    this.hoursDone = new Instant[log.partitions()];
    this.daysDone = new Instant[log.partitions()];
    java.util.Arrays.fill(hoursDone, Instant.EPOCH);
    java.util.Arrays.fill(daysDone, Instant.EPOCH);
  }

  /** The log's partitions, each folded on its own. */
  public int partitions() {
    return hoursDone.length;
  }

  /** Folds every period that has closed by now. */
  public void foldClosed() {
    foldBefore(clock.instant());
  }

  /**
   * Folds every closed hour before {@code until} and every closed day that ends by it, of every
   * partition. Periods the clock has not left yet are not touched.
   */
  public void foldBefore(Instant until) {
    fold(java.util.stream.IntStream.range(0, partitions()).boxed().toList(), until, false);
  }

  /**
   * Folds the closed periods of these partitions of the log (a member of the aggregation group folds the
   * partitions assigned to it). A period another process folds at the same moment is folded once: its
   * marker's key refuses the second, whose transaction then changes nothing, and the pass is taken again
   * with that period found folded. With {@code hoursFirst}, the closed days are left for the next call as
   * soon as another hour closes meanwhile (the aggregation group's members, who are called again within
   * the second); a query's fold never leaves a period it asked for.
   */
  public void fold(java.util.Collection<Integer> partitions, Instant until, boolean hoursFirst) {
    // The clock first: a watermark is never ahead of it, and asking the watermark may wait (the
    // intake's lock) — a query of periods already folded must not.
    Instant now = clock.instant();
    Instant hour = min(until, now).truncatedTo(ChronoUnit.HOURS);
    Instant day = min(until, now).truncatedTo(ChronoUnit.DAYS);
    if (partitions.stream().allMatch(p -> !hoursDone[p].isBefore(hour) && !daysDone[p].isBefore(day))) {
      return;
    }
    lock.lock();
    try {
      Instant closed = min(until, watermark.closedBefore());
      for (int attempt = 1; ; attempt++) {
        try {
          // Every partition's hours before any partition's days: a day is summed again from its 24 hours'
          // batches, and the hour just closed must not wait behind that.
          for (int p : partitions) {
            foldHours(p, closed);
          }
          for (int p : partitions) {
            if (!foldDays(p, closed, hoursFirst ? partitions : List.of())) {
              break;
            }
          }
          return;
        } catch (org.jdbi.v3.core.JdbiException e) {
          if (attempt >= ATTEMPTS || !org.stackledger.store.Database.isUniqueViolation(e)) {
            throw e;
          }
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private void foldHours(int partition, Instant closed) {
    Instant hourLimit = closed.truncatedTo(ChronoUnit.HOURS);
    if (hoursDone[partition].isBefore(hourLimit)) {
      List<Instant> hours = log.reportedHours(partition, hoursDone[partition], hourLimit);
      Set<Instant> folded = folded("H", partition, hoursDone[partition]);
      List<Instant> pending = hours.stream().filter(h -> !folded.contains(h)).toList();
      // Catching up (after downtime, or a simulation) folds up to a day of hours in one
      // transaction: the aggregate tables' pages are then rewritten once for the lot, not per hour.
      for (int from = 0; from < pending.size(); from += HOURS_PER_TRANSACTION) {
        foldHours(partition, pending.subList(from, Math.min(pending.size(), from + HOURS_PER_TRANSACTION)));
      }
      hoursDone[partition] = hourLimit;
    }
  }

  /**
   * Folds the partition's closed days; stops early, answering false, when the clock has closed another
   * hour of these partitions meanwhile: a day takes its 24 hours' batches again (seconds on Kafka), and
   * the hour just closed is folded first, the days on the next pass.
   */
  private boolean foldDays(int partition, Instant closed, java.util.Collection<Integer> partitions) {
    Instant dayLimit = closed.truncatedTo(ChronoUnit.DAYS);
    if (daysDone[partition].isBefore(dayLimit)) {
      Set<Instant> days = new HashSet<>();
      for (Instant hour : log.reportedHours(partition, daysDone[partition], dayLimit)) {
        days.add(hour.truncatedTo(ChronoUnit.DAYS));
      }
      Set<Instant> folded = folded("D", partition, daysDone[partition]);
      for (Instant day : days.stream().sorted().filter(d -> !folded.contains(d)).toList()) {
        if (anotherHourClosed(partitions)) {
          return false;
        }
        foldDay(partition, day);
      }
      daysDone[partition] = dayLimit;
    }
    return true;
  }

  private boolean anotherHourClosed(java.util.Collection<Integer> partitions) {
    Instant hour = clock.instant().truncatedTo(ChronoUnit.HOURS);
    return partitions.stream().anyMatch(p -> hoursDone[p].isBefore(hour));
  }

  /**
   * Every hour of the partition before this one is folded (or held no usage), as far as this process has
   * seen: where a member of the aggregation group has got to.
   */
  public Instant hoursDone(int partition) {
    lock.lock();
    try {
      return hoursDone[partition];
    } finally {
      lock.unlock();
    }
  }

  /**
   * The latest reported time the deployment holds: the latest batch's, or the end of the latest
   * folded period if that is later; empty for a deployment without usage. Usage newly reported
   * before it could land in a period that is closed, and a closed period must never change.
   */
  public java.util.Optional<Instant> closedUntil() {
    Instant last = log.lastReportedAt().orElse(null);
    return jdbi.withHandle(h -> {
      Instant latest = last;
      for (var row : h.createQuery("SELECT granularity, MAX(period_start) FROM usage_folds GROUP BY granularity")
          .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant())).list()) {
        latest = later(latest, row.getValue().plus(1, row.getKey().equals("D") ? ChronoUnit.DAYS : ChronoUnit.HOURS));
      }
      return java.util.Optional.ofNullable(latest);
    });
  }

  private static Instant later(Instant a, Instant b) {
    return a == null ? b : b == null || a.isAfter(b) ? a : b;
  }

  private Set<Instant> folded(String granularity, int partition, Instant from) {
    return new HashSet<>(jdbi.withHandle(h -> h.createQuery("SELECT period_start FROM usage_folds "
            + "WHERE granularity = :g AND log_partition = :p AND period_start >= :from")
        .bind("g", granularity).bind("p", partition).bind("from", utc(from))
        .map((rs, ctx) -> rs.getObject(1, OffsetDateTime.class).toInstant()).list()));
  }

  private record Bucket(String subscriptionId, String meterId, String instanceData) {}

  /** One hour's sums, read from the log: what an hour's fold writes. */
  private record HourSums(Instant hour, Map<Bucket, BigDecimal> sums, long events) {}

  private HourSums sum(int partition, Instant hour) {
    Map<Bucket, BigDecimal> sums = new HashMap<>();
    long[] events = {0};
    log.readHour(partition, hour, batch -> {
      EventCodec.Reader reader = new EventCodec.Reader(batch.events());
      while (reader.hasNext()) {
        UsageEvent e = reader.next();
        sums.merge(new Bucket(e.subscriptionId(), e.meterId(), instanceData(e)), e.quantity(), BigDecimal::add);
        events[0]++;
      }
    });
    return new HourSums(hour, sums, events[0]);
  }

  private void foldHours(int partition, List<Instant> hours) {
    List<HourSums> all = hours.stream().map(hour -> sum(partition, hour)).toList();
    Map<String, String> instances = new HashMap<>();
    all.forEach(hs -> hs.sums().keySet().forEach(b -> instances.computeIfAbsent(b.instanceData(), Aggregator::instanceKey)));
    jdbi.useTransaction(h -> {
      var known = h.prepareBatch("INSERT INTO usage_instances (instance_key, instance_data) SELECT :k, :d "
          + "WHERE NOT EXISTS (SELECT 1 FROM usage_instances WHERE instance_key = :k)");
      int[] added = {0};
      instances.forEach((data, key) -> {
        if (!stored.contains(key)) {
          known.bind("k", key).bind("d", data).add();
          added[0]++;
        }
      });
      if (added[0] > 0) {
        known.execute();
      }
      for (HourSums hs : all) {
        insertPeriod(h, "usage_hourly", "reported_hour", hs.hour(), hs.sums(), instances);
      }
      for (HourSums hs : all) {
        marker(h, "H", hs.hour(), partition, hs.sums().size(), hs.events());
      }
    });
    // Remembered only once committed; bounded, as a cache, since instances come and go.
    if (stored.size() > MAX_REMEMBERED_INSTANCES) {
      stored.clear();
    }
    stored.addAll(instances.values());
  }

  /**
   * A closed day, summed from the log's batches of its 24 reported hours — the same events its hours
   * were folded from, so a day is exactly the sum of its hours, without an hour-first index on the
   * hourly table to read them back by.
   */
  private void foldDay(int partition, Instant day) {
    Map<Bucket, BigDecimal> sums = new HashMap<>();
    long events = 0;
    for (int i = 0; i < 24; i++) {
      HourSums hour = sum(partition, day.plus(i, ChronoUnit.HOURS));
      hour.sums().forEach((b, q) -> sums.merge(b, q, BigDecimal::add));
      events += hour.events();
    }
    Map<String, String> instances = new HashMap<>();
    sums.keySet().forEach(b -> instances.computeIfAbsent(b.instanceData(), Aggregator::instanceKey));
    long total = events;
    jdbi.useTransaction(h -> {
      insertPeriod(h, "usage_daily", "reported_day", day, sums, instances);
      marker(h, "D", day, partition, sums.size(), total);
    });
  }

  /** Writes one row per subscription for the period: its aggregates, sorted by meter and instance. */
  private static void insertPeriod(org.jdbi.v3.core.Handle h, String table, String column, Instant period,
      Map<Bucket, BigDecimal> sums, Map<String, String> instances) {
    Map<String, List<AggregateCodec.Entry>> bySubscription = new java.util.TreeMap<>();
    sums.forEach((b, q) -> bySubscription.computeIfAbsent(b.subscriptionId(), k -> new java.util.ArrayList<>())
        .add(new AggregateCodec.Entry(b.meterId(), instances.get(b.instanceData()), q)));
    if (bySubscription.isEmpty()) {
      return;
    }
    OffsetDateTime at = utc(period);
    var insert = h.prepareBatch("INSERT INTO " + table + " (subscription_id, " + column
        + ", entry_count, aggregates) VALUES (:s, :p, :n, :a)");
    bySubscription.forEach((sub, entries) -> {
      java.util.Collections.sort(entries);
      insert.bind("s", sub).bind("p", at).bind("n", entries.size()).bind("a", AggregateCodec.write(entries)).add();
    });
    insert.execute();
  }

  private void marker(org.jdbi.v3.core.Handle h, String granularity, Instant period, int partition, int rows,
      long events) {
    h.createUpdate("INSERT INTO usage_folds (granularity, period_start, log_partition, folded_at, row_count, "
            + "event_count) VALUES (:g, :p, :partition, :at, :rows, :events)")
        .bind("g", granularity).bind("p", utc(period)).bind("partition", partition).bind("at", utc(clock.instant()))
        .bind("rows", rows).bind("events", events).execute();
  }

  /**
   * The usage APIs' {@code instanceData}: JSON text naming the resource, its location, tags and
   * additional information, exactly as the resource provider reported them.
   */
  static String instanceData(UsageEvent e) {
    StringBuilder b = new StringBuilder(96 + e.resourceUri().length());
    b.append("{\"Microsoft.Resources\":{\"resourceUri\":\"");
    QUOTE.quoteAsString(e.resourceUri(), b);
    b.append("\",\"location\":\"");
    QUOTE.quoteAsString(e.location(), b);
    b.append("\",\"tags\":").append(e.tags() == null ? "null" : e.tags());
    b.append(",\"additionalInfo\":").append(e.additionalInfo() == null ? "null" : e.additionalInfo());
    return b.append("}}").toString();
  }

  /** A short, stable key for an instance: 128 bits of its instanceData's hash, in hex. */
  static String instanceKey(String instanceData) {
    long[] h = new long[2];
    byte[] bytes = instanceData.getBytes(StandardCharsets.UTF_8);
    Fingerprint.hash128(bytes, 0, bytes.length, 0x5ac4_1ed9_e77aL, h);
    return String.format("%016x%016x", h[0], h[1]);
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(java.time.ZoneOffset.UTC);
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}
