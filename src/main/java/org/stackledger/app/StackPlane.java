package org.stackledger.app;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.kafka.ConsumerLag;
import org.stackledger.kafka.TopicStore;
import org.stackledger.archive.ArchiveRoutes;
import org.stackledger.archive.Retention;
import org.stackledger.backup.Backup;
import org.stackledger.backup.BackupRoutes;
import org.stackledger.bridge.Bridge;
import org.stackledger.bridge.BridgeNotReady;
import org.stackledger.bridge.BridgeToken;
import org.stackledger.bridge.HttpsCommerceTarget;
import org.stackledger.bridge.UsageFileExport;
import org.stackledger.commerce.UsageFile;
import org.stackledger.http.Router;
import org.stackledger.meters.MeterRoutes;
import org.stackledger.stamp.BridgeSignIn;
import org.stackledger.stamp.Stamp;
import org.stackledger.stamp.StampFacts;
import org.stackledger.usage.JdbcUsageSubscriptions;
import org.stackledger.usage.AggregationGroup;
import org.stackledger.usage.Usage;
import org.stackledger.usersubscriptions.UserSubscriptionRoutes;
import org.stackledger.usersubscriptions.UserSubscriptions;

/**
 * The stack plane — one Azure Stack deployment — on the stack admin and tenant ARM endpoints: the
 * stamp and its guest directories, user subscriptions, the meters, usage intake and the usage APIs,
 * and the usage bridge that ships closed hours to the cloud the deployment is registered with. It
 * reaches that cloud only over HTTPS ({@link ServerOptions.Cloud}), whether it is this process's own
 * cloud plane or another process's ({@code --cloud}).
 */
final class StackPlane implements AutoCloseable {
  private final Shared shared;
  private final Stamp stamp;
  private final UserSubscriptions userSubscriptions;
  private final UserSubscriptionRoutes userSubscriptionRoutes;
  private final Usage usage;
  /** This process's membership of the usage log's aggregation group with {@code --kafka}; else null. */
  private final AggregationGroup aggregation;
  /** The aggregation group's lag on the usage log's topic, with {@code --kafka}; else null. */
  private final ConsumerLag aggregationLag;
  /** How long the bridge's status waits for the cluster to tell the lag. */
  private static final java.time.Duration LAG_TIMEOUT = java.time.Duration.ofSeconds(3);
  /** Whether this process takes usage batches ({@code serve --roles}). */
  private final boolean intakeNode;
  /** The topic of the usage log's events with {@code --kafka}; else null. */
  private final TopicStore kafka;
  /** The cluster's last answer to whether it answers, and when it was asked (nanoTime); null before the first. */
  private KafkaAnswer kafkaAnswer;

  private record KafkaAnswer(long askedAt, boolean reachable) {}
  private static final java.time.Duration KAFKA_HEALTH_EVERY = java.time.Duration.ofSeconds(5);
  private static final String USAGE_TOPIC = org.stackledger.usage.Usage.KAFKA_TOPIC;
  private final UsageFileExport usageFileExport;
  private final Bridge bridge;
  private final ArchiveRoutes archiveRoutes;

