package org.stackledger.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * How to reach a Kafka cluster: bootstrap servers, the prefix of every topic stackledger makes (so
 * several deployments, or a deployment and a cloud, share a cluster), and the client properties a
 * secured cluster needs ({@code security.protocol}, {@code ssl.*}, {@code sasl.*}), read from a
 * properties file as Kafka's own command-line tools read {@code --command-config}.
 */
public record KafkaSettings(String bootstrap, String topicPrefix, Map<String, String> clientProperties) {
  public KafkaSettings {
    if (bootstrap == null || bootstrap.isBlank()) {
      throw new IllegalArgumentException("the Kafka bootstrap servers are empty");
    }
    if (topicPrefix == null || !topicPrefix.matches("[A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException("a Kafka topic prefix may hold letters, digits, '.', '_' and '-' only: "
          + topicPrefix);
    }
    clientProperties = Map.copyOf(clientProperties);
  }

  /** Settings with the client properties of a file, or none when {@code file} is null. */
  public static KafkaSettings of(String bootstrap, String topicPrefix, Path file) {
    Map<String, String> properties = new TreeMap<>();
    if (file != null) {
      Properties p = new Properties();
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException e) {
        throw new IllegalArgumentException("the Kafka client properties file " + file + " cannot be read: "
            + e.getMessage(), e);
      }
      p.stringPropertyNames().forEach(k -> properties.put(k, p.getProperty(k)));
    }
    return new KafkaSettings(bootstrap, topicPrefix, properties);
  }

  /** The topic of a name, with the prefix. */
  public String topic(String name) {
    return topicPrefix + name;
  }

  /**
   * What a member of consumer group {@code group} gets: offsets committed by hand, a partition never
   * committed read from its start, and a session short enough (6 s, a heartbeat each second, not
   * Kafka's 45 s) that a member that dies without leaving has its partitions moved within seconds;
   * the properties file may set the session otherwise.
   */
  Properties groupMember(String group) {
    Properties p = common();
    p.put("group.id", group);
    p.put("enable.auto.commit", "false");
    p.put("auto.offset.reset", "earliest");
    p.putIfAbsent("session.timeout.ms", "6000");
    p.putIfAbsent("heartbeat.interval.ms", "1000");
    return p;
  }

  /** What every client gets: the bootstrap servers and the file's properties. */
  Properties common() {
    Properties p = new Properties();
    p.putAll(clientProperties);
    p.put("bootstrap.servers", bootstrap);
    return p;
  }
}
