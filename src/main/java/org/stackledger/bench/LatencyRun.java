package org.stackledger.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.meters.Meter;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.simulate.SettableClock;
import org.stackledger.usage.UsageEvent;
import org.stackledger.usage.UsageIntake;
import org.stackledger.usage.UsageLog;

/**
 * {@code stackledger bench latency --kafka …}: how long after its hour closes a reported hour is folded
 * and visible, with the usage log on Kafka and its aggregation a consumer group (this process its one
 * member). Each hour, on a clock the benchmark moves, takes {@code batches} batches through the
 * in-process intake; then the clock leaves the hour and the benchmark watches the store until the hour's
 * marker is there for every partition its events went to. An event acknowledged in an hour cannot be
 * folded before the hour ends (a closed hour never changes), so the latency of every event of the hour
 * is the time from the later of its acknowledgement and the hour's end to the fold: measured here from the
 * clock's move, which follows the hour's last acknowledgement. Prints the percentiles over the hours.
 */
public final class LatencyRun {
  /** What to run. */
  public record Settings(String jdbcUrl, int hours, int batches, int batchSize, int subscriptions, long seed,
      org.stackledger.kafka.KafkaSettings kafka) {}

  private static final Duration PATIENCE = Duration.ofMinutes(2);

  private LatencyRun() {}

  public static void run(Settings s, PrintWriter out, Consumer<String> progress) throws Exception {
    progress.accept("starting a throw-away deployment");
    Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(s.hours() + 2L, ChronoUnit.HOURS);
    SettableClock clock = new SettableClock(start);
    try (BenchDeployment d = BenchDeployment.start(s.jdbcUrl(), clock, s.kafka())) {
      out.printf("engine %s, usage log on Kafka at %s (topics %s*), %d hours of %d batches of %d events, "
              + "%d subscriptions, %s%n", d.app.database().engine(), s.kafka().bootstrap(), s.kafka().topicPrefix(),
          s.hours(), s.batches(), s.batchSize(), s.subscriptions(), Runtime.version());
      List<String> subs = d.subscriptions(s.subscriptions());
      List<String> meters = MeterCatalogue.standard().all().stream().filter(m -> !m.deprecated()).map(Meter::id).toList();
      UsageIntake intake = d.app.usage().intake();
      Jdbi jdbi = d.app.database().jdbi();
      int logPartitions = d.app.usage().aggregator().partitions();
      List<Double> millis = new ArrayList<>();
      long seed = s.seed();
      // One hour more than measured, first: the JIT, the pools and the group's first assignment.
      for (int h = -1; h < s.hours(); h++) {
        Instant hour = start.plus(h + 1L, ChronoUnit.HOURS);
        clock.set(hour.plus(Duration.ofMinutes(30)));
        // The partitions the hour's events go to: each must show the hour folded.
        Set<Integer> partitions = new HashSet<>();
        for (List<UsageEvent> batch : IntakeBenchmark.batches(seed++, s.batches(), s.batchSize(), subs, meters,
            hour.minus(1, ChronoUnit.HOURS))) {
          intake.accept(batch);
          batch.forEach(e -> partitions.add(UsageLog.partitionOf(e.subscriptionId(), logPartitions)));
        }
        clock.set(hour.plus(1, ChronoUnit.HOURS));
        long closed = System.nanoTime();
        long deadline = closed + PATIENCE.toNanos();
        while (!foldedIn(jdbi, hour).containsAll(partitions)) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException("the hour " + hour + " was not folded within " + PATIENCE);
          }
          Thread.sleep(2);
        }
        double ms = (System.nanoTime() - closed) / 1e6;
        if (h >= 0) {
          millis.add(ms);
          progress.accept(String.format("hour %d of %d: folded %.0f ms after it closed (%d partitions)", h + 1,
              s.hours(), ms, partitions.size()));
        }
      }
      Collections.sort(millis);
      out.printf("from an hour's close to its fold visible, over %d hours: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
          millis.size(), percentile(millis, 0.50), percentile(millis, 0.99), millis.get(millis.size() - 1));
    }
  }

  /** The value at a fraction of a sorted list (nearest rank). */
  static double percentile(List<Double> sorted, double fraction) {
    int rank = (int) Math.ceil(fraction * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  private static Set<Integer> foldedIn(Jdbi jdbi, Instant hour) {
    return new HashSet<>(jdbi.withHandle(h -> h.createQuery("SELECT log_partition FROM usage_folds "
        + "WHERE granularity = 'H' AND period_start = :hour").bind("hour", OffsetDateTime.ofInstant(hour,
        ZoneOffset.UTC)).mapTo(Integer.class).list()));
  }
}
