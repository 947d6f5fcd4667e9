package org.stackledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.stackledger.simulate.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.stackledger.app.EndpointRole;
import org.stackledger.http.Json;
import org.stackledger.meters.Meter;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.usage.UsageEvent;
import org.stackledger.usage.UsageIntake;

/**
 * {@code stackledger bench query}: fills a fresh deployment with a month of usage (the same
 * resources every hour, reported an hour later, on a clock the benchmark moves), folds it, then
 * times the two usage API calls the issue names over HTTPS: a tenant's 30 days hourly (first page
 * of 1,000) and the provider's one day daily over all subscribers (first page).
 */
public final class QueryRun {
  /** What to run. */
  public record Settings(String jdbcUrl, long events, int subscriptions, int days, int queries, long seed) {}

  private QueryRun() {}

  /**
   * Runs the benchmark: results on {@code out}, and {@code progress} hears the events stored of the
   * total, then the timed calls made, as lines for a person to watch.
   */
  public static void run(Settings s, PrintWriter out, Consumer<String> progress) throws Exception {
    progress.accept("starting a throw-away deployment");
    Instant end = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(1, ChronoUnit.DAYS);
    Instant start = end.minus(s.days(), ChronoUnit.DAYS);
    SettableClock clock = new SettableClock(start);
    try (BenchDeployment d = BenchDeployment.start(s.jdbcUrl(), clock)) {
      List<String> subs = d.subscriptions(s.subscriptions());
      List<String> meters = MeterCatalogue.standard().all().stream().filter(m -> !m.deprecated()).map(Meter::id).toList();
      int hours = s.days() * 24;
      int perHour = (int) Math.max(1, s.events() / hours);
      UsageIntake intake = d.app.usage().intake();
      Random random = new Random(s.seed());
      long sent = 0;
      Tally filling = new Tally(progress, (long) perHour * hours, "events");
      long t0 = System.nanoTime();
      for (int h = 0; h < hours; h++) {
        filling.at("filling the store, hour " + (h + 1) + " of " + hours, (long) perHour * h);
        Instant hour = start.plus(h, ChronoUnit.HOURS);
        clock.set(hour.plus(62, ChronoUnit.MINUTES));
        sent += sendHour(intake, s.seed(), h, hour, perHour, subs, meters, random);
      }
      double ingest = (System.nanoTime() - t0) / 1e9;
      clock.set(end.plus(1, ChronoUnit.HOURS));
      progress.accept("folding the month");
      long f0 = System.nanoTime();
      d.app.usage().aggregator().foldClosed();
      double fold = (System.nanoTime() - f0) / 1e9;
      d.signOut();
      out.printf("engine %s: %,d raw events over %d days (%d subscriptions, %,d an hour) ingested in %.1f s, "
          + "folded in %.1f s; data folder %,d MB%n", d.app.database().engine(), sent, s.days(), subs.size(), perHour,
          ingest, fold, size(d.dataDir) / (1024 * 1024));
      String tenantBase = d.app.url(EndpointRole.STACK_TENANT_ARM).replaceAll("/$", "");
      String adminBase = d.app.url(EndpointRole.STACK_ADMIN_ARM).replaceAll("/$", "");
      String tenantToken = d.token(EndpointRole.STACK_TENANT_ARM);
      String adminToken = d.token(EndpointRole.STACK_ADMIN_ARM);
      Random pick = new Random(s.seed() + 1);
      Timing tenant = time(d, s.queries(), progress, "timing the tenant query", () -> URI.create(tenantBase + "/subscriptions/" + subs.get(pick.nextInt(subs.size()))
          + "/providers/Microsoft.Commerce/usageAggregates?api-version=2015-06-01-preview&reportedStartTime="
          + end.minus(30, ChronoUnit.DAYS) + "&reportedEndTime=" + end + "&aggregationGranularity=Hourly"), tenantToken);
      Timing provider = time(d, s.queries(), progress, "timing the provider query", () -> {
        Instant day = start.plus(pick.nextInt(s.days()), ChronoUnit.DAYS);
        return URI.create(adminBase + "/subscriptions/" + d.app.operatorSubscriptionId()
            + "/providers/Microsoft.Commerce.Admin/subscriberUsageAggregates?api-version=2015-06-01-preview"
            + "&reportedStartTime=" + day + "&reportedEndTime=" + day.plus(1, ChronoUnit.DAYS)
            + "&aggregationGranularity=Daily");
      }, adminToken);
      out.printf("tenant query (one subscription, 30 days, Hourly, first page): %s%n", tenant);
      out.printf("provider query (all subscribers, one day, Daily, first page): %s%n", provider);
      out.flush();
    }
  }

