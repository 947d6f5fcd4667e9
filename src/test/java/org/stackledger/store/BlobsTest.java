package org.stackledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobsTest {
  @TempDir
  Path dir;

  /** Values of every size from empty to 200 KB, half of them compressible, from a seeded generator. */
  private static List<byte[]> values(long seed, int count) {
    Random random = new Random(seed);
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int length = i == 0 ? 0 : random.nextInt(random.nextBoolean() ? 300 : 200_000);
      byte[] v = new byte[length];
      if (random.nextBoolean()) {
        random.nextBytes(v);
      } else {
        for (int j = 0; j < length; j++) {
          v[j] = (byte) ('a' + random.nextInt(4));
        }
      }
      values.add(v);
    }
    return values;
  }

  @Test
  void valuesReadBackAsWrittenAlsoAfterReopening() {
    List<byte[]> values = values(13, 120);
    List<Long> refs = new ArrayList<>();
    try (Blobs blobs = Blobs.segments(dir)) {
      for (int i = 0; i < values.size(); i++) {
        Blobs.Stored s = blobs.put(i % 2 == 0 ? "usage-2026-01" : "commerce-2026-01", values.get(i), i % 3 == 0);
        assertThat(s.inline()).isNull();
        refs.add(s.ref());
        assertThat(blobs.read(s.ref())).isEqualTo(values.get(i));
      }
      assertThat(blobs.partitions()).containsExactlyInAnyOrder("usage-2026-01", "commerce-2026-01");
    }
    try (Blobs reopened = Blobs.segments(dir)) {
      for (int i = 0; i < values.size(); i++) {
        assertThat(reopened.read(refs.get(i))).as("value %d", i).isEqualTo(values.get(i));
      }
      // New values go after the old ones, in the same partition's segment.
      Blobs.Stored more = reopened.put("usage-2026-01", new byte[] {1, 2, 3});
      assertThat(reopened.read(more.ref())).containsExactly(1, 2, 3);
      assertThat(reopened.read(refs.get(0))).isEqualTo(values.get(0));
    }
  }

  @Test
  void compressibleValuesTakeLessRoomAndIncompressibleOnesNoMore() {
    byte[] text = "Microsoft.Compute/virtualMachines;VM size multiplier;".repeat(400).getBytes();
    byte[] noise = new byte[20_000];
    new Random(7).nextBytes(noise);
    try (Blobs blobs = Blobs.segments(dir)) {
      blobs.put("a-1", text, true);
      blobs.put("b-1", noise, true);
      long textBytes = sizeOf("a-1");
      long noiseBytes = sizeOf("b-1");
      assertThat(textBytes).isLessThan(text.length / 10);
      // Stored as it is when deflating does not help: the frame's 9 bytes more, no deflate overhead.
      assertThat(noiseBytes).isEqualTo(noise.length + 9);
    }
  }

  private long sizeOf(String partition) {
    try (var files = Files.list(dir)) {
      Path file = files.filter(p -> p.getFileName().toString().endsWith("." + partition + ".seg")).findFirst().orElseThrow();
      return Files.size(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aTornTailLeftByAKilledWriterIsNeverReadAndWrittenPast() throws IOException {
    long first;
    try (Blobs blobs = Blobs.segments(dir)) {
      first = blobs.put("usage-2026-01", new byte[] {9, 9, 9}).ref();
    }
    // Half a frame, as a process killed in the middle of a write leaves it.
    Path file = onlyFile();
    Files.write(file, new byte[] {0, 0, 1, 0, 1, 2}, StandardOpenOption.APPEND);
    try (Blobs blobs = Blobs.segments(dir)) {
      Blobs.Stored next = blobs.put("usage-2026-01", new byte[] {4, 5});
      assertThat(blobs.read(first)).containsExactly(9, 9, 9);
      assertThat(blobs.read(next.ref())).containsExactly(4, 5);
    }
  }

  @Test
  void aDamagedValueIsRefusedNotReturned() throws IOException {
    long ref;
    try (Blobs blobs = Blobs.segments(dir)) {
      ref = blobs.put("usage-2026-01", "forty-two events".getBytes()).ref();
    }
    try (FileChannel c = FileChannel.open(onlyFile(), StandardOpenOption.WRITE)) {
      c.write(ByteBuffer.wrap(new byte[] {'X'}), 12);
    }
    try (Blobs blobs = Blobs.segments(dir)) {
      assertThatThrownBy(() -> blobs.read(ref)).isInstanceOf(IllegalStateException.class).hasMessageContaining("damaged");
      assertThatThrownBy(() -> blobs.read(ref + (1L << 40))).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("segment 2");
    }
  }

  @Test
  void droppingAPartitionRemovesItsFilesOnly() throws IOException {
    try (Blobs blobs = Blobs.segments(dir)) {
      blobs.put("usage-2026-01", new byte[] {1});
      long kept = blobs.put("usage-2026-02", new byte[] {2}).ref();
      blobs.drop("usage-2026-01");
      assertThat(blobs.partitions()).containsExactly("usage-2026-02");
      assertThat(blobs.read(kept)).containsExactly(2);
      long again = blobs.put("usage-2026-01", new byte[] {3}).ref();
      assertThat(again >>> 40).isEqualTo(3);
    }
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("000002.usage-2026-02.seg", "000003.usage-2026-01.seg");
    }
  }

  @Test
  void aPartitionNameThatIsNotAFileNameOfOursIsRefused() {
    try (Blobs blobs = Blobs.segments(dir)) {
      assertThatThrownBy(() -> blobs.put("../escape", new byte[1])).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(Blobs.isSegmentFile("000001.usage-2026-01.seg")).isTrue();
    assertThat(Blobs.isSegmentFile("../000001.usage-2026-01.seg")).isFalse();
  }

  @Test
  void inlineValuesStayInTheRow() {
    Blobs.Stored s = Blobs.inline().put("usage-2026-01", new byte[] {7}, true);
    assertThat(s.ref()).isNull();
    assertThat(s.inline()).containsExactly(7);
    assertThat(Blobs.inline().segmented()).isFalse();
  }

  private Path onlyFile() throws IOException {
    try (var files = Files.list(dir)) {
      return files.findFirst().orElseThrow();
    }
  }
}