  /**
   * @param cloud            the cloud the deployment is registered with
   * @param externalIdentity whether the stack endpoints trust an external OIDC issuer (the identity
   *                         system then defaults to ADFS)
   * @param metrics          where the bridge records its meters
   */
  StackPlane(Shared shared, ServerOptions options, ServerOptions.Cloud cloud, boolean externalIdentity,
      MeterRegistry metrics) throws IOException, StartRefused {
    Jdbi jdbi = shared.database().jdbi();
    Clock clock = shared.clock();
    this.shared = shared;
    this.stamp = new Stamp(jdbi, clock, shared.arm(), facts(shared, options, externalIdentity),
        new Stamp.Cloud(cloud.identityUrl(), cloud.homeTenantId(), cloud.caPem()));
    this.userSubscriptions = new UserSubscriptions(jdbi, clock, shared.arm().subscriptions(), shared.roleAssignments());
    // A user subscription's directory must be able to sign in to the deployment: home or onboarded guest.
    this.userSubscriptionRoutes = new UserSubscriptionRoutes(shared.arm(), userSubscriptions, shared.directory(),
        shared.roleAssignments(), this::admits, stamp.facts()::region, shared.operatorSubscriptionId());
    // What this constructor has opened, closed again if a later step fails (a producer, a consumer
    // group's member and threads would otherwise outlive a start that was refused).
    java.util.List<AutoCloseable> opened = new java.util.ArrayList<>();
    try {
      // With --kafka the usage log's events go to a topic of the cluster (made if absent), its rows stay here.
      this.kafka = options.kafka() == null ? null : usageTopic(options.kafka());
      opened.add(kafka);
      // On Kafka the background folding is the aggregation group's (a member a process, each folding the
      // partitions assigned to it); alone, this process folds every minute.
      this.usage = Usage.open(jdbi, shared.arm(), shared::meterId, new JdbcUsageSubscriptions(jdbi), clock,
          fingerprintSeed(shared), kafka == null, kafka == null ? Usage.jdbcLog(jdbi) : Usage.kafkaLog(jdbi, kafka),
          org.stackledger.usage.Intake::watermark);
      opened.add(usage);
      this.aggregation = kafka == null || !options.roles().contains(ProcessRole.AGGREGATOR) ? null
          : AggregationGroup.join(usage, options.kafka(), USAGE_TOPIC, clock);
      opened.add(aggregation);
      this.intakeNode = options.roles().contains(ProcessRole.INTAKE);
      // On Kafka the aggregation group's lag per partition: on /metrics, and in the bridge's status.
      this.aggregationLag = kafka == null ? null
          : ConsumerLag.of(options.kafka(), AggregationGroup.GROUP, USAGE_TOPIC);
      opened.add(aggregationLag);
      if (aggregationLag != null) {
        aggregationLag.register(metrics, kafka.partitions());
      }
      Bridge.Deployment deployment = new Bridge.Deployment(stamp.facts().cloudId(), usage, stamp.activations(),
          id -> userSubscriptions.find(id).map(UserSubscriptions.UserSubscription::tenantId).orElse(null),
          () -> aggregationLag == null ? java.util.List.of() : aggregationLag.partitions(LAG_TIMEOUT).stream()
              .map(p -> new Bridge.PartitionLag(p.partition(), p.committed(), p.end(), p.lag())).toList());
      // A disconnected deployment's usage leaves as a file signed with the same key the bridge signs in with.
      this.usageFileExport = new UsageFileExport(deployment, shared.arm(),
          (cloudId, registration, from, to, batches) -> UsageFile.write(cloudId, registration, from, to,
              clock.instant(), batches, stamp.bridgeKey().signer(), stamp.bridgeKey().certificate()));
      // The bridge ships closed hours to the cloud's commerce intake as the registration's bridge principal.
      this.bridge = Bridge.open(jdbi, deployment, new Bridge.Cloud(cloud::armUrl, bridgeToken(stamp.bridgeSignIn()),
          new HttpsCommerceTarget(cloud.caPem())), shared.arm(), metrics, clock, ThreadLocalRandom.current().nextLong(),
          options.roles().contains(ProcessRole.AGGREGATOR),
          // Of several aggregator processes, the member that folds the log's partition 0 ships: one shipper at
          // a time, moved by the group within seconds when it dies.
          () -> aggregation == null || aggregation.assigned().contains(0));
      opened.add(bridge);
      // Retention writes a month's raw usage to the data folder's archive/ before it removes it.
      this.archiveRoutes = new ArchiveRoutes(shared.arm(), new Retention(jdbi, stamp.facts().cloudId(),
          options.dataDir().toAbsolutePath().resolve("archive"), clock));
    } catch (RuntimeException | IOException e) {
      closeAll(opened, e);
      throw e;
    }
  }

  /** Closes what a failed start opened, newest first; what fails to close is added to the start's failure. */
  private static void closeAll(java.util.List<AutoCloseable> opened, Exception failure) {
    for (int i = opened.size() - 1; i >= 0; i--) {
      AutoCloseable c = opened.get(i);
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (Exception e) {
        failure.addSuppressed(e);
      }
    }
  }

