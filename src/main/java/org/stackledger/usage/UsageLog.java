package org.stackledger.usage;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The durable log between the intake and the aggregator: accepted batches, in order, each stamped
 * with the time it was reported. The intake appends and the aggregator reads by reported hour;
 * neither knows where the log lives. Today it is a table of the deployment's database
 * ({@link JdbcUsageLog}); putting Apache Kafka here (a topic partitioned by subscription) is a new
 * implementation of this interface and of {@link Watermark}, not a change to the API or the
 * aggregator.
 *
 * <p>Nothing here says when a reported hour is complete: that is the {@link Watermark}'s answer,
 * since an appended batch may become readable later than it was stamped (another partition, a
 * commit still in flight).
 */
public interface UsageLog {
  /**
   * One accepted batch: events encoded back to back, and 24 bytes of keys an event; {@code staged}, where
   * its events are on their way when they were {@link #stage staged} (null: with the batch); the
   * {@code partition} of the log it belongs to (each subscription's events are in one partition). A batch
   * appended with events of several partitions has them in {@code parts} (events, staged and partition
   * are then null, null and -1; its keys are its parts' keys in order); a batch read back is always of
   * one partition, a part at a time.
   */
  record Batch(long sequence, Instant reportedAt, int eventCount, byte[] events, byte[] keys, Staged staged,
      int partition, List<Part> parts) {
    /** A batch of a log in one partition whose events are not staged: the log stores them with the batch. */
    public Batch(long sequence, Instant reportedAt, int eventCount, byte[] events, byte[] keys) {
      this(sequence, reportedAt, eventCount, events, keys, null, 0, null);
    }

    /** A batch of one partition. */
    public Batch(long sequence, Instant reportedAt, int eventCount, byte[] events, byte[] keys, Staged staged,
        int partition) {
      this(sequence, reportedAt, eventCount, events, keys, staged, partition, null);
    }

    /** A batch of several partitions' events: one sequence, one row, its parts in partition order. */
    public static Batch of(long sequence, Instant reportedAt, byte[] keys, List<Part> parts) {
      int events = 0;
      for (Part p : parts) {
        events += p.eventCount();
      }
      return new Batch(sequence, reportedAt, events, null, keys, null, -1, List.copyOf(parts));
    }
  }

  /** The events of a batch in one partition of the log: as {@link Batch}'s fields of the same names. */
  record Part(int partition, int eventCount, byte[] events, Staged staged) {}

  /** Staged events on their way to where the log keeps them; {@link #position()} waits until they are there. */
  @FunctionalInterface
  interface Staged {
    /** Where the events are, once durable; throws (a 503) if they did not get there. */
    long position();
  }

  /**
   * How many partitions the log has: a subscription's events all go to the one {@link #partitionOf} names,
   * and the aggregation folds each partition on its own (a member of a group each). One by default.
   */
  default int partitions() {
    return 1;
  }

  /** The partition of a subscription's events: a hash of its id, the same in every process and release. */
  static int partitionOf(String subscriptionId, int partitions) {
    return partitionOfLowerCase(subscriptionId.toLowerCase(java.util.Locale.ROOT), partitions);
  }

  /**
   * {@link #partitionOf} of an id already in lower case, as the intake's checked events carry it: the
   * intake asks for every event, and lowering scans the id each time where its hash is kept.
   */
  static int partitionOfLowerCase(String subscriptionId, int partitions) {
    return partitions == 1 ? 0 : Math.floorMod(subscriptionId.hashCode(), partitions);
  }

  /**
   * Starts putting a batch's events where the log keeps them before anything is decided, so that the
   * decision, which runs one at a time, does not wait for them (a Kafka log: the acknowledgement of
   * every in-sync replica, awaited only when the batch is appended). Returns the events on their way,
   * for {@link Batch#staged()}, or null for a log that stores events with the batch (the default).
   * Staged events that no appended batch comes to name are never read.
   *
   * @param key what the events are kept under: the first 16 bytes of the batch's keys
   */
  default Staged stage(int partition, byte[] key, byte[] events) {
    return null;
  }

  /**
   * Makes the batches durable, all or none (one transaction: the intake's group commit); returns only
   * once they would survive the process being killed.
   */
  void append(List<Batch> batches);

