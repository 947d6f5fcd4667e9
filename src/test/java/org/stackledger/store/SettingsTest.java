package org.stackledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.testing.Engine;

/** {@link Settings}: values fixed at first start must never change, across restarts or racing starts. */
@Tag("storage")
class SettingsTest {
  private static final int CALLERS = 8;
  private static final int ROUNDS = 25;

  @TempDir
  Path tempDir;

  @ParameterizedTest
  @EnumSource(Engine.class)
  void getOrCreateReturnsTheFirstValueForeverIncludingAfterReopen(Engine engine) {
    StoreFixture store = StoreFixture.fresh(engine, tempDir);
    String first;
    AtomicInteger supplierCalls = new AtomicInteger();
    try (Database db = store.open()) {
      Settings settings = new Settings(db.jdbi());
      assertThat(settings.get("homeTenantId")).isEmpty();
      first = settings.getOrCreate("homeTenantId", () -> {
        supplierCalls.incrementAndGet();
        return UUID.randomUUID().toString();
      });
      assertThat(settings.getOrCreate("homeTenantId", () -> {
        supplierCalls.incrementAndGet();
        return "second-offer";
      })).isEqualTo(first);
      assertThat(supplierCalls).as("the initial value is computed only when there is none").hasValue(1);
    }
    try (Database db = store.open()) {
      Settings settings = new Settings(db.jdbi());
      assertThat(settings.get("homeTenantId")).contains(first);
      assertThat(settings.getOrCreate("homeTenantId", () -> {
        supplierCalls.incrementAndGet();
        return "offer-after-reopen";
      })).isEqualTo(first);
      assertThat(supplierCalls).as("no new value is computed after reopen").hasValue(1);
      assertThat(settings.get("neverSet")).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void concurrentFirstCallersAllGetTheSameStoredValue(Engine engine) throws Exception {
    StoreFixture store = StoreFixture.fresh(engine, tempDir);
    ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
    try (Database db = store.open()) {
      Settings settings = new Settings(db.jdbi());
      List<String> failures = new ArrayList<>();
      int disagreements = 0;
      for (int round = 0; round < ROUNDS; round++) {
        String name = "race-" + round;
        CountDownLatch gate = new CountDownLatch(1);
        Set<String> offered = ConcurrentHashMap.newKeySet();
        List<Future<String>> answers = new ArrayList<>();
        for (int c = 0; c < CALLERS; c++) {
          String offer = name + "-caller-" + c;
          answers.add(pool.submit(() -> {
            gate.await();
            return settings.getOrCreate(name, () -> {
              offered.add(offer);
              return offer;
            });
          }));
        }
        gate.countDown();
        Map<String, Integer> seen = new java.util.TreeMap<>();
        for (Future<String> answer : answers) {
          try {
            seen.merge(answer.get(30, TimeUnit.SECONDS), 1, Integer::sum);
          } catch (java.util.concurrent.ExecutionException e) {
            failures.add(name + ": " + e.getCause());
          }
        }
        String stored = settings.get(name).orElse(null);
        assertThat(stored).as("%s stored", name).isNotNull();
        assertThat(offered).as("%s: the stored value is one that was offered", name).contains(stored);
        if (!seen.keySet().equals(Set.of(stored))) {
          disagreements++;
          failures.add(name + ": stored " + stored + " but callers got " + seen);
        }
      }
      assertThat(failures).as("%d rounds of %d racing callers: %d calls failed, %d rounds disagreed",
          ROUNDS, CALLERS, failures.size() - disagreements, disagreements).isEmpty();
    } finally {
      pool.shutdownNow();
    }
  }
}
