package org.stackledger.bench;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.stackledger.app.EndpointRole;
import org.stackledger.http.Json;
import org.stackledger.meters.Meter;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.store.Database;
import org.stackledger.usage.Usage;
import org.stackledger.usage.UsageEvent;

/**
 * {@code stackledger bench startup}: how long a deployment that holds {@code events} usage events
 * takes to serve again after a restart, and to be correct — a batch it took before the restart, sent
 * again, counted as duplicates, not accepted twice.
 *
 * <p>A real deployment takes one batch through its intake; then, stopped, its log is filled with the
 * history: rows as the intake writes them, reported evenly over {@code days} days before it, each
 * holding that deployment batch's stored events (real encoded events, so the store's size is real) and
 * random keys of its own, and every filled hour and day marked folded as the aggregator leaves a
 * history it has caught up with. Filling is not timed as the product's work; the restart is: from
 * {@code Stackledger.start} until the provider usage API answers over HTTPS, then until the deployment
 * batch, posted again, is answered with every event a duplicate.
 */
public final class StartupRun {
  /** What to run. */
  public record Settings(String jdbcUrl, long events, int days, int batchSize, long seed) {}

  private static final String USAGE_API = "api-version=2015-06-01-preview";

  private StartupRun() {}

  public static void run(Settings s, PrintWriter out, Consumer<String> progress) throws Exception {
    progress.accept("starting a throw-away deployment");
    BenchDeployment deployment = BenchDeployment.start(s.jdbcUrl(), Clock.systemUTC());
    try {
      Database.Engine engine = deployment.app.database().engine();
      List<String> subs = deployment.subscriptions(3);
      List<String> meters = MeterCatalogue.standard().all().stream().filter(m -> !m.deprecated()).map(Meter::id).toList();
      Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
      List<UsageEvent> taken = IntakeBenchmark.batches(s.seed(), 1, s.batchSize(), subs, meters, hour).get(0);
      var receipt = deployment.app.usage().intake().accept(taken);
      if (receipt.accepted() != taken.size()) {
        throw new IllegalStateException("the deployment batch was not taken whole: " + receipt);
      }
      byte[] payload = storedEvents(deployment.app.database(), receipt.reportedTime());
      deployment.stop();

      long t0 = System.nanoTime();
      Instant end = receipt.reportedTime().truncatedTo(ChronoUnit.HOURS);
      try (Database db = s.jdbcUrl() == null ? Database.embedded(deployment.dataDir) : Database.open(s.jdbcUrl(), null, null)) {
        fill(db, end.minus(s.days(), ChronoUnit.DAYS), end, payload, s, progress);
      }
      out.printf("engine %s, %s; %,d events filled over %d days before the restart (batches of %,d, each %,d bytes "
              + "of events) in %.1f s; data folder %,d MB%n", engine, Runtime.version(), s.events(), s.days(),
          s.batchSize(), payload.length, (System.nanoTime() - t0) / 1e9, IdempotencyRun.size(deployment.dataDir) >> 20);
      out.flush();

      progress.accept("restarting");
      long start = System.nanoTime();
      deployment.startAgain();
      double started = (System.nanoTime() - start) / 1e9;
      String provider = "/subscriptions/" + deployment.app.operatorSubscriptionId()
          + "/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates?" + USAGE_API + "&reportedStartTime="
          + end.minus(1, ChronoUnit.DAYS) + "&reportedEndTime=" + end + "&aggregationGranularity=Hourly";
      deployment.call(EndpointRole.STACK_ADMIN_ARM, "GET", provider, null);
      double serving = (System.nanoTime() - start) / 1e9;
      HttpResponse<String> resent = deployment.http.send(HttpRequest.newBuilder(URI.create(
              deployment.app.url(EndpointRole.STACK_ADMIN_ARM).replaceAll("/$", "")
                  + "/providers/Stackledger.Usage/usageEvents?api-version=2026-11-01"))
          .header("Authorization", "Bearer " + deployment.token(EndpointRole.STACK_ADMIN_ARM))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(UsageEvent.toJson(taken))).build(),
          HttpResponse.BodyHandlers.ofString());
      double correct = (System.nanoTime() - start) / 1e9;
      var answer = Json.MAPPER.readTree(resent.body());
      boolean refused = resent.statusCode() == 200 && answer.path("accepted").asLong(-1) == 0
          && answer.path("duplicates").asLong(-1) == taken.size();
      out.printf("restart with %,d events stored: started in %.2f s, provider usage API answered at %.2f s, the batch "
              + "taken before the restart sent again at %.2f s: %s; %,d events in the idempotency window%n",
          s.events() + taken.size(), started, serving, correct, refused ? "every event a duplicate, none accepted"
              : "WRONG: " + resent.statusCode() + " " + resent.body(), deployment.app.usage().intake() instanceof
              org.stackledger.usage.Intake i ? i.eventsInMemory() : -1);
      out.flush();
      if (!refused) {
        throw new IllegalStateException("the re-sent batch was not recognised after the restart: " + resent.body());
      }
    } finally {
      deployment.close();
    }
  }

  /** The stored form of the one batch the deployment took: what every filled row holds. */
  private static byte[] storedEvents(Database db, Instant reported) {
    List<byte[]> found = new ArrayList<>();
    Usage.jdbcLog(db.jdbi()).readHour(reported.truncatedTo(ChronoUnit.HOURS), b -> found.add(b.events()));
    return found.get(0);
  }

  /**
   * Appends the history (see {@link IdempotencyRun#fill}), then marks its hours and days folded: a
   * deployment that ran through them folded each as it closed.
   */
  private static void fill(Database db, Instant from, Instant to, byte[] payload, Settings s, Consumer<String> progress) {
    var hours = IdempotencyRun.fill(Usage.jdbcLog(db.jdbi()), from, to, s.events(), s.batchSize(), payload, s.seed(),
        progress);
    // The day of the restart is still open: only the days before it were folded.
    TreeSet<Instant> days = new TreeSet<>();
    hours.forEach(h -> days.add(h.truncatedTo(ChronoUnit.DAYS)));
    days.removeIf(d -> !d.isBefore(to.truncatedTo(ChronoUnit.DAYS)));
    db.jdbi().useTransaction(h -> {
      var folded = h.prepareBatch("INSERT INTO usage_folds (granularity, period_start, folded_at, row_count, "
          + "event_count) VALUES (:g, :p, :at, 0, 0)");
      hours.forEach(p -> folded.bind("g", "H").bind("p", p.atOffset(ZoneOffset.UTC)).bind("at", to.atOffset(ZoneOffset.UTC)).add());
      days.forEach(p -> folded.bind("g", "D").bind("p", p.atOffset(ZoneOffset.UTC)).bind("at", to.atOffset(ZoneOffset.UTC)).add());
      folded.execute();
    });
  }
}
