package org.stackledger.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member of a Kafka consumer group that works on the partitions the group assigns it, without
 * fetching their records: a worker whose input is named elsewhere (the usage log's rows name their
 * events' positions) but whose division of labour — each partition worked by exactly one live member,
 * a dead member's partitions moved to the others within the session timeout — is the group's. Every
 * {@code every}, and at once when the assignment changes, the work is called with the partitions held;
 * the offsets it answers (how far each partition is done) are committed to the group, which is what
 * the group's lag measures.
 *
 * <p>The consumer is used from its own thread only, as Kafka's consumer requires; the work runs there
 * too. A rebalance can hand a partition to another member while this one still works on it (a member
 * that stalls past the session timeout): the work must be safe to do twice, which the usage folds are
 * by their markers' keys.
 */
public final class PartitionOwner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionOwner.class);

  /** What the member does with the partitions it holds; answers the next offset of each that is done. */
  @FunctionalInterface
  public interface Work {
    Map<Integer, Long> run(Set<Integer> partitions);
  }

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final Duration every;
  private final Work work;
  private final Thread thread;
  private volatile boolean closed;
  private volatile Set<Integer> assigned = Set.of();
  private volatile boolean reassigned;

  private PartitionOwner(KafkaSettings settings, String topic, String group, Duration every, Work work) {
    this.topic = topic;
    this.every = every;
    this.work = work;
    Properties p = settings.groupMember(group);
    // The work may take minutes (a day of catching up); the group must not evict the member meanwhile.
    p.put("max.poll.interval.ms", String.valueOf(Duration.ofMinutes(15).toMillis()));
    // A commit while the cluster is away gives up after this (Kafka's default is a minute), and the member
    // goes on looking for closed hours; the next commit carries the progress.
    p.putIfAbsent("default.api.timeout.ms", "10000");
    this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.thread = new Thread(this::loop, "kafka-group-" + group);
    this.thread.setDaemon(true);
  }

  /**
   * Joins {@code group} on the topic {@code name} (with the settings' prefix) and starts working.
   *
   * @param every how often the work runs when nothing changes
   */
  public static PartitionOwner start(KafkaSettings settings, String name, String group, Duration every, Work work) {
    PartitionOwner member = new PartitionOwner(settings, settings.topic(name), settings.topicPrefix() + group, every, work);
    member.thread.start();
    return member;
  }

  /** The partitions this member holds now. */
  public Set<Integer> assigned() {
    return assigned;
  }

  private void loop() {
    try {
      consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          // Positions only: the records themselves are read where the work reads them.
          consumer.pause(partitions);
          changed();
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          changed();
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
          changed();
        }
      });
      long next = 0;
      while (!closed) {
        consumer.poll(Duration.ofMillis(200));
        if (reassigned || System.nanoTime() - next >= 0) {
          reassigned = false;
          next = System.nanoTime() + (runOnce() ? every : backoff()).toNanos();
        }
      }
    } catch (WakeupException e) {
      if (!closed) {
        LOG.warn("the consumer group member of {} was woken up unexpectedly", topic, e);
      }
    } catch (RuntimeException e) {
      LOG.error("the consumer group member of {} stopped", topic, e);
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  private void changed() {
    Set<Integer> now = new TreeSet<>();
    for (TopicPartition tp : consumer.assignment()) {
      now.add(tp.partition());
    }
    assigned = Set.copyOf(now);
    reassigned = true;
  }

  /**
   * The wait after the latest of a run of failed attempts: 1 s doubling to 30 s, so that a database away
   * for minutes is neither hammered five times a second nor filling the log.
   */
  private Duration backoff() {
    long seconds = Math.min(LONGEST_BACKOFF.toSeconds(), 1L << Math.min(5, Math.max(0, failures - 1)));
    return Duration.ofSeconds(seconds);
  }

  private static final Duration LONGEST_BACKOFF = Duration.ofSeconds(30);
  /** Attempts failed in a row; the first of a run is logged with its cause, the others in a line. */
  private int failures;

  /** Works once on the partitions held; false when the work failed (tried again after a backoff). */
  private boolean runOnce() {
    changed();
    Set<Integer> mine = assigned;
    if (mine.isEmpty()) {
      return true;
    }
    Map<Integer, Long> done;
    try {
      done = work.run(mine);
    } catch (RuntimeException e) {
      failures++;
      if (failures == 1) {
        LOG.warn("work on partitions {} of {} failed; will try again", mine, topic, e);
      } else {
        LOG.warn("work on partitions {} of {} failed again ({} in a row): {}", mine, topic, failures, e.toString());
      }
      return false;
    }
    if (failures > 0) {
      LOG.info("work on partitions {} of {} goes on after {} failed attempts", mine, topic, failures);
      failures = 0;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    done.forEach((partition, offset) -> {
      if (assigned.contains(partition) && offset >= 0) {
        offsets.put(new TopicPartition(topic, partition), new OffsetAndMetadata(offset));
      }
    });
    if (!offsets.isEmpty()) {
      try {
        consumer.commitSync(offsets);
      } catch (org.apache.kafka.common.KafkaException e) {
        // A rebalance took partitions meanwhile; their new member commits its own progress.
        LOG.debug("committing {} to the group failed", offsets, e);
      }
    }
    return true;
  }

  /** Leaves the group (its partitions go to the other members at once) and stops the thread. */
  @Override
  public void close() {
    closed = true;
    consumer.wakeup();
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
