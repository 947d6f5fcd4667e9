package org.stackledger.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the embedded store's file proportional to its data. H2's MVStore never overwrites a page: every
 * commit appends a chunk, and the chunks whose pages were all replaced become free space that later
 * chunks reuse. Rewriting the live pages of sparse chunks — compaction — is the job of MVStore's
 * background writer, which only runs with a write delay; we commit with {@code WRITE_DELAY=0} so that
 * an acknowledged write is in the file (see {@link Database}), so without this the file only grows: a
 * month of usage left four bytes on disk for each byte of live rows.
 *
 * <p>A daemon thread forces the file to the disk every {@link #PERIOD_MS} ms, then asks the store for
 * the fill rate of its chunks and, while it is below {@link #TARGET_FILL_RATE} percent, compacts the file for at most {@link #COMPACT_MS} ms: the
 * MVStore's {@code compactFile}, which H2 runs at close ({@code MAX_COMPACT_TIME}), moving live pages
 * out of sparse chunks into new ones and the chunks towards the start of the file, then truncating it.
 * Its partial {@code compact(fillRate, bytes)} rewrote nothing under our load (it returned false with
 * the chunks 1% full). Moved pages go into new chunks and the old are freed only after the retention
 * time, so a crash finds either; kill -9 during compaction is tested. The thread is never interrupted: an interrupt during a file write makes H2
 * close the database.
 */
final class H2Housekeeping implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(H2Housekeeping.class);
  static final long PERIOD_MS = 1_000;
  /**
   * How long a chunk no longer used stays untouched before its space is written again: longer than a
   * round, so the chunks that replaced it have been forced to the disk (each round syncs first) and a
   * power failure finds a consistent file. H2's default, 45 s, assumes nobody syncs; at the pace usage
   * arrives in a benchmark it kept most of the file as superseded chunks.
   */
  static final int RETENTION_MS = 5_000;
  static final int TARGET_FILL_RATE = 90;
  /** The time a round may spend moving live pages (H2's {@code MAX_COMPACT_TIME} at close is 200 ms too). */
  static final int COMPACT_MS = 200;

  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "stackledger:h2-compaction");
    t.setDaemon(true);
    return t;
  });
  /** At most one line a minute says compaction ran, and how often since the last one. */
  private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

  private final MVStore store;
  private int compactedSinceLog;
  private long loggedAt;

  private H2Housekeeping(MVStore store) {
    this.store = store;
  }

  /** Starts compacting the store behind {@code dataSource} (an embedded H2 database). */
  static H2Housekeeping start(DataSource dataSource) {
    MVStore store;
    try (Connection c = dataSource.getConnection()) {
      store = ((SessionLocal) c.unwrap(JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot reach the embedded store's MVStore", e);
    }
    H2Housekeeping h = new H2Housekeeping(store);
    h.thread.scheduleWithFixedDelay(h::round, PERIOD_MS, PERIOD_MS, TimeUnit.MILLISECONDS);
    return h;
  }

  /** One round: rewrite sparse chunks while the store is below its target fill rate. */
  void round() {
    try {
      if (store.isClosed()) {
        return;
      }
      store.sync();
      if (store.getFileStore().getChunksFillRate() < TARGET_FILL_RATE) {
        store.compactFile(COMPACT_MS);
        compactedSinceLog++;
        long now = System.nanoTime();
        if (loggedAt == 0 || now - loggedAt >= LOG_EVERY_NANOS) {
          LOG.info("compacted the embedded store {} time(s) since the last report: chunks {}% full, file {} bytes",
              compactedSinceLog, store.getFileStore().getChunksFillRate(), store.getFileStore().size());
          compactedSinceLog = 0;
          loggedAt = now;
        }
      }
    } catch (RuntimeException e) {
      // The store closing under us, or a write that failed (a full disk): the next round tries again.
      LOG.debug("compacting the embedded store failed; will try again", e);
    }
  }

  @Override
  public void close() {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("compaction of the embedded store did not finish within 30 s of closing");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
