package org.stackledger.usage;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * A usage log in memory: a second, complete implementation of {@link UsageLog}, so that tests show the
 * intake and the aggregator work over any log, not only the database's table. It also counts the
 * keys read back, which is what a restart costs.
 */
final class MemoryUsageLog implements UsageLog {
  private final List<Batch> batches = new ArrayList<>();
  private long keysRead;

  @Override
  public synchronized void append(List<Batch> more) {
    batches.addAll(more);
  }

  @Override
  public synchronized long lastSequence() {
    return batches.isEmpty() ? 0 : batches.get(batches.size() - 1).sequence();
  }

  @Override
  public synchronized List<Instant> reportedHours(Instant from, Instant to) {
    TreeSet<Instant> hours = new TreeSet<>();
    for (Batch b : batches) {
      Instant hour = b.reportedAt().truncatedTo(ChronoUnit.HOURS);
      if (!hour.isBefore(from) && hour.isBefore(to)) {
        hours.add(hour);
      }
    }
    return List.copyOf(hours);
  }

  @Override
  public void readHour(Instant hour, Consumer<Batch> sink) {
    snapshot().stream().filter(b -> b.reportedAt().truncatedTo(ChronoUnit.HOURS).equals(hour)).forEach(sink);
  }

  @Override
  public void readKeys(Instant from, Instant to, java.util.function.BiConsumer<Instant, byte[]> sink) {
    for (Batch b : snapshot()) {
      Instant hour = b.reportedAt().truncatedTo(ChronoUnit.HOURS);
      if (!hour.isBefore(from) && hour.isBefore(to)) {
        synchronized (this) {
          keysRead += b.eventCount();
        }
        sink.accept(hour, b.keys());
      }
    }
  }

  @Override
  public synchronized long eventCount() {
    return batches.stream().mapToLong(Batch::eventCount).sum();
  }

  @Override
  public synchronized Optional<Instant> lastReportedAt() {
    return batches.stream().map(Batch::reportedAt).max(Instant::compareTo);
  }

  /** Keys read back so far (by every intake that opened over this log). */
  synchronized long keysRead() {
    return keysRead;
  }

  private synchronized List<Batch> snapshot() {
    return List.copyOf(batches);
  }
}
