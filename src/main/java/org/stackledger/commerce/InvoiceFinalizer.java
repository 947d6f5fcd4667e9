package org.stackledger.commerce;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finalizes draft invoices once their month has been over for the grace period, looking every
 * minute. The grace is read each time, so an operator's change applies at the next look.
 */
public final class InvoiceFinalizer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InvoiceFinalizer.class);
  private final ScheduledExecutorService timer;

  private InvoiceFinalizer(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  public static InvoiceFinalizer start(Commerce commerce, Supplier<Duration> grace) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "invoice-finalizer");
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> {
      try {
        int done = commerce.finalizeDue(grace.get());
        if (done > 0) {
          LOG.info("finalized {} invoice(s) past their grace period", done);
        }
      } catch (RuntimeException e) {
        LOG.warn("finalizing invoices past their grace period failed; next try in a minute", e);
      }
    }, 1, 60, TimeUnit.SECONDS);
    return new InvoiceFinalizer(timer);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
