package org.stackledger.bench;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.stackledger.store.Database;
import org.stackledger.usage.Usage;
import org.stackledger.usage.UsageEvent;
import org.stackledger.usage.UsageIntake;

/**
 * In-process intake throughput: batches of usage events handed to {@link UsageIntake#accept} by
 * several threads, durable and deduplicated as over HTTP, against a plain JDBC batch insert of the
 * same rows into the same engine — the ratio keeps the figure meaningful on a noisy machine.
 */
public final class IntakeBenchmark {
  /**
   * What a run measured: also the machine's busy CPU seconds meanwhile (every process's; NaN where
   * the machine does not say), so that a run on a shared machine still tells what an event costs.
   */
  public record Result(long events, double seconds, double eventsPerSecond, double machineCpuSeconds) {
    Result(long events, Timing t) {
      this(events, t.seconds(), events / t.seconds(), t.cpuSeconds());
    }

    /** The machine's CPU an event, in microseconds; NaN where unknown. */
    public double cpuMicrosPerEvent() {
      return machineCpuSeconds * 1e6 / events;
    }
  }

  /** A timed run's wall-clock seconds and the machine's busy CPU seconds over it. */
  record Timing(double seconds, double cpuSeconds) {}

  private IntakeBenchmark() {}

  /** {@code batches} batches of {@code batchSize} fresh events, over {@code subscriptions}, seeded. */
  public static List<List<UsageEvent>> batches(long seed, int batches, int batchSize, List<String> subscriptions,
      List<String> meters, Instant hour) {
    Random random = new Random(seed);
    List<List<UsageEvent>> out = new ArrayList<>(batches);
    for (int b = 0; b < batches; b++) {
      List<UsageEvent> batch = new ArrayList<>(batchSize);
      for (int i = 0; i < batchSize; i++) {
        String sub = subscriptions.get(random.nextInt(subscriptions.size()));
        batch.add(new UsageEvent(new UUID(random.nextLong(), random.nextLong()).toString(), sub,
            meters.get(random.nextInt(meters.size())), BigDecimal.valueOf(random.nextInt(1_000_000), 4), hour,
            hour.plus(1, ChronoUnit.HOURS), "/subscriptions/" + sub + "/resourceGroups/rg" + random.nextInt(10)
                + "/providers/Microsoft.Compute/virtualMachines/vm" + random.nextInt(100),
            "local", null, "{\"ServiceType\":\"Standard_D2_v2\",\"ImageType\":\"Windows\"}"));
      }
      out.add(batch);
    }
    return out;
  }

  /** Hands every batch to the intake from {@code threads} threads; times the lot. */
  public static Result intake(UsageIntake intake, List<List<UsageEvent>> batches, int threads) throws InterruptedException {
    return intake(intake, batches, threads, done -> {});
  }

  /** As {@link #intake(UsageIntake, List, int)}, telling {@code batchesStarted} how far the threads are. */
  public static Result intake(UsageIntake intake, List<List<UsageEvent>> batches, int threads,
      IntConsumer batchesStarted) throws InterruptedException {
    settle();
    AtomicLong next = new AtomicLong();
    AtomicLong accepted = new AtomicLong();
    Timing t = timed(threads, new Watch(next, batches.size(), batchesStarted), () -> {
      int i;
      while ((i = (int) next.getAndIncrement()) < batches.size()) {
        accepted.addAndGet(intake.accept(batches.get(i)).accepted());
      }
    });
    return new Result(accepted.get(), t);
  }