  /**
   * One hour of usage of the same resources every hour through the intake, in batches of 1,000:
   * instance j's subscription, meter and VM follow from j. Answers the events accepted.
   */
  static long sendHour(UsageIntake intake, long seed, int h, Instant hour, int perHour, List<String> subs,
      List<String> meters, Random random) {
    long sent = 0;
    List<UsageEvent> batch = new ArrayList<>(1000);
    for (int j = 0; j < perHour; j++) {
      String sub = subs.get(j % subs.size());
      int k = j / subs.size();
      batch.add(new UsageEvent(new UUID(seed ^ ((long) h << 32), j).toString(), sub,
          meters.get(k % meters.size()), BigDecimal.valueOf(random.nextInt(1_000_000), 4), hour,
          hour.plus(1, ChronoUnit.HOURS), "/subscriptions/" + sub + "/resourceGroups/rg/providers/"
              + "Microsoft.Compute/virtualMachines/vm" + (k / meters.size()), "local", null, null));
      if (batch.size() == 1000) {
        sent += intake.accept(batch).accepted();
        batch = new ArrayList<>(1000);
      }
    }
    if (!batch.isEmpty()) {
      sent += intake.accept(batch).accepted();
    }
    return sent;
  }

  /** Latencies of one query shape, in milliseconds, and the rows a page carried. */
  record Timing(double[] millis, int rows) {
    double percentile(double p) {
      return percentileOf(millis, p);
    }

    @Override
    public String toString() {
      return String.format("p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms over %d calls, %d rows a page",
          percentile(50), percentile(95), percentile(99), percentile(100), millis.length, rows);
    }
  }

  /** The {@code p}th percentile (nearest rank) of the times. */
  static double percentileOf(double[] millis, double p) {
    double[] sorted = millis.clone();
    Arrays.sort(sorted);
    return sorted[Math.min(sorted.length - 1, Math.max(0, (int) Math.ceil(p / 100 * sorted.length) - 1))];
  }

  private static Timing time(BenchDeployment d, int queries, Consumer<String> progress, String stage,
      java.util.function.Supplier<URI> next, String token) throws Exception {
    int warm = Math.max(10, queries / 10);
    double[] millis = new double[queries];
    int rows = 0;
    for (int i = -warm; i < queries; i++) {
      // Outside the timed stretch, which is the send alone.
      progress.accept(String.format("%s: call %,d of %,d (after %,d warm-up)", stage, Math.max(0, i + 1), queries, warm));
      HttpRequest request = HttpRequest.newBuilder(next.get()).header("Authorization", "Bearer " + token).GET().build();
      long t = System.nanoTime();
      HttpResponse<byte[]> r = d.http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      double ms = (System.nanoTime() - t) / 1e6;
      if (r.statusCode() != 200) {
        throw new IllegalStateException("usage query answered " + r.statusCode() + ": " + new String(r.body()));
      }
      if (i >= 0) {
        millis[i] = ms;
        if (i == 0) {
          JsonNode page = Json.MAPPER.readTree(r.body());
          rows = page.path("value").size();
        }
      }
    }
    return new Timing(millis, rows);
  }

  private static long size(Path dir) throws java.io.IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
