package org.stackledger.usage;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stackledger.arm.Arm;
import org.stackledger.http.Router;
import org.stackledger.store.Settings;

/**
 * The deployment's usage feature, put together: the log (in the database by default), the intake in
 * front of it, the aggregator behind it (folding closed periods every minute), and the routes. The
 * log and the watermark that says which of its hours are closed are given; the defaults are the
 * database's table and the intake's lock.
 */
public final class Usage implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Usage.class);
  /** Events in one batch; the benchmark's batches are a thousand. */
  public static final int MAX_EVENTS = 10_000;
  /** Bytes in one batch's body: ten thousand events of a few hundred bytes, with room. */
  public static final long MAX_BODY = 32L * 1024 * 1024;

  private final UsageLog log;
  private final Watermark watermark;
  private final Intake intake;
  private final Aggregator aggregator;
  private final UsageRoutes routes;
  private final ScheduledExecutorService folding;

  private Usage(UsageLog log, Watermark watermark, Intake intake, Aggregator aggregator, UsageRoutes routes,
      ScheduledExecutorService folding) {
    this.log = log;
    this.watermark = watermark;
    this.intake = intake;
    this.aggregator = aggregator;
    this.routes = routes;
    this.folding = folding;
  }

  /**
   * @param seed the deployment's fingerprint seed (see {@link Fingerprint}), chosen once and kept
   * @param background whether to fold closed periods every minute; off where a test moves the clock
   */
  public static Usage open(Jdbi jdbi, Arm arm, MeterLookup meters, UsageSubscriptions subscriptions, Clock clock,
      long seed, boolean background) {
    return open(jdbi, arm, meters, subscriptions, clock, seed, background, jdbcLog(jdbi), Intake::watermark);
  }

  /** Events in the log's stored (compact) form, as the intake writes a batch of new events: for benchmarks. */
  public static byte[] compactForm(List<UsageEvent> events) {
    return EventCodec.compact(events, null);
  }

  /**
   * A batch of new events as the intake writes it to a log of {@code partitions} partitions: the stored
   * form of each partition's events (by {@link UsageLog#partitionOf}, in partition order), by partition.
   * For benchmarks, whose limit appends the same records the log does.
   */
  public static java.util.SortedMap<Integer, byte[]> compactParts(List<UsageEvent> events, int partitions) {
    java.util.SortedMap<Integer, List<UsageEvent>> parts = new java.util.TreeMap<>();
    for (UsageEvent e : events) {
      parts.computeIfAbsent(UsageLog.partitionOf(e.subscriptionId(), partitions), k -> new java.util.ArrayList<>())
          .add(e);
    }
    java.util.SortedMap<Integer, byte[]> out = new java.util.TreeMap<>();
    parts.forEach((partition, mine) -> out.put(partition, EventCodec.compact(mine, null)));
    return out;
  }

  /** The default usage log: a table of the deployment's database, one row a batch. */
  public static UsageLog jdbcLog(Jdbi jdbi) {
    return new JdbcUsageLog(jdbi);
  }

  /**
   * The usage log with its events in a Kafka topic ({@code serve --kafka}) and its rows — hours,
   * counts, idempotency keys, each batch's position in the topic — in the deployment's database.
   */
  public static UsageLog kafkaLog(Jdbi jdbi, org.stackledger.kafka.TopicStore events) {
    return new JdbcUsageLog(jdbi, events);
  }

  /** The usage log's topic, after the deployment's prefix. */
  public static final String KAFKA_TOPIC = "usage-log";
  /** Partitions of the usage log's topic: room for as many intake nodes and aggregation members. */
  private static final int KAFKA_PARTITIONS = 12;
  private static final org.stackledger.kafka.TopicStore.Refusal KAFKA_REFUSAL =
      new org.stackledger.kafka.TopicStore.Refusal("UsageLogUnavailable", "The usage log");
  /**
   * How the usage log's values go to Kafka: as stored, not compressed by the producer. A batch's stored
   * form already writes each repeated string once and an eventId as 16 bytes (lz4 took a quarter off it:
   * 72 against 95 bytes an event for the benchmark's events), and lz4's two 64 KB buffers for each
   * producer batch were most of the intake's garbage (JFR, 2026-12-05: 8.4 GB of 16 in a run).
   */
  public static final org.stackledger.kafka.TopicStore.Compression KAFKA_COMPRESSION =
      org.stackledger.kafka.TopicStore.Compression.NONE;

  /** The deployment's usage log topic on Kafka, as every intake node opens it, made if absent. */
  public static org.stackledger.kafka.TopicStore openKafkaTopic(org.stackledger.kafka.KafkaSettings settings) {
    return org.stackledger.kafka.TopicStore.open(settings, KAFKA_TOPIC, KAFKA_PARTITIONS, KAFKA_REFUSAL,
        KAFKA_COMPRESSION);
  }

  /**
   * The same over a given log: the aggregates, settings and queries stay in the deployment's database.
   *
   * @param watermark which hours of that log are closed, given the intake that writes it
   *     ({@code Intake::watermark} where this process's intake is the only writer)
   */
  public static Usage open(Jdbi jdbi, Arm arm, MeterLookup meters, UsageSubscriptions subscriptions, Clock clock,
      long seed, boolean background, UsageLog log, java.util.function.Function<Intake, Watermark> watermark) {
    UsageSettings settings = new UsageSettings(new Settings(jdbi), arm);
    Intake intake = Intake.open(log, meters, subscriptions, clock, seed, settings::maxUsageAge);
    Watermark closed = watermark.apply(intake);
    Aggregator aggregator = new Aggregator(jdbi, log, closed, clock);
    UsageRoutes routes = new UsageRoutes(arm, intake, aggregator, new UsageQueries(jdbi), settings,
        new IntakeToday(log, arm, clock), clock, MAX_BODY, MAX_EVENTS);
    ScheduledExecutorService folding = null;
    if (background) {
      folding = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "usage-fold");
        t.setDaemon(true);
        return t;
      });
      folding.scheduleWithFixedDelay(() -> {
        try {
          aggregator.foldClosed();
        } catch (RuntimeException e) {
          LOG.warn("folding closed usage periods failed; will try again", e);
        }
      }, 1, 60, TimeUnit.SECONDS);
    }
    return new Usage(log, closed, intake, aggregator, routes, folding);
  }

  /** The intake as a library call: same checks, same durability as the HTTP API. */
  public UsageIntake intake() {
    return intake;
  }

  /** How many distinct events the deployment holds (waits for the idempotency index to load). */
  public int distinctEvents() {
    return intake.distinctEvents();
  }

  /** How many of these events the deployment already holds with the same content; stores nothing. */
  public int held(List<UsageEvent> batch) {
    return intake.held(batch);
  }

  /**
   * Every reported hour that starts before the returned instant is closed: no event can land in it
   * any more, so what {@link #readHour} returns for it never changes (the {@link Watermark}'s answer).
   */
  public Instant closedBefore() {
    return watermark.closedBefore();
  }

  /** The reported hours in {@code [from, to)} that hold usage, oldest first. */
  public List<Instant> reportedHours(Instant from, Instant to) {
    return log.reportedHours(from, to);
  }

  /** Every event reported within the hour that starts at {@code hour}, in the order they were accepted. */
  public void readHour(Instant hour, Consumer<UsageEvent> sink) {
    log.readHour(hour, batch -> {
      EventCodec.Reader reader = new EventCodec.Reader(batch.events());
      while (reader.hasNext()) {
        sink.accept(reader.next());
      }
    });
  }

  /**
   * The usage reads with their checks: what a caller may read of which subscription's usage. Any
   * page or verb outside the routes (the console) reads usage through this, never through the queries.
   */
  public UsageReads reads() {
    return routes.reads();
  }

  public Aggregator aggregator() {
    return aggregator;
  }

  /** The log the intake appends to and the aggregator folds. */
  UsageLog log() {
    return log;
  }

  /** The intake for resource providers, and the operator's usage settings, on the stack admin endpoint. */
  public void registerIntake(Router router) {
    registerIntake(router, true);
  }

  /** As {@link #registerIntake(Router)}; a process that is not an intake node answers batches 503. */
  public void registerIntake(Router router, boolean takesBatches) {
    routes.registerIntake(router, takesBatches);
  }

  /** The tenant usage API, on the stack tenant endpoint. */
  public void registerTenantApi(Router router) {
    routes.registerTenantApi(router);
  }

  /** The provider usage API, on the stack admin endpoint. */
  public void registerProviderApi(Router router) {
    routes.registerProviderApi(router);
  }

  @Override
  public void close() {
    if (folding != null) {
      folding.shutdownNow();
      // The database closes next: a fold still running would fail on a closed pool and log a warning.
      try {
        folding.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