  /**
   * The same batches, in the stored compact form (made ahead, not timed) and split by partition as the
   * usage log splits them (a part for each partition of the topic a batch's subscriptions are in),
   * appended to the topic from {@code threads} threads by the same kind of producer the usage log uses
   * (acks=all, idempotent), each thread waiting for a batch's parts to be acknowledged before its next
   * as the intake does: the limit the Kafka log's intake is measured against.
   */
  public static Result rawKafka(org.stackledger.kafka.TopicStore topic, List<List<UsageEvent>> batches, int threads,
      IntConsumer batchesStarted) throws InterruptedException {
    List<java.util.SortedMap<Integer, byte[]>> encoded = new ArrayList<>(batches.size());
    long events = 0;
    for (List<UsageEvent> b : batches) {
      encoded.add(Usage.compactParts(b, topic.partitions()));
      events += b.size();
    }
    settle();
    AtomicLong next = new AtomicLong();
    Timing t = timed(threads, new Watch(next, encoded.size(), batchesStarted), () -> {
      int i;
      while ((i = (int) next.getAndIncrement()) < encoded.size()) {
        byte[] key = java.nio.ByteBuffer.allocate(Long.BYTES).putLong(i).array();
        List<org.stackledger.kafka.TopicStore.Value> parts = new ArrayList<>();
        encoded.get(i).forEach((partition, bytes) -> parts.add(new org.stackledger.kafka.TopicStore.Value(key,
            partition, bytes)));
        topic.appendAll(parts);
      }
    });
    return new Result(events, t);
  }

  /** Hands each batch to the next of several intake nodes in turn, from any thread. */
  public static UsageIntake roundRobin(List<? extends UsageIntake> nodes) {
    AtomicLong turn = new AtomicLong();
    return batch -> nodes.get((int) (turn.getAndIncrement() % nodes.size())).accept(batch);
  }

  /** The same events as rows of a plain table, one JDBC batch and one commit per batch. */
  public static Result plainInsert(Database db, List<List<UsageEvent>> batches, int threads)
      throws InterruptedException, SQLException {
    return plainInsert(db, batches, threads, done -> {});
  }

