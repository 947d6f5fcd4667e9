package org.stackledger.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.stamp.Activation;
import org.stackledger.stamp.ActivationStore;
import org.stackledger.store.Database;
import org.stackledger.testing.Engine;
import org.stackledger.testing.SteppingClock;
import org.stackledger.testing.TestDatabases;
import org.stackledger.usage.Usage;
import org.stackledger.usage.UsageEvent;

/**
 * The bridge over a real store and a recording stand-in for the cloud on a real socket: closed hours
 * ship oldest first, every part, and are marked shipped only once acknowledged; an unreachable cloud
 * is retried with backoff while the lag grows, and everything arrives in the end; a restart re-sends
 * only what was not acknowledged; a deployment that may not ship ships nothing and says why.
 */
@Tag("storage")
class BridgeOutboxTest {
  private static final String CLOUD_ID = "0d9c6f8e-2b1a-4c3d-8e7f-6a5b4c3d2e1f";
  private static final String REGISTRATION = "/subscriptions/" + UUID.randomUUID()
      + "/resourceGroups/azurestack/providers/Microsoft.AzureStack/registrations/reg1";
  private static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";
  private static final String BLOB = "09F8879E-87E9-4305-A572-4B7BE209F857";

  @TempDir
  Path tempDir;

  /** A deployment's store, usage and activations, the stand-in cloud, and the bridge between them. */
  private final class World implements AutoCloseable {
    final SteppingClock clock = new SteppingClock();
    final Engine engine;
    final String url;
    final List<String> subscriptions = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString());
    final Map<String, String> tenants = subscriptions.stream().collect(Collectors.toMap(s -> s, s -> "tenant-" + s));
    final RecordingCloud cloud = new RecordingCloud();
    final AtomicReference<String> cloudUrl = new AtomicReference<>(cloud.url());
    final AtomicReference<BridgeToken> token = new AtomicReference<>(() -> "token-1");
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** Every event sent, by the reported hour it landed in. */
    final Map<Instant, List<UsageEvent>> sent = new LinkedHashMap<>();
    Database db;
    Usage usage;
    ActivationStore activations;
    Bridge bridge;

    World(Engine engine) throws Exception {
      this.engine = engine;
      this.url = TestDatabases.fresh(engine);
      // Five minutes into an hour, so the test knows which reported hour each batch lands in.
      clock.advance(Duration.between(clock.instant(), clock.instant().truncatedTo(ChronoUnit.HOURS).plus(65,
          ChronoUnit.MINUTES)));
      open();
    }

    /** Opens (or, after {@link #stop}, re-opens) the store, the usage and a new bridge on them. */
    void open() {
      db = engine == Engine.H2 ? Database.embedded(tempDir.resolve("data")) : Database.open(url, null, null);
      usage = Usage.open(db.jdbi(), null, id -> List.of(BASE_VM, BLOB).stream().filter(m -> m.equalsIgnoreCase(id))
          .findFirst().orElse(null), ids -> ids.stream().collect(Collectors.toMap(i -> i, i -> "Enabled")), clock, 42L,
          false);
      activations = new ActivationStore(db.jdbi(), clock);
      bridge = Bridge.open(db.jdbi(), new Bridge.Deployment(CLOUD_ID, usage, activations, tenants::get),
          new Bridge.Cloud(cloudUrl::get, () -> token.get().bearer(), target()), null, meters, clock, 7L, false);
    }

