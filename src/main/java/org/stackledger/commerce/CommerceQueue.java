package org.stackledger.commerce;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.stackledger.kafka.KafkaSettings;
import org.stackledger.kafka.TopicStore;

/**
 * The commerce topic ({@code PREFIXusage-records}) with {@code serve --kafka}: the upload route appends
 * a checked batch here and answers 202; commerce workers ({@link CommerceWorker}) store it. One
 * registration's uploads go to one partition (chosen from its id), so a worker takes them in the order
 * they were acknowledged. An append returns once every in-sync replica holds it; a cluster that does not
 * take it in time is 503 {@code CommerceQueueUnavailable} with {@code Retry-After}, and nothing is queued
 * that the bridge was told is.
 */
public final class CommerceQueue implements AutoCloseable {
  static final String TOPIC = "usage-records";
  /** The consumer group of the commerce workers, under the topic prefix. */
  static final String GROUP = "commerce";
  /** Room for as many commerce workers. */
  static final int PARTITIONS = 12;
  private static final TopicStore.Refusal REFUSAL = new TopicStore.Refusal("CommerceQueueUnavailable",
      "The commerce queue");

  private final TopicStore topic;
  private final Clock clock;
  private final org.stackledger.kafka.ConsumerLag lag;

  private CommerceQueue(TopicStore topic, Clock clock, org.stackledger.kafka.ConsumerLag lag) {
    this.topic = topic;
    this.clock = clock;
    this.lag = lag;
  }

  /**
   * Opens the topic, making it if absent.
   *
   * @throws IllegalStateException when the cluster does not answer (a server then refuses to start)
   */
  public static CommerceQueue open(KafkaSettings settings, Clock clock) {
    return new CommerceQueue(TopicStore.open(settings, TOPIC, PARTITIONS, REFUSAL), clock, lag(settings));
  }

  /** The commerce workers' lag on the topic: what is queued and not yet stored, per partition. */
  public static org.stackledger.kafka.ConsumerLag lag(KafkaSettings settings) {
    return org.stackledger.kafka.ConsumerLag.of(settings, GROUP, TOPIC);
  }

  /** The commerce workers' lag on this topic (closed with the queue). */
  public org.stackledger.kafka.ConsumerLag lag() {
    return lag;
  }

  /** The topic's partitions: at most as many workers share the work. */
  public int partitions() {
    return topic.partitions();
  }

  /** Queues a checked upload; answers it as queued. */
  QueuedUpload append(Commerce.Reporter reporter, UsageReport report, byte[] body, String source) {
    QueuedUpload upload = new QueuedUpload(UUID.randomUUID().toString(), reporter, source, report.batchId(),
        report.records().size(), clock.instant(), body);
    String registration = reporter.registrationId().toLowerCase(Locale.ROOT);
    topic.appendAll(List.of(new TopicStore.Value(registration.getBytes(StandardCharsets.UTF_8),
        registration.hashCode(), upload.encode())));
    return upload;
  }

  @Override
  public void close() {
    try {
      topic.close();
    } finally {
      lag.close();
    }
  }
}
