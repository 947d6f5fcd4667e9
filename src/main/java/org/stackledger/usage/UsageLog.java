package org.stackledger.usage;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * The durable log between the intake and the aggregator: accepted batches, in order, each stamped
 * with the time it was reported. The intake appends and the aggregator reads by reported hour;
 * neither knows where the log lives. Today it is a table of the deployment's database; putting
 * Apache Kafka here (a topic partitioned by subscription) is a new implementation of this
 * interface, not a change to the API or the aggregator.
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

  /** Every batch's keys, oldest first, to rebuild the intake's index at start. */
  void readKeys(Consumer<byte[]> sink);
}
