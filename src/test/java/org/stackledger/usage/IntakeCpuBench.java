package org.stackledger.usage;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.stackledger.bench.IntakeBenchmark;
import org.stackledger.meters.Meter;
import org.stackledger.meters.MeterCatalogue;

/**
 * The intake's own CPU an event, without a database or a broker: {@code stackledger bench intake}'s
 * batches taken by an {@link Intake} over a log that keeps nothing and splits as the Kafka log does (12
 * partitions), and the usage API's parse of the same batches as JSON. On a shared two-core machine a
 * throughput moves by half between rounds; the CPU of the callers' threads (measured by the JVM, per
 * thread) holds within a few percent, so a change to the checks, fingerprints or encoding shows here.
 * Not a test: run it after {@code ./mvnw -q test-compile} with
 * {@code java -cp target/classes:target/test-classes:$(cat classpath) org.stackledger.usage.IntakeCpuBench}.
 */
public final class IntakeCpuBench {
  private static final int BATCHES = 400;
  private static final int EVENTS = 1000;

  private IntakeCpuBench() {}

  public static void main(String[] args) throws Exception {
    List<String> subscriptions = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      subscriptions.add(java.util.UUID.randomUUID().toString());
    }
    List<String> meters = MeterCatalogue.standard().all().stream().filter(m -> !m.deprecated()).map(Meter::id)
        .toList();
    Intake intake = Intake.open(new NothingKept(), id -> id, ids -> {
      Map<String, String> states = new HashMap<>();
      ids.forEach(id -> states.put(id, "Enabled"));
      return states;
    }, Clock.systemUTC(), 42L, () -> Duration.ofDays(7));
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(1, ChronoUnit.HOURS);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<Double> intakeNs = new ArrayList<>();
    List<Double> parseNs = new ArrayList<>();
    for (int round = 0; round < 12; round++) {
      List<List<UsageEvent>> batches = IntakeBenchmark.batches(round, BATCHES, EVENTS, subscriptions, meters, hour);
      List<byte[]> bodies = batches.stream().map(UsageEvent::toJson).toList();
      System.gc();
      long start = threads.getCurrentThreadCpuTime();
      for (List<UsageEvent> batch : batches) {
        intake.accept(batch);
      }
      long accepted = threads.getCurrentThreadCpuTime() - start;
      start = threads.getCurrentThreadCpuTime();
      for (byte[] body : bodies) {
        EventParser.parse(body, EVENTS);
      }
      long parsed = threads.getCurrentThreadCpuTime() - start;
      System.out.printf("round %d: intake %.0f ns an event in the caller's thread, parse %.0f ns an event%n", round,
          accepted / (double) (BATCHES * EVENTS), parsed / (double) (BATCHES * EVENTS));
      if (round >= 4) {
        // The first rounds warm the JIT up.
        intakeNs.add(accepted / (double) (BATCHES * EVENTS));
        parseNs.add(parsed / (double) (BATCHES * EVENTS));
      }
    }
    System.out.printf("median of rounds 4-11: intake %.0f ns an event, parse %.0f ns an event%n",
        org.stackledger.bench.IntakeRun.median(intakeNs), org.stackledger.bench.IntakeRun.median(parseNs));
  }

  /** A log that keeps nothing, in 12 partitions as on Kafka: what the intake costs without a store. */
  private static final class NothingKept implements UsageLog {
    private final AtomicLong sequence = new AtomicLong();

    @Override
    public int partitions() {
      return 12;
    }

    @Override
    public void append(List<Batch> batches) {
      batches.forEach(b -> sequence.accumulateAndGet(b.sequence(), Math::max));
    }

    @Override
    public long lastSequence() {
      return sequence.get();
    }

    @Override
    public List<Instant> reportedHours(Instant from, Instant to) {
      return List.of();
    }

    @Override
    public void readHour(Instant hour, java.util.function.Consumer<Batch> sink) {}

    @Override
    public void readKeys(Instant from, Instant to, java.util.function.BiConsumer<Instant, byte[]> sink) {}

    @Override
    public long eventCount() {
      return 0;
    }

    @Override
    public Optional<Instant> lastReportedAt() {
      return Optional.empty();
    }
  }
}
