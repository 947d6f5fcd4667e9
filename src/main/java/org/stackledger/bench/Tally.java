package org.stackledger.bench;

import java.util.function.Consumer;

/**
 * How much of a benchmark's work is done, as lines for a person to watch: the stage it is in and the
 * events or records done of all the run will do, warm-up included, e.g.
 * {@code "round 2 of 3, HTTPS: 1,450,000 of 4,400,000 records"}.
 */
final class Tally {
  private final Consumer<String> progress;
  private final long total;
  private final String unit;
  private long done;

  Tally(Consumer<String> progress, long total, String unit) {
    this.progress = progress;
    this.total = total;
    this.unit = unit;
  }

  /** Where a stage is: {@code doneInStage} units of it done on top of the stages finished before. */
  void at(String stage, long doneInStage) {
    progress.accept(String.format("%s: %,d of %,d %s", stage, done + doneInStage, total, unit));
  }

  /** A stage is over with {@code units} done: its last line, then the next stage counts on from there. */
  void finished(String stage, long units) {
    at(stage, units);
    done += units;
  }
}
