package org.stackledger.app;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.stackledger.store.Database;

/**
 * The store and the Prometheus registry, opened on a background thread while the ports bind: each is
 * a few hundred milliseconds of class loading, and doing them side by side keeps start-up short.
 */
final class StoreOpening {
  private final Future<Database> database;
  private final Future<PrometheusMeterRegistry> prometheus;

  private StoreOpening(Future<Database> database, Future<PrometheusMeterRegistry> prometheus) {
    this.database = database;
    this.prometheus = prometheus;
  }

  static StoreOpening begin(ServerOptions options) {
    ExecutorService boot = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "open-store");
      t.setDaemon(true);
      return t;
    });
    Future<Database> opening = boot.submit(() -> {
      ServerOptions.JdbcCredentials credentials = options.jdbcCredentials();
      Database db = options.jdbcUrl() == null ? Database.embedded(options.dataDir())
          : Database.open(options.jdbcUrl(), credentials == null ? null : credentials.user(),
              credentials == null ? null : credentials.password());
      db.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
      return db;
    });
    // Prometheus follows the store on the same thread.
    Future<PrometheusMeterRegistry> scraping = boot.submit(() -> {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      return registry;
    });
    boot.shutdown();
    return new StoreOpening(opening, scraping);
  }

  /** The open store, waiting for it; its opening's failure is thrown as it was. */
  Database database() throws Exception {
    return unwrapped(database);
  }

  PrometheusMeterRegistry prometheus() throws Exception {
    return unwrapped(prometheus);
  }

  /** The store once the opening thread is done, or {@code null} if it failed. */
  Database settled() {
    try {
      return database.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      return null;
    }
  }

  void cancel() {
    database.cancel(true);
  }

  private static <T> T unwrapped(Future<T> future) throws Exception {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }
}
