package org.stackledger.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stackledger.testing.KafkaBroker;

/** Values appended to a topic of a real (in-JVM, KRaft) cluster and read back by position. */
@Tag("slow")
class TopicStoreTest {
  @TempDir
  Path tempDir;

  private static KafkaSettings settings() throws Exception {
    return new KafkaSettings(KafkaBroker.shared().bootstrap(), "store-" + UUID.randomUUID() + ".", Map.of());
  }

  @Test
  void valuesReadBackByPositionFromEveryPartitionEachCheckedAgainstItsKey() throws Exception {
    Random random = new Random(21);
    List<TopicStore.Value> values = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      byte[] bytes = new byte[i == 7 ? 1_500_000 : random.nextInt(5_000)];
      random.nextBytes(bytes);
      values.add(new TopicStore.Value(("k" + i).getBytes(), i, bytes));
    }
    try (TopicStore store = TopicStore.open(settings(), "values", 4)) {
      assertThat(store.partitions()).isEqualTo(4);
      List<Long> positions = store.appendAll(values);
      assertThat(positions).doesNotHaveDuplicates();
      assertThat(positions.stream().map(p -> p >>> 40).distinct()).containsExactlyInAnyOrder(0L, 1L, 2L, 3L);
      // Every other value, out of order: a read asks for what its rows name, nothing more.
      Map<Long, byte[]> keys = new HashMap<>();
      for (int i = values.size() - 1; i >= 0; i -= 2) {
        keys.put(positions.get(i), values.get(i).key());
      }
      Map<Long, byte[]> read = store.read(keys);
      assertThat(read).hasSize(20);
      for (int i = values.size() - 1; i >= 0; i -= 2) {
        assertThat(read.get(positions.get(i))).as("value %d", i).isEqualTo(values.get(i).bytes());
      }
      // A row that names a position with another key: a damaged or foreign log, never a wrong value.
      assertThatThrownBy(() -> store.read(Map.of(positions.get(0), "k1".getBytes())))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not the one its row names");
    }
  }

  @Test
  void clientPropertiesComeFromAFileAsKafkasToolsTakeThem() throws Exception {
    Path file = tempDir.resolve("client.properties");
    Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");
    KafkaSettings s = KafkaSettings.of("broker1:9093,broker2:9093", "csp1.", file);
    assertThat(s.clientProperties()).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    assertThat(s.common()).containsEntry("bootstrap.servers", "broker1:9093,broker2:9093");
    assertThat(s.topic("usage-log")).isEqualTo("csp1.usage-log");
    assertThatThrownBy(() -> KafkaSettings.of("b:9092", "bad prefix", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic prefix");
  }
}