    private static CommerceTarget target() {
      try {
        return new HttpsCommerceTarget(null);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    void stop() {
      bridge.close();
      usage.close();
      db.close();
    }

    void activate(String billingModel, boolean reporting, Duration valid) {
      activations.activate(new Activation(0, REGISTRATION, UUID.randomUUID().toString(), CLOUD_ID, billingModel,
          reporting, false, billingModel.equals("Capacity") ? "EA-1" : null, UUID.randomUUID().toString(), "key-1",
          clock.instant().plus(valid), null, null));
    }

    /**
     * Reports {@code n} events in the current reported hour (usage of the hour before), over
     * {@code resources} resources, then moves the clock to the next hour.
     */
    Instant reportHour(Random random, int n, int resources) {
      Instant reported = clock.instant().truncatedTo(ChronoUnit.HOURS);
      Instant usageHour = reported.minus(1, ChronoUnit.HOURS);
      List<UsageEvent> events = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String sub = subscriptions.get(random.nextInt(subscriptions.size()));
        int from = random.nextInt(30);
        events.add(new UsageEvent(UUID.randomUUID().toString(), sub, random.nextBoolean() ? BASE_VM : BLOB,
            BigDecimal.valueOf(random.nextInt(1_000_000), random.nextInt(6)), usageHour.plus(from, ChronoUnit.MINUTES),
            usageHour.plus(from + 1 + random.nextInt(29), ChronoUnit.MINUTES),
            "/subscriptions/" + sub + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm"
                + random.nextInt(resources), "local", null, null));
      }
      for (int from = 0; from < n; from += 5_000) {
        usage.intake().accept(events.subList(from, Math.min(n, from + 5_000)));
      }
      sent.computeIfAbsent(reported, k -> new ArrayList<>()).addAll(events);
      clock.advance(Duration.ofHours(1));
      return reported;
    }

    BridgeStatus status() {
      return bridge.status();
    }

    @Override
    public void close() {
      stop();
      cloud.close();
    }
  }

  private static String batch(Instant hour, int part) {
    return UsageRecords.batchId(CLOUD_ID, hour, part);
  }

  /** The independent fold of what was sent: (reported hour, subscription, meter, resource, location, usage hour) → sum. */
  private static Map<String, BigDecimal> expected(Map<Instant, List<UsageEvent>> sent) {
    Map<String, BigDecimal> out = new HashMap<>();
    sent.forEach((hour, events) -> events.forEach(e -> out.merge(hour + "|" + e.subscriptionId() + "|" + e.meterId()
        + "|" + e.resourceUri() + "|" + e.location() + "|" + e.usageStartTime().truncatedTo(ChronoUnit.HOURS),
        e.quantity(), BigDecimal::add)));
    out.replaceAll((k, v) -> v.stripTrailingZeros());
    return out;
  }

  /** What the cloud acknowledged, keyed like {@link #expected}; a record acknowledged twice must be the same. */
  private static Map<String, BigDecimal> received(World w) {
    Map<String, BigDecimal> out = new HashMap<>();
    for (RecordingCloud.Upload u : w.cloud.uploads()) {
      if (u.status() != 200) {
        continue;
      }
      for (JsonNode r : u.body().path("records")) {
        assertThat(r.path("tenantId").asText()).isEqualTo(w.tenants.get(r.path("subscriptionId").asText()));
        String key = Instant.parse(r.path("reportedHour").asText()) + "|" + r.path("subscriptionId").asText() + "|"
            + r.path("meterId").asText() + "|" + r.path("resourceUri").asText() + "|" + r.path("location").asText() + "|"
            + Instant.parse(r.path("usageStartTime").asText()).truncatedTo(ChronoUnit.HOURS);
        BigDecimal q = r.path("quantity").decimalValue().stripTrailingZeros();
        BigDecimal before = out.put(key, q);
        assertThat(before == null || before.compareTo(q) == 0).as("the same record each time it is sent: " + key).isTrue();
      }
    }
    return out;
  }

