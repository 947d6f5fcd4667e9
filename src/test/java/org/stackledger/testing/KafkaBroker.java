package org.stackledger.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real Apache Kafka cluster in KRaft mode inside the test JVM: Kafka's own test kit
 * ({@code KafkaClusterTestKit}), which is Kafka's internal test API with no compatibility promise,
 * so it is wrapped here and nowhere else. One broker combined with its controller by default (this
 * machine has two cores); more brokers when a test asks. One cluster is shared by the JVM's tests:
 * each test keeps to topics of its own prefix.
 */
public final class KafkaBroker implements AutoCloseable {
  private static KafkaBroker shared;

  private final KafkaClusterTestKit cluster;
  private final Path folder;

  private KafkaBroker(KafkaClusterTestKit cluster, Path folder) {
    this.cluster = cluster;
    this.folder = folder;
  }

  /** Starts a cluster of {@code brokers} brokers, each combined with a controller. */
  public static KafkaBroker start(int brokers) throws Exception {
    Path folder = Files.createTempDirectory("stackledger-kafka");
    TestKitNodes nodes = new TestKitNodes.Builder()
        .setCombined(true)
        .setNumBrokerNodes(brokers)
        .setNumControllerNodes(brokers)
        .setBaseDirectory(folder)
        .build();
    KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
        .setConfigProp("offsets.topic.replication.factor", String.valueOf(brokers))
        .setConfigProp("transaction.state.log.replication.factor", String.valueOf(brokers))
        .setConfigProp("transaction.state.log.min.isr", "1")
        .setConfigProp("group.initial.rebalance.delay.ms", "0")
        .build();
    try {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
    return new KafkaBroker(cluster, folder);
  }

  /** The JVM's shared one-broker cluster, started at first use and stopped when the JVM exits. */
  public static synchronized KafkaBroker shared() throws Exception {
    if (shared == null) {
      shared = start(1);
      KafkaBroker stopping = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          stopping.close();
        } catch (Exception ignored) {
          // The JVM is exiting; the folder is temporary.
        }
      }));
    }
    return shared;
  }

  /** The bootstrap servers, as {@code serve --kafka} takes them. */
  public String bootstrap() {
    return cluster.bootstrapServers();
  }

  @Override
  public void close() throws Exception {
    try {
      cluster.close();
    } finally {
      try (Stream<Path> files = Files.walk(folder)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