  /** As {@link #plainInsert(Database, List, int)}, telling {@code batchesStarted} how far the threads are. */
  public static Result plainInsert(Database db, List<List<UsageEvent>> batches, int threads, IntConsumer batchesStarted)
      throws InterruptedException, SQLException {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS bench_plain_events");
      s.execute("CREATE TABLE bench_plain_events (event_id VARCHAR(128) NOT NULL, subscription_id VARCHAR(36) NOT NULL, "
          + "meter_id VARCHAR(64) NOT NULL, quantity NUMERIC(38, 20) NOT NULL, usage_start TIMESTAMP WITH TIME ZONE NOT NULL, "
          + "usage_end TIMESTAMP WITH TIME ZONE NOT NULL, reported_at TIMESTAMP WITH TIME ZONE NOT NULL, "
          + "resource_uri VARCHAR(2048) NOT NULL, location VARCHAR(128) NOT NULL, tags VARCHAR, additional_info VARCHAR)");
    }
    settle();
    AtomicLong next = new AtomicLong();
    AtomicLong rows = new AtomicLong();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    Timing t = timed(threads, new Watch(next, batches.size(), batchesStarted), () -> {
      try (Connection c = db.dataSource().getConnection(); PreparedStatement p = c.prepareStatement(
          "INSERT INTO bench_plain_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        c.setAutoCommit(false);
        int i;
        while ((i = (int) next.getAndIncrement()) < batches.size()) {
          Timestamp now = Timestamp.from(Instant.now());
          for (UsageEvent e : batches.get(i)) {
            p.setString(1, e.eventId());
            p.setString(2, e.subscriptionId());
            p.setString(3, e.meterId());
            p.setBigDecimal(4, e.quantity());
            p.setTimestamp(5, Timestamp.from(e.usageStartTime()));
            p.setTimestamp(6, Timestamp.from(e.usageEndTime()));
            p.setTimestamp(7, now);
            p.setString(8, e.resourceUri());
            p.setString(9, e.location());
            p.setString(10, e.tags());
            p.setString(11, e.additionalInfo());
            p.addBatch();
          }
          p.executeBatch();
          c.commit();
          rows.addAndGet(batches.get(i).size());
        }
      } catch (SQLException | RuntimeException e) {
        failures.add(e);
      }
    });
    if (!failures.isEmpty()) {
      throw new IllegalStateException("plain insert failed", failures.get(0));
    }
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE bench_plain_events");
    }
    return new Result(rows.get(), t);
  }

  /**
   * Collects garbage before a timed run: the pre-made batches are hundreds of megabytes, and copying
   * them between young-generation spaces during the run would be timed as intake.
   */
  private static void settle() {
    System.gc();
  }

  /** Posts every body to the intake URL from {@code clients} threads over keep-alive HTTPS connections. */
  public static Result http(java.net.http.HttpClient client, java.net.URI intake, String token, List<byte[]> bodies,
      int eventsPerBody, int clients) throws InterruptedException {
    return http(client, intake, token, bodies, eventsPerBody, clients, done -> {});
  }

  /** As {@link #http}, telling {@code batchesStarted} how far the clients are. */
  public static Result http(java.net.http.HttpClient client, java.net.URI intake, String token, List<byte[]> bodies,
      int eventsPerBody, int clients, IntConsumer batchesStarted) throws InterruptedException {
    settle();
    AtomicLong next = new AtomicLong();
    AtomicLong accepted = new AtomicLong();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    Timing t = timed(clients, new Watch(next, bodies.size(), batchesStarted), () -> {
      int i;
      while ((i = (int) next.getAndIncrement()) < bodies.size() && failures.isEmpty()) {
        try {
          java.net.http.HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(intake)
              .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
              .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build(),
              java.net.http.HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            throw new IllegalStateException("intake answered " + r.statusCode() + ": " + r.body());
          }
          accepted.addAndGet(eventsPerBody);
        } catch (java.io.IOException | RuntimeException e) {
          failures.add(e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    });
    if (!failures.isEmpty()) {
      throw new IllegalStateException("HTTP intake failed", failures.get(0));
    }
    return new Result(accepted.get(), t);
  }

  /**
   * The batches the workers have taken, read by the thread that waits for them: the workers do not
   * report anything, so watching costs the timed stretch nothing.
   */
  private record Watch(AtomicLong next, int batches, IntConsumer batchesStarted) {
    static final long PERIOD_MILLIS = 500;

    void look() {
      batchesStarted.accept((int) Math.min(next.get(), batches));
    }
  }

  /**
   * Runs {@code body} on that many threads at once and answers the seconds until all are done, with the
   * machine's CPU meanwhile.
   */
  private static Timing timed(int threads, Watch watch, Runnable body) throws InterruptedException {
    List<Thread> workers = new ArrayList<>();
    double cpu = MachineCpu.busySeconds();
    long start = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      Thread w = new Thread(body);
      workers.add(w);
      w.start();
    }
    for (Thread w : workers) {
      for (w.join(Watch.PERIOD_MILLIS); w.isAlive(); w.join(Watch.PERIOD_MILLIS)) {
        watch.look();
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Timing(seconds, MachineCpu.busySeconds() - cpu);
  }

  /** A usage feature over the database that knows these subscriptions and meters, for benchmarks. */
  public static Usage usage(Database db, Set<String> subscriptions, Function<String, String> meters, Clock clock) {
    return Usage.open(db.jdbi(), null, meters::apply, ids -> ids.stream().filter(subscriptions::contains)
        .collect(Collectors.toMap(i -> i, i -> "Enabled")), clock, new Random().nextLong(), false);
  }

  /**
   * Another intake node of a deployment whose usage log is on Kafka: its own intake and producer over
   * the same database and topic, with the deployment's fingerprint seed (the nodes must agree on keys).
   */
  public static Usage node(Database db, Set<String> subscriptions, Function<String, String> meters, Clock clock,
      long seed, org.stackledger.kafka.TopicStore topic) {
    return Usage.open(db.jdbi(), null, meters::apply, ids -> ids.stream().filter(subscriptions::contains)
        .collect(Collectors.toMap(i -> i, i -> "Enabled")), clock, seed, false, Usage.kafkaLog(db.jdbi(), topic),
        org.stackledger.usage.Intake::watermark);
  }

  static Map<String, Object> row(Result r) {
    return Map.of("events", r.events(), "seconds", r.seconds(), "eventsPerSecond", r.eventsPerSecond(),
        "machineCpuMicrosPerEvent", r.cpuMicrosPerEvent());
  }
}
