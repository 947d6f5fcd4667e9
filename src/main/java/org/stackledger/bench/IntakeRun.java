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
      int rounds, long seed, org.stackledger.kafka.KafkaSettings kafka, int nodes, boolean http) {
    /** Without Kafka: one node, the database's log, HTTPS measured too. */
    public Settings(String jdbcUrl, long events, int batchSize, int clients, int threads, int subscriptions, int rounds,
        long seed) {
      this(jdbcUrl, events, batchSize, clients, threads, subscriptions, rounds, seed, null, 1, true);
    }
  }

  private IntakeRun() {}

  /**
   * Runs the benchmark: results on {@code out}, and {@code progress} hears the events done of the run's
   * total (warm-up included) as lines for a person to watch.
   */
  public static void run(Settings s, PrintWriter out, Consumer<String> progress) throws Exception {
    progress.accept("starting a throw-away deployment");
    List<AutoCloseable> extra = new ArrayList<>();
    try (BenchDeployment d = BenchDeployment.start(s.jdbcUrl(), Clock.systemUTC(), s.kafka())) {
      out.printf("engine %s, %d subscriptions, batches of %d, %d HTTP clients, %d in-process threads, %s%n",
          d.app.database().engine(), s.subscriptions(), s.batchSize(), s.clients(), s.threads(), Runtime.version());
      List<String> subs = d.subscriptions(s.subscriptions());
      List<String> meters = MeterCatalogue.standard().all().stream().filter(m -> !m.deprecated()).map(Meter::id).toList();
      org.stackledger.usage.UsageIntake inProcess = d.app.usage().intake();
      org.stackledger.kafka.TopicStore raw = null;
      if (s.kafka() != null) {
        out.printf("usage log on Kafka at %s (topics %s*), %d intake node(s) in this process; the limit: the raw "
            + "producer appending the same batches' stored form%n", s.kafka().bootstrap(), s.kafka().topicPrefix(),
            s.nodes());
        long fingerprintSeed = Long.parseLong(new org.stackledger.store.Settings(d.app.database().jdbi())
            .get("usageFingerprintSeed").orElseThrow());
        List<org.stackledger.usage.UsageIntake> nodes = new ArrayList<>(List.of(inProcess));
        java.util.Set<String> known = java.util.Set.copyOf(subs);
        for (int n = 1; n < s.nodes(); n++) {
          org.stackledger.kafka.TopicStore topic = org.stackledger.usage.Usage.openKafkaTopic(s.kafka());
          org.stackledger.usage.Usage node = IntakeBenchmark.node(d.app.database(), known,
              id -> meters.stream().filter(m -> m.equalsIgnoreCase(id)).findFirst().orElse(null), Clock.systemUTC(),
              fingerprintSeed, topic);
          extra.add(node);
          extra.add(topic);
          nodes.add(node.intake());
        }
        inProcess = IntakeBenchmark.roundRobin(nodes);
        // The same producer settings as the usage log's, compression included.
        raw = org.stackledger.kafka.TopicStore.open(s.kafka(), "bench-raw", 12,
            new org.stackledger.kafka.TopicStore.Refusal("BenchRawUnavailable", "The raw topic"),
            org.stackledger.usage.Usage.KAFKA_COMPRESSION);
        extra.add(raw);
      }
      String baseline = raw == null ? "plain insert" : "raw Kafka";
      Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
      URI intake = URI.create(d.app.url(EndpointRole.STACK_ADMIN_ARM).replaceAll("/$", "")
          + "/providers/Stackledger.Usage/usageEvents?api-version=2026-11-01");
      String token = d.token(EndpointRole.STACK_ADMIN_ARM);
      int batches = (int) (s.events() / s.batchSize());
      long seed = s.seed();
      // Warm-up: the JIT, the connection pools and the index, on a full round's load, not counted.
      int warm = batches;
      Tally tally = new Tally(progress, (s.http() ? 3L : 2L) * (s.rounds() + 1) * batches * s.batchSize(), "events");
      if (s.http()) {
        IntakeBenchmark.http(d.http, intake, token, bodies(IntakeBenchmark.batches(seed++, warm, s.batchSize(), subs,
            meters, hour)), s.batchSize(), s.clients(), watch(tally, "warm-up, HTTP", s.batchSize()));
        tally.finished("warm-up, HTTP", (long) warm * s.batchSize());
      }
      IntakeBenchmark.intake(inProcess, IntakeBenchmark.batches(seed++, warm, s.batchSize(), subs, meters, hour),
          s.threads(), watch(tally, "warm-up, in-process", s.batchSize()));
      tally.finished("warm-up, in-process", (long) warm * s.batchSize());
      baseline(d, raw, IntakeBenchmark.batches(seed++, warm, s.batchSize(), subs, meters, hour), s.threads(),
          watch(tally, "warm-up, " + baseline, s.batchSize()));
      tally.finished("warm-up, " + baseline, (long) warm * s.batchSize());
      List<Double> http = new ArrayList<>();
      List<Double> library = new ArrayList<>();
      List<Double> plain = new ArrayList<>();
      List<Double> libraryCpu = new ArrayList<>();
      List<Double> httpCpu = new ArrayList<>();
      List<Double> plainCpu = new ArrayList<>();
      for (int round = 1; round <= s.rounds(); round++) {
        String of = "round " + round + " of " + s.rounds();
        long perPath = (long) batches * s.batchSize();
        IntakeBenchmark.Result h = null;
        if (s.http()) {
          List<byte[]> bodies = bodies(IntakeBenchmark.batches(seed++, batches, s.batchSize(), subs, meters, hour));
          h = IntakeBenchmark.http(d.http, intake, token, bodies, s.batchSize(), s.clients(),
              watch(tally, of + ", HTTP", s.batchSize()));
          tally.finished(of + ", HTTP", perPath);
        } else {
          seed++;
        }
        IntakeBenchmark.Result l = IntakeBenchmark.intake(inProcess,
            IntakeBenchmark.batches(seed++, batches, s.batchSize(), subs, meters, hour), s.threads(),
            watch(tally, of + ", in-process", s.batchSize()));
        tally.finished(of + ", in-process", perPath);
        IntakeBenchmark.Result p = baseline(d, raw,
            IntakeBenchmark.batches(seed++, batches, s.batchSize(), subs, meters, hour), s.threads(),
            watch(tally, of + ", " + baseline, s.batchSize()));
        tally.finished(of + ", " + baseline, perPath);
        library.add(l.eventsPerSecond());
        plain.add(p.eventsPerSecond());
        String https = "";
        if (h != null) {
          http.add(h.eventsPerSecond());
          httpCpu.add(h.cpuMicrosPerEvent());
          https = String.format("HTTP %,.0f events/s (%.2f µs), ", h.eventsPerSecond(), h.cpuMicrosPerEvent());
        }
        libraryCpu.add(l.cpuMicrosPerEvent());
        plainCpu.add(p.cpuMicrosPerEvent());
        out.printf("round %d: %sin-process %,.0f events/s (%.2f µs machine CPU an event), %s %,.0f %s/s (%.2f µs) "
            + "(%,d events each)%n", round, https, l.eventsPerSecond(), l.cpuMicrosPerEvent(), baseline,
            p.eventsPerSecond(), raw == null ? "rows" : "events", p.cpuMicrosPerEvent(), l.events());
        out.flush();
      }
      double ml = median(library);
      double mp = median(plain);
      String per = raw == null ? "plain" : "raw Kafka";
      if (s.http()) {
        double mh = median(http);
        out.printf("median: HTTP %,.0f events/s, in-process %,.0f events/s, %s %,.0f %s/s; "
            + "HTTP/%s %.2f, in-process/%s %.2f%n", mh, ml, baseline, mp, raw == null ? "rows" : "events", per,
            mh / mp, per, ml / mp);
      } else {
        out.printf("median: in-process %,.0f events/s, %s %,.0f %s/s; in-process/%s %.2f%n", ml, baseline, mp,
            raw == null ? "rows" : "events", per, ml / mp);
      }
      out.printf("median machine CPU an event: %sin-process %.2f µs, %s %.2f µs; %s/in-process %.2f%n",
          s.http() ? String.format("HTTP %.2f µs, ", median(httpCpu)) : "", median(libraryCpu), baseline,
          median(plainCpu), per, median(plainCpu) / median(libraryCpu));
      if (s.nodes() > 1) {
        out.printf("per node: in-process %,.0f events/s (%d nodes)%n", ml / s.nodes(), s.nodes());
      }
      out.printf("events held (distinct): %,d%n", d.app.usage().distinctEvents());
      out.flush();
    } finally {
      for (int i = extra.size() - 1; i >= 0; i--) {
        extra.get(i).close();
      }
    }
  }

  /** The limit a round is measured against: a plain insert into the database, or the raw Kafka producer. */
  private static IntakeBenchmark.Result baseline(BenchDeployment d, org.stackledger.kafka.TopicStore raw,
      List<List<UsageEvent>> batches, int threads, IntConsumer started) throws Exception {
    return raw == null ? IntakeBenchmark.plainInsert(d.app.database(), batches, threads, started)
        : IntakeBenchmark.rawKafka(raw, batches, threads, started);
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

  /** The median of some measurements (the mean of the middle two of an even count). */
  public static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }
}
