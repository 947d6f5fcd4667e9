package org.stackledger.bench;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.stackledger.app.EndpointRole;
import org.stackledger.meters.Meter;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.usage.UsageEvent;

/**
 * {@code stackledger bench intake}: HTTP batch intake, in-process intake and a plain JDBC batch
 * insert of the same kind of rows into the same engine, each on fresh events, a few rounds each,
 * after a warm-up. Prints one line a round and the medians, with the intake/plain ratios.
 */
public final class IntakeRun {
  /** What to run. */
  public record Settings(String jdbcUrl, long events, int batchSize, int clients, int threads, int subscriptions,
      int rounds, long seed) {}

  private IntakeRun() {}

  /**
   * Runs the benchmark: results on {@code out}, and {@code progress} hears the events done of the run's
   * total (warm-up included) as lines for a person to watch.
   */
  public static void run(Settings s, PrintWriter out, Consumer<String> progress) throws Exception {
    progress.accept("starting a throw-away deployment");
    try (BenchDeployment d = BenchDeployment.start(s.jdbcUrl(), Clock.systemUTC())) {
      out.printf("engine %s, %d subscriptions, batches of %d, %d HTTP clients, %d in-process threads, %s%n",
          d.app.database().engine(), s.subscriptions(), s.batchSize(), s.clients(), s.threads(), Runtime.version());
      List<String> subs = d.subscriptions(s.subscriptions());
      List<String> meters = MeterCatalogue.standard().all().stream().filter(m -> !m.deprecated()).map(Meter::id).toList();
      Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
      URI intake = URI.create(d.app.url(EndpointRole.STACK_ADMIN_ARM).replaceAll("/$", "")
          + "/providers/Stackledger.Usage/usageEvents?api-version=2026-11-01");
      String token = d.token(EndpointRole.STACK_ADMIN_ARM);
      int batches = (int) (s.events() / s.batchSize());
      long seed = s.seed();
      // Warm-up: the JIT, the connection pools and the index, on a full round's load, not counted.
      int warm = batches;
      Tally tally = new Tally(progress, 3L * (s.rounds() + 1) * batches * s.batchSize(), "events");
      IntakeBenchmark.http(d.http, intake, token, bodies(IntakeBenchmark.batches(seed++, warm, s.batchSize(), subs, meters, hour)),
          s.batchSize(), s.clients(), watch(tally, "warm-up, HTTP", s.batchSize()));
      tally.finished("warm-up, HTTP", (long) warm * s.batchSize());
      IntakeBenchmark.intake(d.app.usage().intake(), IntakeBenchmark.batches(seed++, warm, s.batchSize(), subs, meters, hour),
          s.threads(), watch(tally, "warm-up, in-process", s.batchSize()));
      tally.finished("warm-up, in-process", (long) warm * s.batchSize());
      IntakeBenchmark.plainInsert(d.app.database(), IntakeBenchmark.batches(seed++, warm, s.batchSize(), subs, meters, hour),
          s.threads(), watch(tally, "warm-up, plain insert", s.batchSize()));
      tally.finished("warm-up, plain insert", (long) warm * s.batchSize());
      List<Double> http = new ArrayList<>();
      List<Double> library = new ArrayList<>();
      List<Double> plain = new ArrayList<>();
      for (int round = 1; round <= s.rounds(); round++) {
        String of = "round " + round + " of " + s.rounds();
        long perPath = (long) batches * s.batchSize();
        List<byte[]> bodies = bodies(IntakeBenchmark.batches(seed++, batches, s.batchSize(), subs, meters, hour));
        IntakeBenchmark.Result h = IntakeBenchmark.http(d.http, intake, token, bodies, s.batchSize(), s.clients(),
            watch(tally, of + ", HTTP", s.batchSize()));
        tally.finished(of + ", HTTP", perPath);
        bodies = null;
        IntakeBenchmark.Result l = IntakeBenchmark.intake(d.app.usage().intake(),
            IntakeBenchmark.batches(seed++, batches, s.batchSize(), subs, meters, hour), s.threads(),
            watch(tally, of + ", in-process", s.batchSize()));
        tally.finished(of + ", in-process", perPath);
        IntakeBenchmark.Result p = IntakeBenchmark.plainInsert(d.app.database(),
            IntakeBenchmark.batches(seed++, batches, s.batchSize(), subs, meters, hour), s.threads(),
            watch(tally, of + ", plain insert", s.batchSize()));
        tally.finished(of + ", plain insert", perPath);
        http.add(h.eventsPerSecond());
        library.add(l.eventsPerSecond());
        plain.add(p.eventsPerSecond());
        out.printf("round %d: HTTP %,.0f events/s, in-process %,.0f events/s, plain insert %,.0f rows/s "
            + "(%,d events each)%n", round, h.eventsPerSecond(), l.eventsPerSecond(), p.eventsPerSecond(), h.events());
        out.flush();
      }
      double mh = median(http);
      double ml = median(library);
      double mp = median(plain);
      out.printf("median: HTTP %,.0f events/s, in-process %,.0f events/s, plain insert %,.0f rows/s; "
          + "HTTP/plain %.2f, in-process/plain %.2f%n", mh, ml, mp, mh / mp, ml / mp);
      out.printf("events held (distinct): %,d%n", d.app.usage().distinctEvents());
      out.flush();
    }
  }

  /** The tally's line for a stage, from the batches the workers have taken. */
  private static IntConsumer watch(Tally tally, String stage, int batchSize) {
    return batches -> tally.at(stage, (long) batches * batchSize);
  }

  private static List<byte[]> bodies(List<List<UsageEvent>> batches) {
    List<byte[]> out = new ArrayList<>(batches.size());
    for (List<UsageEvent> b : batches) {
      out.add(UsageEvent.toJson(b));
    }
    return out;
  }

  static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
