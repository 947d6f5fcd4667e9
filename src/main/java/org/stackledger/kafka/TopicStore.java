package org.stackledger.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.stackledger.problem.Problem;

/**
 * Values appended to one Kafka topic and read back by position, for a feature whose rows in the
 * database name them: the database says what exists, Kafka holds the bytes. An append returns only
 * once every value is on all in-sync replicas ({@code acks=all}, idempotent producer): what a caller
 * acknowledges after it is as durable as the cluster. A value whose append failed or whose row was
 * never committed stays in the topic, named by nothing, never read.
 *
 * <p>A position is one {@code long}: the partition in the top 24 bits, the offset in the low 40. The
 * topic is made at open if absent: its partitions as asked, replicated three times or on every broker
 * if fewer, values up to 16 MB.
 */
public final class TopicStore implements AutoCloseable {
  private static final int OFFSET_BITS = 40;
  private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;
  private static final int MAX_VALUE_BYTES = 16 << 20;
  /**
   * How long an append waits for the cluster before the caller is told to come back, unless the
   * client properties set {@code delivery.timeout.ms}.
   */
  private static final Duration APPEND_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration RETRY_AFTER = Duration.ofSeconds(30);
  /** How long opening waits for the cluster to describe itself and make the topic. */
  private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(10);

  /** One value to append: a key (kept with the value, checked on read) and the partition it goes to. */
  public record Value(byte[] key, int partition, byte[] bytes) {}

  /**
   * What a caller is told when the cluster does not take its values in time: the error code of the 503
   * and what the topic is to it, in words ("The usage log"), so each feature's clients read their own
   * refusal while this class knows nothing of features.
   */
  public record Refusal(String code, String what) {
    /** The refusal of a topic no feature named one for. */
    static Refusal of(String topic) {
      return new Refusal("TopicUnavailable", "The topic " + topic);
    }
  }

  private final KafkaSettings settings;
  private final String topic;
  private final int partitions;
  private final KafkaProducer<byte[], byte[]> producer;
  private final KafkaConsumer<byte[], byte[]> reader;
  private final ReentrantLock reading = new ReentrantLock();
  private final Duration appendTimeout;
  private final Refusal refusal;

  /**
   * How a topic's values are compressed by the producer, unless the client properties set
   * {@code compression.type}: lz4, or none for values their feature made compact already. Kafka's lz4
   * frames each producer batch with buffers of its own (two of 64 KB, made for every batch and then
   * garbage), which costs more than it saves on values with nothing left to take out.
   */
  public enum Compression {
    LZ4("lz4"), NONE("none");

    private final String type;

    Compression(String type) {
      this.type = type;
    }
  }