  private static long records(Map<String, BigDecimal> sums) {
    return sums.size();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void shipsEveryClosedHourOldestFirstInAllItsPartsAndMarksItShipped(Engine engine) throws Exception {
    try (World w = new World(engine)) {
      w.activate("PayAsYouUse", true, Duration.ofDays(365));
      Random random = new Random(11);
      Instant h0 = w.reportHour(random, 200, 20);
      Instant h1 = w.reportHour(random, 12_000, 6_000);
      Instant h2 = w.reportHour(random, 50, 5);
      // The current hour is open: its usage waits.
      w.usage.intake().accept(List.of(new UsageEvent(UUID.randomUUID().toString(), w.subscriptions.get(0), BASE_VM,
          BigDecimal.ONE, h2, h2.plus(1, ChronoUnit.HOURS), "/r", "local", null, null)));
      Instant open = w.clock.instant().truncatedTo(ChronoUnit.HOURS);

      BridgeStatus status = w.bridge.ship();

      assertThat(w.cloud.acknowledged()).containsExactly(batch(h0, 0), batch(h1, 0), batch(h1, 1), batch(h2, 0));
      assertThat(w.cloud.uploads()).allSatisfy(u -> {
        assertThat(u.path()).isEqualTo(REGISTRATION + "/usage");
        assertThat(u.query()).isEqualTo("api-version=2017-06-01");
        assertThat(u.authorization()).isEqualTo("Bearer token-1");
        assertThat(u.body().path("cloudId").asText()).isEqualTo(CLOUD_ID);
      });
      assertThat(w.cloud.uploads().get(1).body().path("records").size()).isEqualTo(5_000);
      Map<String, BigDecimal> expected = expected(w.sent);
      assertThat(received(w)).isEqualTo(expected);
      assertThat(status.state()).isEqualTo(BridgeStatus.READY);
      assertThat(status.reason()).isNull();
      assertThat(status.registrationId()).isEqualTo(REGISTRATION);
      assertThat(status.cloudId()).isEqualTo(CLOUD_ID);
      assertThat(status.pendingHours()).isZero();
      assertThat(status.shippedHours()).isEqualTo(3);
      assertThat(status.shippedRecords()).isEqualTo(records(expected));
      assertThat(status.lagSeconds()).isZero();
      assertThat(status.oldestUnshippedHour()).isNull();
      assertThat(status.lastShippedAt()).isEqualTo(w.clock.instant());
      assertThat(w.meters.get("stackledger.bridge.records.shipped").counter().count()).isEqualTo(records(expected));
      assertThat(w.meters.get("stackledger.bridge.pending.hours").gauge().value()).isZero();

      // Once the open hour closes, it ships on the next pass, and nothing before it again.
      w.cloud.forget();
      w.clock.advance(Duration.ofHours(1));
      w.bridge.pass(false);
      assertThat(w.cloud.acknowledged()).containsExactly(batch(open, 0));
      assertThat(w.status().shippedHours()).isEqualTo(4);
    }
  }

  @org.junit.jupiter.api.Test
  void ofSeveralProcessesOnlyTheShipperShipsInTheBackgroundAndTheOperatorsShipRunsAnywhere() throws Exception {
    try (World w = new World(Engine.H2)) {
      w.activate("PayAsYouUse", true, Duration.ofDays(365));
      Instant hour = w.reportHour(new Random(5), 40, 10);
      java.util.concurrent.atomic.AtomicBoolean shipper = new java.util.concurrent.atomic.AtomicBoolean(false);
      Bridge other = Bridge.open(w.db.jdbi(), new Bridge.Deployment(CLOUD_ID, w.usage, w.activations, w.tenants::get),
          new Bridge.Cloud(w.cloudUrl::get, () -> w.token.get().bearer(), World.target()), null,
          new SimpleMeterRegistry(), w.clock, 9L, false, shipper::get);
      try {
        other.backgroundPass();
        assertThat(w.cloud.acknowledged()).as("not the shipper: nothing shipped in the background").isEmpty();
        shipper.set(true);
        other.backgroundPass();
        assertThat(w.cloud.acknowledged()).containsExactly(batch(hour, 0));
        assertThat(received(w)).isEqualTo(expected(w.sent));
      } finally {
        other.close();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void anUnreachableCloudIsRetriedWithBackoffWhileTheLagGrowsThenEverythingArrivesOnce(Engine engine) throws Exception {
    try (World w = new World(engine)) {
      w.activate("PayAsYouUse", true, Duration.ofDays(365));
      Random random = new Random(12);
      Instant h0 = w.reportHour(random, 100, 10);
      Instant h1 = w.reportHour(random, 100, 10);
      Instant h2 = w.reportHour(random, 100, 10);
      w.cloud.answer = body -> 503;

      long lag = -1;
      long firstLag = 0;
      for (int attempt = 1; attempt <= 12; attempt++) {
        if (attempt == 6) {
          // Then no cloud at all: a port nobody listens on refuses the connection.
          try (ServerSocket s = new ServerSocket(0)) {
            w.cloudUrl.set("http://127.0.0.1:" + s.getLocalPort() + "/");
          }
        }
        w.bridge.pass(false);
        BridgeStatus s = w.status();
        assertThat(s.state()).isEqualTo(Shipper.CLOUD_UNREACHABLE);
        assertThat(s.lastError().code()).isEqualTo(attempt < 6 ? "ServiceUnavailable" : "CloudUnreachable");
        assertThat(s.pendingHours()).isEqualTo(3);
        assertThat(s.oldestUnshippedHour()).isEqualTo(h0);
        assertThat(s.lagSeconds()).isEqualTo(Duration.between(h0.plus(1, ChronoUnit.HOURS), w.clock.instant()).toSeconds())
            .isGreaterThanOrEqualTo(lag);
        lag = s.lagSeconds();
        firstLag = attempt == 1 ? lag : firstLag;
        assertThat(w.meters.get("stackledger.bridge.lag.seconds").gauge().value()).isEqualTo((double) lag);
        long delay = Duration.between(w.clock.instant(), s.nextAttemptAt()).toMillis();
        long full = Math.min(1000L << (attempt - 1), Duration.ofMinutes(5).toMillis());
        assertThat(delay).as("delay after attempt %d", attempt).isBetween(full * 3 / 4, full);
        // Inside the backoff nothing is tried.
        int uploads = w.cloud.uploads().size();
        w.bridge.pass(false);
        assertThat(w.cloud.uploads()).hasSize(uploads);
        w.clock.advance(Duration.ofMillis(delay));
      }
      assertThat(lag - firstLag).as("the lag grew by the time spent failing").isGreaterThan(15 * 60);
      assertThat(w.cloud.uploads()).as("the hours after the failing one wait behind it")
          .allSatisfy(u -> assertThat(u.batchId()).isEqualTo(batch(h0, 0)));

      w.cloudUrl.set(w.cloud.url());
      w.cloud.answer = body -> 200;
      w.bridge.pass(false);
      assertThat(w.cloud.acknowledged()).containsExactly(batch(h0, 0), batch(h1, 0), batch(h2, 0));
      assertThat(received(w)).isEqualTo(expected(w.sent));
      BridgeStatus s = w.status();
      assertThat(s.state()).isEqualTo(BridgeStatus.READY);
      assertThat(s.lastError()).isNull();
      assertThat(s.nextAttemptAt()).isNull();
      assertThat(s.lagSeconds()).isZero();
      assertThat(s.shippedHours()).isEqualTo(3);
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aRestartMidUploadResendsOnlyTheHoursNotAcknowledged(Engine engine) throws Exception {
    try (World w = new World(engine)) {
      w.activate("Development", true, Duration.ofDays(365));
      Random random = new Random(13);
      Instant h0 = w.reportHour(random, 100, 10);
      Instant h1 = w.reportHour(random, 12_000, 6_000);
      Instant h2 = w.reportHour(random, 100, 10);
      // The second part of the two-part hour fails: its first part was acknowledged, the hour is not.
      w.cloud.answer = body -> body.path("batchId").asText().equals(batch(h1, 1)) ? 503 : 200;
      BridgeStatus before = w.bridge.ship();
      assertThat(w.cloud.acknowledged()).containsExactly(batch(h0, 0), batch(h1, 0));
      assertThat(before.shippedHours()).isEqualTo(1);
      assertThat(before.pendingHours()).isEqualTo(2);
      assertThat(before.oldestUnshippedHour()).isEqualTo(h1);
      JsonNode firstTime = w.cloud.uploads().get(1).body();

      w.stop();
      w.cloud.answer = body -> 200;
      w.clock.advance(Duration.ofSeconds(2));
      w.open();
      List<RecordingCloud.Upload> earlier = w.cloud.uploads();
      w.bridge.pass(false);
      List<RecordingCloud.Upload> all = w.cloud.uploads();
      assertThat(all.subList(earlier.size(), all.size())).extracting(RecordingCloud.Upload::batchId)
          .containsExactly(batch(h1, 0), batch(h1, 1), batch(h2, 0));
      assertThat(all.get(earlier.size()).body()).as("a re-sent batch is the same batch").isEqualTo(firstTime);
      assertThat(received(w)).isEqualTo(expected(w.sent));
      assertThat(w.status().shippedHours()).isEqualTo(3);
      assertThat(w.status().pendingHours()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aDeploymentThatMayNotShipShipsNothingAndSaysWhyAndItsUsageWaits(Engine engine) throws Exception {
    try (World w = new World(engine)) {
      Random random = new Random(14);
      Instant h0 = w.reportHour(random, 30, 5);
      w.reportHour(random, 30, 5);

      BridgeStatus s = w.bridge.ship();
      assertThat(s.state()).isEqualTo("NotRegistered");
      assertThat(s.reason()).contains("not registered");
      assertThat(s.registrationId()).isNull();
      assertThat(s.pendingHours()).isEqualTo(2);
      assertThat(s.oldestUnshippedHour()).isEqualTo(h0);
      assertThat(s.lagSeconds()).isPositive();

      w.activate("Capacity", false, Duration.ofDays(365));
      s = w.bridge.ship();
      assertThat(s.state()).isEqualTo("ReportingDisabled");
      assertThat(s.registrationId()).isEqualTo(REGISTRATION);

      w.activate("PayAsYouUse", true, Duration.ofHours(1));
      w.clock.advance(Duration.ofHours(2));
      s = w.bridge.ship();
      assertThat(s.state()).isEqualTo("ActivationExpired");
      assertThat(s.reason()).contains("expired");
      assertThat(w.cloud.uploads()).as("nothing leaves a deployment that may not ship").isEmpty();

      // Registered again: the hours reported before are shipped too.
      w.activate("Capacity", true, Duration.ofDays(365));
      s = w.bridge.ship();
      assertThat(s.state()).isEqualTo(BridgeStatus.READY);
      assertThat(s.shippedHours()).isEqualTo(2);
      assertThat(received(w)).isEqualTo(expected(w.sent));
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aRefusalKeepsTheCloudsCodeAndWaitsTheLongestAndASignInFailureIsSaid(Engine engine) throws Exception {
    try (World w = new World(engine)) {
      w.activate("PayAsYouUse", true, Duration.ofDays(365));
      Instant h0 = w.reportHour(new Random(15), 30, 5);
      w.token.set(() -> {
        throw new BridgeNotReady("SignInFailed", "the identity endpoint refused the bridge's client assertion");
      });
      BridgeStatus s = w.bridge.ship();
      assertThat(s.state()).isEqualTo("SignInFailed");
      assertThat(s.reason()).contains("refused the bridge's client assertion");
      assertThat(s.lastError().code()).isEqualTo("SignInFailed");
      assertThat(w.cloud.uploads()).isEmpty();

      w.token.set(() -> "token-2");
      w.cloud.answer = body -> 409;
      s = w.bridge.ship();
      assertThat(s.state()).isEqualTo(Shipper.REJECTED);
      assertThat(s.lastError().code()).isEqualTo("UsageRecordConflict");
      assertThat(s.lastError().message()).contains("409").contains(batch(h0, 0)).contains("the stand-in answered 409");
      assertThat(Duration.between(w.clock.instant(), s.nextAttemptAt())).isBetween(Duration.ofSeconds(225),
          Duration.ofMinutes(5));
      w.clock.advance(Duration.ofMinutes(1));
      w.bridge.pass(false);
      assertThat(w.cloud.uploads()).as("a refusal is not repeated soon").hasSize(1);
      // The operator's ship tries at once.
      w.cloud.answer = body -> 200;
      s = w.bridge.ship();
      assertThat(s.state()).isEqualTo(BridgeStatus.READY);
      assertThat(w.cloud.acknowledged()).containsExactly(batch(h0, 0));
    }
  }
}
