package org.stackledger.kafka;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group is behind on a topic, per partition: the group's committed offset, the
 * partition's end offset and the difference, asked of the cluster's admin API. A partition the group
 * never committed counts from the partition's start, where the group's members begin
 * ({@code auto.offset.reset=earliest}), so every value waiting counts.
 *
 * <p>As meters ({@link #register}), the answer is cached and asked again in the background at most
 * every few seconds, so a scrape never waits for the cluster (and reads the last answer while it is away).
 */
public final class ConsumerLag implements AutoCloseable {
  /** The meter's name; tags {@code group}, {@code topic}, {@code partition}. */
  public static final String METER = "stackledger.kafka.consumer.lag";
  static final Duration REFRESH_EVERY = Duration.ofSeconds(5);

  /** One partition: the group's committed offset, the partition's end offset, and how many values lie between. */
  public record Partition(int partition, long committed, long end, long lag) {}

  private final Admin admin;
  private final String group;
  private final String topic;
  private final ExecutorService refresher = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "consumer-lag");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean refreshing = new AtomicBoolean();
  private volatile Map<Integer, Partition> last = Map.of();
  /** When the last answer came (nanoTime); at construction, long enough ago that the first scrape asks. */
  private volatile long lastAt = System.nanoTime() - 2 * REFRESH_EVERY.toNanos();

  private ConsumerLag(KafkaSettings settings, String group, String topic) {
    this.admin = Admin.create(settings.common());
    this.group = group;
    this.topic = topic;
  }

  /** The lag of the group ({@code settings}' prefix and {@code groupName}) on the topic ({@code topicName}). */
  public static ConsumerLag of(KafkaSettings settings, String groupName, String topicName) {
    return new ConsumerLag(settings, settings.topic(groupName), settings.topic(topicName));
  }

  /** Asks the cluster now, waiting at most {@code timeout}; partitions in order. */
  public List<Partition> partitions(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      int count = admin.describeTopics(List.of(topic)).allTopicNames().get(left(deadline), TimeUnit.NANOSECONDS)
          .get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
      for (int p = 0; p < count; p++) {
        latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
        earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
      }
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(left(deadline), TimeUnit.NANOSECONDS);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
          .get(left(deadline), TimeUnit.NANOSECONDS);
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all()
          .get(left(deadline), TimeUnit.NANOSECONDS);
      List<Partition> out = new ArrayList<>(count);
      for (int p = 0; p < count; p++) {
        TopicPartition tp = new TopicPartition(topic, p);
        OffsetAndMetadata c = committed.get(tp);
        long end = ends.get(tp).offset();
        long at = c != null ? c.offset() : starts.get(tp).offset();
        out.add(new Partition(p, at, end, Math.max(0, end - at)));
      }
      return out;
    } catch (ExecutionException e) {
      throw new IllegalStateException("the Kafka cluster did not answer the lag of " + group + " on " + topic + ": "
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the Kafka cluster did not answer the lag of " + group + " on " + topic
          + " within " + timeout.toMillis() + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking the lag of " + group + " on " + topic, e);
    }
  }

  private static long left(long deadline) {
    return Math.max(1, deadline - System.nanoTime());
  }

  /**
   * Registers a gauge {@value #METER} per partition ({@code partitions} of them) answering from the last
   * answer, which a scrape asks again in the background once it is older than a few seconds; NaN until
   * the cluster first answered.
   */
  public void register(MeterRegistry registry, int partitions) {
    for (int p = 0; p < partitions; p++) {
      int partition = p;
      Gauge.builder(METER, this, lag -> lag.cachedLag(partition))
          .description("Values of the topic the consumer group has not yet committed, per partition")
          .tags("group", group, "topic", topic, "partition", String.valueOf(partition))
          .register(registry);
    }
    refreshInBackground();
  }

  private double cachedLag(int partition) {
    if (System.nanoTime() - lastAt > REFRESH_EVERY.toNanos()) {
      refreshInBackground();
    }
    Partition p = last.get(partition);
    return p == null ? Double.NaN : p.lag();
  }

  private void refreshInBackground() {
    if (!refreshing.compareAndSet(false, true)) {
      return;
    }
    try {
      refresher.execute(() -> {
        try {
          Map<Integer, Partition> now = new HashMap<>();
          for (Partition p : partitions(REFRESH_EVERY)) {
            now.put(p.partition(), p);
          }
          last = Map.copyOf(now);
        } catch (RuntimeException e) {
          // The cluster is away: the meters keep the last answer, and the next scrape asks again.
        } finally {
          lastAt = System.nanoTime();
          refreshing.set(false);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      refreshing.set(false);
    }
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    admin.close(Duration.ofSeconds(1));
  }
}