  private TopicStore(KafkaSettings settings, String topic, int partitions, Refusal refusal, Compression compression) {
    this.settings = settings;
    this.topic = topic;
    this.partitions = partitions;
    this.refusal = refusal;
    this.appendTimeout = Duration.ofMillis(Long.parseLong(settings.clientProperties().getOrDefault(
        "delivery.timeout.ms", String.valueOf(APPEND_TIMEOUT.toMillis()))));
    Properties p = settings.common();
    // What the usage log's durability rests on: never left to a properties file.
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.putIfAbsent("compression.type", compression.type);
    p.putIfAbsent("linger.ms", "1");
    p.put("max.request.size", String.valueOf(MAX_VALUE_BYTES));
    p.put("delivery.timeout.ms", String.valueOf(appendTimeout.toMillis()));
    // One request may take (nearly) the whole append time: a request retried because it timed out
    // while the broker was still appending it comes back out of sequence, and retries until the end.
    p.put("request.timeout.ms", String.valueOf(Math.max(1_000, appendTimeout.toMillis() - 1_000)));
    p.put("max.block.ms", String.valueOf(appendTimeout.toMillis()));
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    Properties c = settings.common();
    c.put("enable.auto.commit", "false");
    c.put("max.partition.fetch.bytes", String.valueOf(MAX_VALUE_BYTES));
    c.put("fetch.max.bytes", String.valueOf(4 * MAX_VALUE_BYTES));
    c.put("auto.offset.reset", "none");
    // A read that follows another waits for the fetch the consumer sent ahead for the last one, which the
    // broker holds up to this long when it has nothing more (500 ms by default: a fold of 12 partitions
    // took 6 s, almost all of it waiting): reads are by position, of values known to be there.
    c.put("fetch.max.wait.ms", "5");
    this.reader = new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** Opens the store of a topic ({@code settings}' prefix and {@code name}), making the topic if absent. */
  public static TopicStore open(KafkaSettings settings, String name, int partitions) {
    return open(settings, name, partitions, Refusal.of(settings.topic(name)));
  }

  /**
   * Opens the store of a topic, making it if absent; an append the cluster does not take in time is
   * refused as {@code refusal} says. Values compressed with lz4.
   */
  public static TopicStore open(KafkaSettings settings, String name, int partitions, Refusal refusal) {
    return open(settings, name, partitions, refusal, Compression.LZ4);
  }

  /** As {@link #open(KafkaSettings, String, int, Refusal)}, the values compressed as {@code compression} says. */
  public static TopicStore open(KafkaSettings settings, String name, int partitions, Refusal refusal,
      Compression compression) {
    String topic = settings.topic(name);
    Admin admin = Admin.create(settings.common());
    try {
      int brokers = admin.describeCluster().nodes().get(OPEN_TIMEOUT.toSeconds(), TimeUnit.SECONDS).size();
      short replicas = (short) Math.min(3, Math.max(1, brokers));
      NewTopic t = new NewTopic(topic, partitions, replicas).configs(Map.of(
          "max.message.bytes", String.valueOf(MAX_VALUE_BYTES),
          "min.insync.replicas", String.valueOf(Math.min(2, replicas))));
      try {
        admin.createTopics(List.of(t)).all().get(OPEN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      return new TopicStore(settings, topic, partitionsOf(admin, topic), refusal, compression);
    } catch (TimeoutException e) {
      throw new IllegalStateException("the Kafka cluster at " + settings.bootstrap() + " did not answer within "
          + OPEN_TIMEOUT.toSeconds() + " s", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the Kafka cluster at " + settings.bootstrap() + " did not make or describe the "
          + "topic " + topic + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while opening the topic " + topic, e);
    } finally {
      // Not the default close, which waits for the calls a cluster that does not answer never completes.
      admin.close(Duration.ofSeconds(1));
    }
  }

  /**
   * The partitions of a topic just made, once each has a leader that serves it: a broker may not know
   * the topic for a moment after the controller made it, and may name itself leader in its metadata
   * before its log is ready to take appends. An idempotent producer's first batches sent in that moment
   * come back NOT_LEADER_OR_FOLLOWER and then, retried, out of sequence until they expire (seen on a
   * broker that had made many topics before). Asking each partition's end offset is answered by the
   * leader's log itself, so the open waits for it, asking again until the open's time is up.
   */
  private static int partitionsOf(Admin admin, String topic)
      throws ExecutionException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + OPEN_TIMEOUT.toNanos();
    while (true) {
      try {
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames()
            .get(OPEN_TIMEOUT.toSeconds(), TimeUnit.SECONDS).get(topic).partitions().size();
        Map<TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> ends = new HashMap<>();
        for (int p = 0; p < partitions; p++) {
          ends.put(new TopicPartition(topic, p), org.apache.kafka.clients.admin.OffsetSpec.latest());
        }
        admin.listOffsets(ends).all().get(OPEN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        return partitions;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException)
            || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  public int partitions() {
    return partitions;
  }

  /**
   * Appends the values and waits until every one is acknowledged by all in-sync replicas; answers
   * their positions, in order. A cluster that does not take them in time is a 503 with
   * {@code Retry-After}: nothing the caller acknowledges depends on them.
   */
  public List<Long> appendAll(List<Value> values) {
    List<Appending> sent = new ArrayList<>(values.size());
    for (Value v : values) {
      sent.add(append(v));
    }
    List<Long> positions = new ArrayList<>(values.size());
    for (Appending a : sent) {
      positions.add(a.position());
    }
    return positions;
  }

  /**
   * Starts appending a value and returns at once (unless the producer's buffer is full): the caller
   * does other work while the replicas acknowledge it, and asks {@link Appending#position()} when it
   * needs the answer.
   */
  public Appending append(Value v) {
    long deadline = System.nanoTime() + appendTimeout.toNanos();
    try {
      return new Appending(producer.send(new ProducerRecord<>(topic, Math.floorMod(v.partition(), partitions), v.key(),
          v.bytes())), deadline);
    } catch (org.apache.kafka.common.KafkaException e) {
      throw unavailable(e);
    }
  }

  /** A value on its way to the topic. */
  public final class Appending {
    private final Future<RecordMetadata> sent;
    private final long deadline;

    private Appending(Future<RecordMetadata> sent, long deadline) {
      this.sent = sent;
      this.deadline = deadline;
    }

    /**
     * Waits until every in-sync replica holds the value and answers its position; a 503 with
     * {@code Retry-After} if the cluster does not take it by the append timeout from its start.
     */
    public long position() {
      try {
        RecordMetadata m = sent.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return TopicStore.position(m.partition(), m.offset());
      } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
        throw unavailable(e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw Problem.unavailable(refusal.code(), "Interrupted while " + refusal.what().toLowerCase(java.util.Locale.ROOT)
            + " took the batch.", RETRY_AFTER);
      }
    }
  }

  private Problem unavailable(Throwable cause) {
    return Problem.unavailable(refusal.code(), refusal.what() + " (Kafka at " + settings.bootstrap()
        + ") did not take the batch: " + cause.getMessage() + ". Nothing of it was recorded; send it again.",
        RETRY_AFTER);
  }

  /**
   * The values at these positions, each checked to hold the key it was appended with ({@code keys},
   * by position). A position the topic no longer holds (retention) or whose key differs is a damaged
   * or foreign log: an error, never a wrong value.
   */
  public Map<Long, byte[]> read(Map<Long, byte[]> keys) {
    Map<Long, byte[]> found = new HashMap<>();
    if (keys.isEmpty()) {
      return found;
    }
    Map<TopicPartition, TreeMap<Long, Long>> wanted = new HashMap<>();
    for (long position : keys.keySet()) {
      wanted.computeIfAbsent(new TopicPartition(topic, (int) (position >>> OFFSET_BITS)), p -> new TreeMap<>())
          .put(position & OFFSET_MASK, position);
    }
    reading.lock();
    try {
      reader.assign(wanted.keySet());
      wanted.forEach((tp, offsets) -> reader.seek(tp, offsets.firstKey()));
      long deadline = System.nanoTime() + APPEND_TIMEOUT.toNanos();
      while (found.size() < keys.size()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the topic " + topic + " did not return " + (keys.size() - found.size())
              + " of the values its rows name within " + APPEND_TIMEOUT.toSeconds() + " s");
        }
        for (ConsumerRecord<byte[], byte[]> r : reader.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          TreeMap<Long, Long> offsets = wanted.get(tp);
          Long position = offsets == null ? null : offsets.get(r.offset());
          if (position != null) {
            if (!java.util.Arrays.equals(keys.get(position), r.key())) {
              throw new IllegalStateException("the value at offset " + r.offset() + " of " + tp + " is not the one "
                  + "its row names");
            }
            found.put(position, r.value());
          }
          if (offsets != null && r.offset() >= offsets.lastKey()) {
            reader.pause(List.of(tp));
          }
        }
      }
      return found;
    } catch (org.apache.kafka.clients.consumer.OffsetOutOfRangeException e) {
      throw new IllegalStateException("the topic " + topic + " no longer holds values its rows name (retention?): "
          + e.getMessage(), e);
    } finally {
      reader.unsubscribe();
      reading.unlock();
    }
  }

  /** Whether the cluster answers within {@code timeout}: what {@code /healthz} reports. */
  public boolean reachable(Duration timeout) {
    Admin admin = Admin.create(settings.common());
    try {
      admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      admin.close(Duration.ofSeconds(1));
    }
  }

  /** The offset within its partition of a position {@link #appendAll} answered. */
  public static long offsetOf(long position) {
    return position & OFFSET_MASK;
  }

  static long position(int partition, long offset) {
    return (long) partition << OFFSET_BITS | offset;
  }

  @Override
  public void close() {
    try {
      producer.close(Duration.ofSeconds(5));
    } finally {
      reading.lock();
      try {
        reader.close(Duration.ofSeconds(5));
      } finally {
        reading.unlock();
      }
    }
  }
}
