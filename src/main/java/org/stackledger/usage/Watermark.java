package org.stackledger.usage;

import java.time.Instant;
import java.util.List;

/**
 * Which reported hours are closed: every hour that starts before {@link #closedBefore()} holds, in
 * the {@link UsageLog}, every event that was ever acknowledged for it, and no event can land in it
 * any more — so folding it, or shipping it, gives an answer that never changes.
 *
 * <p>The default is the intake's own: the clock's hour, once no batch stamped before it is still on
 * its way to the log ({@link Intake#watermark()}). A log with several partitions written by several
 * intake nodes has one watermark a partition, and the reader takes the {@link #minimum} of them: an
 * hour is closed only when it is closed everywhere.
 */
@FunctionalInterface
public interface Watermark {
  /**
   * An hour boundary; never later than the deployment clock's current hour, and never earlier than an
   * answer given before (a closed hour stays closed).
   */
  Instant closedBefore();

  /** The watermark of a log in partitions: the earliest of theirs. */
  static Watermark minimum(List<? extends Watermark> partitions) {
    if (partitions.isEmpty()) {
      throw new IllegalArgumentException("a log has at least one partition");
    }
    List<Watermark> all = List.copyOf(partitions);
    return () -> {
      Instant min = null;
      for (Watermark w : all) {
        Instant at = w.closedBefore();
        if (min == null || at.isBefore(min)) {
          min = at;
        }
      }
      return min;
    };
  }
}
