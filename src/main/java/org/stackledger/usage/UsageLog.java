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
   * its events already are when they were {@link #stage staged} (null: with the batch).
   */
  record Batch(long sequence, Instant reportedAt, int eventCount, byte[] events, byte[] keys, Long staged) {
    /** A batch whose events are not staged: the log stores them with the batch. */
    public Batch(long sequence, Instant reportedAt, int eventCount, byte[] events, byte[] keys) {
      this(sequence, reportedAt, eventCount, events, keys, null);
    }
  }

  /**
   * Puts a batch's events where the log keeps them before anything is decided, so that the decision,
   * which runs one at a time, does not wait for them (a Kafka log: the acknowledgement of every in-sync
   * replica). Returns where they are, for {@link Batch#staged()}, or null for a log that stores events
   * with the batch (the default). Staged events that no appended batch comes to name are never read.
   *
   * @param key what the events are kept under: the first 16 bytes of the batch's keys
   */
  default Long stage(byte[] key, byte[] events) {
    return null;
  }

  /**
   * Makes the batches durable, all or none (one transaction: the intake's group commit); returns only
   * once they would survive the process being killed.
   */
  void append(List<Batch> batches);

  /**
   * What a writer of a log that several processes append to learns before it decides: the log's last
   * sequence now, and the batches the others appended after the sequence it knew (their keys and
   * reported times; {@link Batch#events()} is not read and may be null).
   */
  record Catchup(long lastSequence, List<Batch> others) {}

  /**
   * Appends what {@code decide} makes of the log as it stands, as its one writer for that moment. A
   * log several intake nodes append to takes a lock all of them share, hands {@code decide} what the
   * others appended since {@code known}, and appends its answer (sequences after
   * {@link Catchup#lastSequence()}) before it lets go; so the same eventId posted to two nodes at
   * once is decided by the second with the first's keys in view. A log with one writer (the default)
   * decides and appends directly.
   */
  default void appendDeciding(long known, java.util.function.Function<Catchup, List<Batch>> decide) {
    List<Batch> batches = decide.apply(new Catchup(known, List.of()));
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
   * (it takes and releases the writers' lock); nothing to wait for with one writer.
   */
  default void awaitWriters() {}

  /** The highest sequence appended, or 0 for an empty log. */
  long lastSequence();

  /** The hours (reported time) in {@code [from, to)} that hold at least one batch, oldest first. */
  List<Instant> reportedHours(Instant from, Instant to);

  /** The batches reported within the hour that starts at {@code hour}, in sequence order. */
  void readHour(Instant hour, Consumer<Batch> sink);

  /**
   * The keys of every batch reported in {@code [from, to)} (whole hours), with the hour each batch
   * was reported in, oldest first: what the intake's idempotency window reloads at start, for the
   * window only, never the whole history.
   */
  void readKeys(Instant from, Instant to, java.util.function.BiConsumer<Instant, byte[]> sink);

  /** How many events the log holds, every batch counted (each event is in one batch only). */
  long eventCount();

  /** The latest reported time of any batch; empty for an empty log. */
  Optional<Instant> lastReportedAt();
}