  /**
   * What a writer of a log that several processes append to learns before it decides: the log's last
   * sequence now, the batches the others appended after the sequence it knew (their keys and
   * reported times; {@link Batch#events()} is not read and may be null), and the earliest time it may
   * stamp: the latest hour boundary any writer's watermark has passed ({@link #awaitWriters}), since
   * their clocks differ a little and a batch stamped before it would land in an hour already closed.
   */
  record Catchup(long lastSequence, List<Batch> others, Instant notBefore) {}

  /**
   * Appends what {@code decide} makes of the log as it stands, as its one writer for that moment. A
   * log several intake nodes append to takes a lock all of them share, hands {@code decide} what the
   * others appended since {@code known}, and appends its answer (sequences after
   * {@link Catchup#lastSequence()}) before it lets go; so the same eventId posted to two nodes at
   * once is decided by the second with the first's keys in view. A log with one writer (the default)
   * decides and appends directly.
   */
  default void appendDeciding(long known, java.util.function.Function<Catchup, List<Batch>> decide) {
    List<Batch> batches = decide.apply(new Catchup(known, List.of(), Instant.EPOCH));
    if (!batches.isEmpty()) {
      append(batches);
    }
  }

  /**
   * Whether the log holds this batch: its sequence with its keys. Asked after an append whose outcome
   * was lost with its connection; with several writers, the sequence alone could be another's.
   */
  default boolean holds(Batch batch) {
    return lastSequence() >= batch.sequence();
  }

  /**
   * Returns once every batch another writer of a shared log had stamped before the call is in the log
   * (it takes and releases the writers' lock), and from then on no writer stamps a batch before
   * {@code closing} (an hour boundary the caller is about to call closed), whatever its own clock says;
   * nothing to do with one writer, whose clock never goes back.
   */
  default void awaitWriters(Instant closing) {}

  /** The highest sequence appended, or 0 for an empty log. */
  long lastSequence();

  /** The hours (reported time) in {@code [from, to)} that hold at least one batch, oldest first. */
  List<Instant> reportedHours(Instant from, Instant to);

  /** As {@link #reportedHours(Instant, Instant)}, of one partition's batches. */
  default List<Instant> reportedHours(int partition, Instant from, Instant to) {
    return partition == 0 ? reportedHours(from, to) : List.of();
  }

  /** The batches reported within the hour that starts at {@code hour}, in sequence order. */
  void readHour(Instant hour, Consumer<Batch> sink);

  /** As {@link #readHour(Instant, Consumer)}, of one partition's batches. */
  default void readHour(int partition, Instant hour, Consumer<Batch> sink) {
    if (partition == 0) {
      readHour(hour, sink);
    }
  }

  /**
   * The keys of every batch reported in {@code [from, to)} (whole hours), with the hour each batch
   * was reported in, oldest first: what the intake's idempotency window reloads at start, for the
   * window only, never the whole history.
   */
  void readKeys(Instant from, Instant to, java.util.function.BiConsumer<Instant, byte[]> sink);

  /**
   * Where in a partition of the log's topic the batches reported in {@code [from, to)} end: the offset
   * after the last value they name, or -1 when they name none (or the log has no topic). What a member of
   * the aggregation group commits once it has folded those hours, so that the group's lag counts the
   * values not folded yet.
   */
  default long offsetAfter(int partition, Instant from, Instant to) {
    return -1;
  }

  /** How many events the log holds, every batch counted (each event is in one batch only). */
  long eventCount();

  /** What the log took in one reported hour: its events (distinct, accepted) and the batches they came in. */
  record HourTally(Instant hour, long events, long batches) {}

  /**
   * The tally of every reported hour in {@code [from, to)} that took a batch, in order. By default read
   * from the hours' batches; a log that keeps counts answers from them.
   */
  default List<HourTally> tally(Instant from, Instant to) {
    List<HourTally> out = new java.util.ArrayList<>();
    for (Instant hour : reportedHours(from, to)) {
      long[] n = new long[2];
      readHour(hour, b -> {
        n[0] += b.eventCount();
        n[1]++;
      });
      if (n[1] > 0) {
        out.add(new HourTally(hour, n[0], n[1]));
      }
    }
    return out;
  }

  /** The latest reported time of any batch; empty for an empty log. */
  Optional<Instant> lastReportedAt();
}