  private static TopicStore usageTopic(org.stackledger.kafka.KafkaSettings settings) throws StartRefused {
    try {
      return org.stackledger.usage.Usage.openKafkaTopic(settings);
    } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
      throw new StartRefused("cannot open the usage log on Kafka (--kafka " + settings.bootstrap() + "): "
          + e.getMessage());
    }
  }

  private static StampFacts facts(Shared shared, ServerOptions options, boolean externalIdentity) {
    ServerOptions.Stamp asked = options.stamp() != null ? options.stamp() : new ServerOptions.Stamp(null, null, null, null);
    return StampFacts.resolve(shared.settings(), asked.cloudId(), asked.region(), asked.externalDomain(),
        asked.identitySystem(), externalIdentity);
  }

  /** The seed of the intake's event fingerprints: random, chosen once, so nobody can aim eventIds at a collision. */
  private static long fingerprintSeed(Shared shared) {
    return Long.parseLong(shared.settings().getOrCreate("usageFingerprintSeed",
        () -> Long.toString(new SecureRandom().nextLong())));
  }

  /** The bridge signs in as the registration's own service principal with the deployment's key. */
  private static BridgeToken bridgeToken(BridgeSignIn signIn) {
    return () -> {
      try {
        return signIn.accessToken(Stackledger.CLOUD_AUDIENCE);
      } catch (BridgeSignIn.NotReady e) {
        throw new BridgeNotReady(e.code(), e.getMessage());
      }
    };
  }

  /** Whether a directory tenant may sign in to the deployment: the home one or an onboarded guest. */
  boolean admits(String tenantId) {
    return tenantId.equalsIgnoreCase(shared.homeTenantId()) || stamp.guestDirectories().isOnboarded(tenantId);
  }

  /** The stack plane's routes, on its two endpoints. */
  void register(Endpoints endpoints) {
    Router admin = endpoints.router(EndpointRole.STACK_ADMIN_ARM);
    userSubscriptionRoutes.registerAdmin(admin);
    MeterRoutes.register(admin, shared.meters());
    stamp.register(admin);
    usage.registerIntake(admin, intakeNode);
    usage.registerProviderApi(admin);
    bridge.register(admin);
    usageFileExport.register(admin);
    archiveRoutes.register(admin);
    new BackupRoutes(shared.arm(), new Backup(shared.database())).register(admin);
    Router tenant = endpoints.router(EndpointRole.STACK_TENANT_ARM);
    userSubscriptionRoutes.registerTenant(tenant);
    MeterRoutes.register(tenant, shared.meters());
    usage.registerTenantApi(tenant);
  }

  Stamp stamp() {
    return stamp;
  }

  UserSubscriptions userSubscriptions() {
    return userSubscriptions;
  }

  UserSubscriptionRoutes userSubscriptionRoutes() {
    return userSubscriptionRoutes;
  }

  Usage usage() {
    return usage;
  }

  Bridge bridge() {
    return bridge;
  }

  @Override
  public void close() {
    try {
      if (aggregation != null) {
        aggregation.close();
      }
      if (aggregationLag != null) {
        aggregationLag.close();
      }
      bridge.close();
    } finally {
      try {
        usage.close();
      } finally {
        if (kafka != null) {
          kafka.close();
        }
      }
    }
  }

  /**
   * Whether the Kafka cluster of the usage log answers, asked at most every few seconds ({@code /healthz}
   * may be polled often); empty when the log is not on Kafka.
   */
  java.util.Optional<Boolean> kafkaReachable() {
    if (kafka == null) {
      return java.util.Optional.empty();
    }
    long now = System.nanoTime();
    synchronized (this) {
      if (kafkaAnswer == null || now - kafkaAnswer.askedAt() > KAFKA_HEALTH_EVERY.toNanos()) {
        kafkaAnswer = new KafkaAnswer(now, kafka.reachable(java.time.Duration.ofSeconds(2)));
      }
      return java.util.Optional.of(kafkaAnswer.reachable());
    }
  }
}
