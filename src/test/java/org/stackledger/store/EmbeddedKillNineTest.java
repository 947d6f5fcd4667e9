package org.stackledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded store keeps every commit it acknowledged when its process is killed, with several
 * connections committing at once: a child JVM commits rows from four threads through {@link
 * Database#embedded} (printing each id once its transaction returned), is SIGKILLed at a random
 * moment, and every printed id must be in the store opened again. Before {@link EmbeddedDurability},
 * H2 lost acknowledged rows this way in about one round in four.
 */
@Tag("slow")
class EmbeddedKillNineTest {
  static final int ROUNDS = 12;

  @TempDir
  Path dir;

  @Test
  void everyCommitAcknowledgedByConcurrentWritersSurvivesKillNine() throws Exception {
    Random random = new Random(2026_12_05L);
    Set<Long> acknowledged = ConcurrentHashMap.newKeySet();
    for (int round = 0; round < ROUNDS; round++) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
          Writer.class.getName(), dir.toString()).redirectErrorStream(false).start();
      AtomicLong seen = new AtomicLong();
      Thread reader = new Thread(() -> {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
            StandardCharsets.US_ASCII))) {
          for (String line; (line = in.readLine()) != null; ) {
            acknowledged.add(Long.parseLong(line.trim()));
            seen.incrementAndGet();
          }
        } catch (Exception ended) {
          // The child is killed under the reader.
        }
      });
      reader.start();
      // Killed once it is well into committing, at a moment the test does not choose.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (seen.get() < 300 && child.isAlive() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(child.isAlive()).as("the writer is running (it printed %d ids)", seen.get()).isTrue();
      Thread.sleep(1_000 + random.nextInt(2_000));
      child.destroyForcibly();
      child.waitFor();
      reader.join();

      Set<Long> held = new HashSet<>();
      try (Database db = Database.embedded(dir)) {
        held.addAll(db.jdbi().withHandle(h -> h.createQuery("SELECT id FROM kill_probe").mapTo(Long.class).list()));
      }
      Set<Long> lost = new HashSet<>(acknowledged);
      lost.removeAll(held);
      assertThat(lost).as("round %d: acknowledged ids missing after the kill (of %d acknowledged)", round,
          acknowledged.size()).isEmpty();
    }
  }

  /** The child: four threads committing one row a transaction, each id printed once its commit returned. */
  public static final class Writer {
    public static void main(String[] args) throws Exception {
      Database db = Database.embedded(Path.of(args[0]));
      db.jdbi().useHandle(h -> h.execute("CREATE TABLE IF NOT EXISTS kill_probe (id BIGINT PRIMARY KEY, pad VARCHAR(4000))"));
      long start = db.jdbi().withHandle(h -> h.createQuery("SELECT COALESCE(MAX(id), 0) FROM kill_probe")
          .mapTo(Long.class).one()) + 1_000;
      AtomicLong next = new AtomicLong(start);
      for (int t = 0; t < 4; t++) {
        int seed = t;
        Thread w = new Thread(() -> {
          Random r = new Random(seed);
          while (true) {
            long id = next.getAndIncrement();
            char[] text = new char[10 + r.nextInt(3000)];
            for (int i = 0; i < text.length; i++) {
              text[i] = (char) ('a' + r.nextInt(26));
            }
            String pad = new String(text);
            db.jdbi().useTransaction(h -> h.createUpdate("INSERT INTO kill_probe (id, pad) VALUES (:id, :pad)")
                .bind("id", id).bind("pad", pad).execute());
            synchronized (System.out) {
              System.out.println(id);
              System.out.flush();
            }
          }
        });
        w.start();
      }
      // The writers run until the process is killed.
    }
  }
}
