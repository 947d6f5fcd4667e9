package org.stackledger.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a consumer group on one topic, on a daemon thread of its own (a {@link KafkaConsumer}
 * is used from one thread only): each value is handed to the {@link Handler} in partition order, and a
 * partition's offset is committed only after the handler returned for every value before it — so a
 * value is handled at least once, and never skipped. A handler that throws is a transient failure: the
 * partition is sought back to that value and the member waits (250 ms, doubling up to 15 s) before it
 * tries again; what the handler deems final (a refusal it recorded) it must return from normally.
 *
 * <p>Offsets are committed after each poll's values, and when the group takes partitions away
 * (a rebalance): what was handled is committed before another member starts on them. The group's
 * session is short (6 s, heartbeats every second) so that a member that dies without leaving has its
 * partitions moved within seconds, not the 45 s of Kafka's default.
 */
public final class GroupMember implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupMember.class);
  private static final Duration POLL = Duration.ofMillis(250);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
  private static final Duration LONGEST_BACKOFF = Duration.ofSeconds(15);
  private static final int MAX_VALUE_BYTES = 16 << 20;

  /** What a member does with each value; it throws to have the value given again later. */
  @FunctionalInterface
  public interface Handler {
    void handle(Message message) throws Exception;
  }

  /** One value of the topic and where it stands. */
  public record Message(int partition, long offset, byte[] key, byte[] value) {}

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final Handler handler;
  private final Thread thread;
  /** Counted down when the member is to stop: also what a backoff waits on, so closing never waits it out. */
  private final CountDownLatch stopping = new CountDownLatch(1);
  /** Handled and not yet committed: the next offset of each partition. Touched by the member's thread only. */
  private final Map<TopicPartition, OffsetAndMetadata> handled = new HashMap<>();
  private volatile boolean halted;
  /** The partitions the group gave this member, as its last rebalance left them. */
  private volatile java.util.Set<Integer> assigned = java.util.Set.of();
  private Duration backoff = FIRST_BACKOFF;

  private GroupMember(KafkaSettings settings, String group, String topic, Handler handler, String name) {
    Properties p = settings.groupMember(group);
    // A value may be an upload of 16 MB; a few at a time keep one poll's work well within max.poll.interval.ms.
    p.putIfAbsent("max.poll.records", "20");
    p.put("max.partition.fetch.bytes", String.valueOf(MAX_VALUE_BYTES));
    p.put("fetch.max.bytes", String.valueOf(4 * MAX_VALUE_BYTES));
    this.consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.topic = topic;
    this.handler = handler;
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
  }

  /**
   * Starts a member of {@code group} ({@code settings}' prefix and {@code groupName}) on the topic
   * ({@code settings}' prefix and {@code topicName}); {@code name} names its thread.
   */
  public static GroupMember start(KafkaSettings settings, String groupName, String topicName, Handler handler,
      String name) {
    GroupMember m = new GroupMember(settings, settings.topic(groupName), settings.topic(topicName), handler, name);
    m.thread.start();
    return m;
  }

  private void run() {
    try {
      consumer.subscribe(List.of(topic), new CommitOnRevoke());
      while (stopping.getCount() > 0 && !halted) {
        try {
          pollOnce();
        } catch (WakeupException e) {
          break;
        } catch (KafkaException e) {
          // The cluster away, a commit that timed out: what was handled stays to be committed, and
          // the member tries again — it never gives up on its partitions while the server runs.
          LOG.warn("the member of the consumer group on {} failed; tried again in {} ms", topic, backoff.toMillis(), e);
          waitBeforeRetry();
        }
      }
    } catch (WakeupException e) {
      // close() while subscribing: the loop ends.
    } catch (RuntimeException | Error e) {
      LOG.error("the member of the consumer group on {} stopped", topic, e);
    } finally {
      if (!halted) {
        try {
          commit();
        } catch (RuntimeException e) {
          LOG.warn("the member of the consumer group on {} could not commit at close; what it handled since its "
              + "last commit is handled again by the next owner (once, as handling is idempotent)", topic, e);
        }
      }
      consumer.close(halted
          ? CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
              .withTimeout(Duration.ZERO)
          : CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  /** One poll: its values handled partition by partition, then what was handled committed. */
  private void pollOnce() {
    ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
    List<TopicPartition> partitions = List.copyOf(records.partitions());
    for (int i = 0; i < partitions.size(); i++) {
      if (!handle(partitions.get(i), records.records(partitions.get(i)))) {
        // The consumer's position is past everything the poll returned: the partitions not reached
        // go back to their first value, to be polled again.
        for (TopicPartition rest : partitions.subList(i + 1, partitions.size())) {
          consumer.seek(rest, records.records(rest).get(0).offset());
        }
        break;
      }
    }
    if (!halted) {
      commit();
    }
  }

  /**
   * Hands the partition's values to the handler in order. On a failure (or when the member is asked to
   * stop) the partition is sought back to its first value not handled, and after a failure the member
   * waits before it polls again; answers whether to go on with the poll's other partitions.
   */
  private boolean handle(TopicPartition tp, List<ConsumerRecord<byte[], byte[]>> records) {
    for (ConsumerRecord<byte[], byte[]> r : records) {
      if (halted || stopping.getCount() == 0) {
        consumer.seek(tp, r.offset());
        return false;
      }
      try {
        handler.handle(new Message(r.partition(), r.offset(), r.key(), r.value()));
      } catch (Exception e) {
        LOG.warn("value {} of {} not handled; tried again in {} ms", r.offset(), tp, backoff.toMillis(), e);
        consumer.seek(tp, r.offset());
        waitBeforeRetry();
        return false;
      }
      handled.put(tp, new OffsetAndMetadata(r.offset() + 1));
      backoff = FIRST_BACKOFF;
    }
    return true;
  }

  private void waitBeforeRetry() {
    try {
      stopping.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    backoff = backoff.multipliedBy(2).compareTo(LONGEST_BACKOFF) > 0 ? LONGEST_BACKOFF : backoff.multipliedBy(2);
  }

  private void commit() {
    if (handled.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(handled);
    } catch (CommitFailedException e) {
      // The group moved the partitions on (this member was too slow, or rebalanced): their next owner
      // starts from the last commit and handles those values again, which changes nothing.
      LOG.info("offsets of {} not committed: the group moved its partitions on", topic);
    }
    // Not cleared when the commit failed otherwise (the cluster away): committed with the next poll's.
    handled.clear();
  }

  /** Commits what was handled before the group gives the partitions to another member. */
  private final class CommitOnRevoke implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      assigned = without(partitions);
      if (!halted) {
        try {
          commit();
        } catch (KafkaException e) {
          LOG.warn("offsets of {} not committed at a rebalance; the next owner handles those values again", topic, e);
        }
      }
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      // Each starts from the group's committed offset (or the topic's start): nothing else to do.
      java.util.Set<Integer> now = new java.util.TreeSet<>(assigned);
      partitions.forEach(tp -> now.add(tp.partition()));
      assigned = java.util.Set.copyOf(now);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // Owned by another member already: committing would fail. What was handled is handled again there.
      assigned = without(partitions);
      handled.keySet().removeAll(partitions);
    }

    private java.util.Set<Integer> without(Collection<TopicPartition> partitions) {
      java.util.Set<Integer> now = new java.util.TreeSet<>(assigned);
      partitions.forEach(tp -> now.remove(tp.partition()));
      return java.util.Set.copyOf(now);
    }
  }

  /** The partitions of the topic the group gave this member (empty before it joined, and after it left). */
  public java.util.Set<Integer> partitions() {
    return thread.isAlive() ? assigned : java.util.Set.of();
  }

  /** Stops the member: it finishes the value in hand, commits what it handled and leaves the group. */
  @Override
  public void close() {
    if (!thread.isAlive()) {
      return;
    }
    stopping.countDown();
    consumer.wakeup();
    join();
  }

  /**
   * Stops the member as a killed process stops: after the value in hand, without committing what it
   * handled since its last commit and without leaving the group, so the group notices only when its
   * session times out, and the next owner handles those values again. For tests of exactly that.
   */
  public void halt() {
    if (!thread.isAlive()) {
      return;
    }
    halted = true;
    stopping.countDown();
    consumer.wakeup();
    join();
  }

  private void join() {
    if (Thread.currentThread() == thread) {
      return;
    }
    try {
      thread.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
