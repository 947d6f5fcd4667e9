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
  /** One accepted batch: events encoded back to back, and 24 bytes of keys an event. */
  record Batch(long sequence, Instant reportedAt, int eventCount, byte[] events, byte[] keys) {}

  /**
   * Makes the batches durable, all or none (one transaction: the intake's group commit); returns only
   * once they would survive the process being killed.
   */
  void append(List<Batch> batches);

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
