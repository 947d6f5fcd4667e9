package org.stackledger.usage;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import org.stackledger.kafka.PartitionOwner;
import org.stackledger.kafka.KafkaSettings;

/**
 * The aggregation of a usage log on Kafka, run as a consumer group over the log's topic: each partition
 * is folded by the one member the group assigns it to, and a member that dies has its partitions moved
 * to the others within the group's session timeout. Each member looks five times a second for hours of its
 * partitions that have closed, folds them, and commits to the group, for each partition, the offset after
 * the last value of the hours folded — so the group's lag is the partition's values not folded yet (the
 * current hour's, and values a failed append left that no batch names).
 *
 * <p>Exactly once: a period of a partition is folded in one transaction with its marker, whose key
 * (granularity, period, partition) refuses a second fold of it — by a member that still worked on a
 * partition the group had already moved, or by a query folding on demand ({@link Aggregator#fold}).
 */
public final class AggregationGroup implements AutoCloseable {
  /** The group's name after the topic prefix. */
  public static final String GROUP = "aggregation";
  /** How often a member looks for closed hours: what the latency from an hour's end to its fold waits at most. */
  static final Duration EVERY = Duration.ofMillis(200);

  private final PartitionOwner member;

  private AggregationGroup(PartitionOwner member) {
    this.member = member;
  }

  /**
   * Joins the aggregation group of the usage log's topic ({@code name}, with the settings' prefix) and
   * starts folding the partitions assigned.
   */
  public static AggregationGroup join(Usage usage, KafkaSettings settings, String name, Clock clock) {
    Aggregator aggregator = usage.aggregator();
    UsageLog log = usage.log();
    // Per partition: the hour up to which its folded values' offset was last committed.
    Map<Integer, Instant> committed = new HashMap<>();
    return new AggregationGroup(PartitionOwner.start(settings, name, GROUP, EVERY, partitions -> {
      aggregator.fold(partitions, clock.instant(), true);
      Map<Integer, Long> offsets = new HashMap<>();
      for (int p : partitions) {
        Instant done = aggregator.hoursDone(p);
        // The hours folded since the last commit; after a start, the last day's (older hours' values
        // lie before them in the partition).
        Instant from = committed.getOrDefault(p, done.minus(1, ChronoUnit.DAYS));
        if (from.isBefore(done)) {
          long offset = log.offsetAfter(p, from, done);
          if (offset >= 0) {
            offsets.put(p, offset);
          }
          committed.put(p, done);
        }
      }
      return offsets;
    }));
  }

  /** The partitions this member folds now. */
  public java.util.Set<Integer> assigned() {
    return member.assigned();
  }

  /** Leaves the group: its partitions go to the other members. */
  @Override
  public void close() {
    member.close();
  }
}
