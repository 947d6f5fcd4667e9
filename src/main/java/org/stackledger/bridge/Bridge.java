package org.stackledger.bridge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stackledger.arm.Arm;
import org.stackledger.http.Router;
import org.stackledger.stamp.Activation;
import org.stackledger.stamp.ActivationStore;
import org.stackledger.usage.Usage;

/**
 * The deployment's usage bridge, put together: the outbox in the database, the shipping pass (every
 * minute in the background, and whenever the operator asks), the status API and the metrics
 * {@code stackledger.bridge.lag.seconds}, {@code stackledger.bridge.pending.hours} and
 * {@code stackledger.bridge.records.shipped}.
 */
public final class Bridge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);
  static final Duration PERIOD = Duration.ofMinutes(1);

  /**
   * What the bridge reads of the deployment: its CloudId, its usage, its activations, and a
   * subscription's directory tenant ({@code null} when unknown).
   */
  public record Deployment(String cloudId, Usage usage, ActivationStore activations,
      Function<String, String> tenantOf, Supplier<List<PartitionLag>> aggregationLag) {
    /** A deployment whose usage log is in one process: no aggregation group, no lag to show. */
    public Deployment(String cloudId, Usage usage, ActivationStore activations, Function<String, String> tenantOf) {
      this(cloudId, usage, activations, tenantOf, List::of);
    }
  }

  /**
   * How far the aggregation group has folded one partition of a usage log on Kafka: the offset it
   * committed, the partition's end, and the values between (the current hour's, and any a failed append
   * left unnamed after the last value folded).
   */
  public record PartitionLag(int partition, long committed, long end, long lag) {}

  /** The aggregation group's lag per partition; empty when the usage log is not on Kafka or the cluster is away. */
  public List<PartitionLag> aggregationLag() {
    try {
      return deployment.aggregationLag().get();
    } catch (RuntimeException e) {
      return List.of();
    }
  }

  /**
   * The cloud it ships to: the cloud ARM base URL (read on every pass, so a deployment can be pointed
   * elsewhere), the bearer token of the registration's bridge principal, and the upload itself.
   */
  public record Cloud(Supplier<String> arm, BridgeToken token, CommerceTarget target) {}

  private final Outbox outbox;
  private final Connectivity connectivity;
  private final Shipper shipper;
  private final Deployment deployment;
  private final Clock clock;
  private final BridgeRoutes routes;
  private final ReentrantLock passing = new ReentrantLock();
  /** Whether this process is the one of its deployment that ships in the background now. */
  private final java.util.function.BooleanSupplier shipsHere;
  private final ScheduledExecutorService scheduler;
  /** The outbox's oldest pending hour and count, as of the last pass or status: what the gauges read. */
  private volatile Instant oldestPending;
  private volatile long pendingHours;

  private Bridge(Jdbi jdbi, Deployment deployment, Cloud cloud, Arm arm, MeterRegistry meters, Clock clock, long seed,
      boolean background, java.util.function.BooleanSupplier shipsHere) {
    this.shipsHere = shipsHere;
    this.outbox = new Outbox(jdbi);
    this.deployment = deployment;
    this.clock = clock;
    Counter shipped = Counter.builder("stackledger.bridge.records.shipped")
        .description("Usage records the cloud acknowledged").register(meters);
    this.connectivity = new Connectivity(new org.stackledger.store.Settings(jdbi));
    this.shipper = new Shipper(outbox, connectivity, deployment, cloud, new Backoff(seed), clock, shipped::increment);
    Gauge.builder("stackledger.bridge.lag.seconds", this, Bridge::lagSeconds)
        .description("How long ago the oldest unshipped closed reported hour ended").baseUnit("seconds").register(meters);
    Gauge.builder("stackledger.bridge.pending.hours", this, b -> b.pendingHours)
        .description("Closed reported hours not yet acknowledged by the cloud").register(meters);
    this.routes = new BridgeRoutes(arm, this);
    remember(outbox.summary());
    this.scheduler = background ? Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "usage-bridge");
      t.setDaemon(true);
      return t;
    }) : null;
  }

  /**
   * @param seed the backoff's jitter seed
   * @param background whether to run a pass every minute; off where a test moves the clock
   */
  public static Bridge open(Jdbi jdbi, Deployment deployment, Cloud cloud, Arm arm, MeterRegistry meters, Clock clock,
      long seed, boolean background) {
    return open(jdbi, deployment, cloud, arm, meters, clock, seed, background, () -> true);
  }

  /**
   * As {@link #open(Jdbi, Deployment, Cloud, Arm, MeterRegistry, Clock, long, boolean)}; the background
   * pass runs only while {@code shipsHere} says this process is the deployment's shipper (of several
   * processes, one at a time; the operator's {@link #ship()} runs on any).
   */
  public static Bridge open(Jdbi jdbi, Deployment deployment, Cloud cloud, Arm arm, MeterRegistry meters, Clock clock,
      long seed, boolean background, java.util.function.BooleanSupplier shipsHere) {
    Bridge bridge = new Bridge(jdbi, deployment, cloud, arm, meters, clock, seed, background, shipsHere);
    if (bridge.scheduler != null) {
      bridge.scheduler.scheduleWithFixedDelay(() -> {
        try {
          bridge.backgroundPass();
        } catch (RuntimeException e) {
          LOG.warn("a usage bridge pass failed; the next one tries again", e);
        }
      }, 5, PERIOD.toSeconds(), TimeUnit.SECONDS);
    }
    return bridge;
  }

  /** Runs one shipping pass now — the oldest pending hour is attempted even inside its backoff — and reports. */
  public BridgeStatus ship() {
    pass(true);
    return status();
  }

  /** The background's pass: run only while this process is the deployment's shipper. */
  void backgroundPass() {
    if (shipsHere.getAsBoolean()) {
      pass(false);
    }
  }

  /** One pass; a pass already running is waited for, not run beside. */
  void pass(boolean force) {
    passing.lock();
    try {
      shipper.pass(force);
      remember(outbox.summary());
    } finally {
      passing.unlock();
    }
  }

  /**
   * Sets the deployment connected (the bridge ships) or disconnected (it ships nothing; usage leaves by
   * file), as an operator of a deployment cut off from the cloud would. Kept across restarts.
   */
  public BridgeStatus connect(boolean connected) {
    connectivity.set(connected);
    return status();
  }

  public BridgeStatus status() {
    Instant now = clock.instant();
    Optional<Activation> current = deployment.activations().current();
    Outbox.Summary s = outbox.summary();
    remember(s);
    Outbox.Row head = s.oldestPending();
    Optional<BridgeNotReady> notReady = Shipper.readiness(current, now, connectivity.disconnected());
    String state = BridgeStatus.READY;
    String reason = null;
    if (notReady.isPresent()) {
      state = notReady.get().code();
      reason = notReady.get().getMessage();
    } else if (head != null && head.failure() != null) {
      state = head.failure();
      reason = head.error();
    }
    BridgeStatus.Error error = head == null || head.failure() == null ? null
        : new BridgeStatus.Error(head.errorCode(), head.error());
    return new BridgeStatus(state, reason, deployment.cloudId(), current.map(Activation::registrationId).orElse(null),
        head == null ? null : head.hour(), lag(head == null ? null : head.hour(), now), s.pendingHours(),
        s.shippedHours(), s.shippedRecords(), s.lastShippedAt(), error, head == null ? null : head.nextAttemptAt());
  }

  private void remember(Outbox.Summary s) {
    oldestPending = s.oldestPending() == null ? null : s.oldestPending().hour();
    pendingHours = s.pendingHours();
  }

  private double lagSeconds() {
    return lag(oldestPending, clock.instant());
  }

  private static long lag(Instant oldest, Instant now) {
    return oldest == null ? 0 : Math.max(0, Duration.between(oldest.plus(1, ChronoUnit.HOURS), now).toSeconds());
  }

  /** {@code GET …/Stackledger.Bridge/status} and {@code POST …/Stackledger.Bridge/ship}, on the stack admin endpoint. */
  public void register(Router router) {
    routes.register(router);
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      // The database closes next: a pass still running would fail on a closed pool.
      try {
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
