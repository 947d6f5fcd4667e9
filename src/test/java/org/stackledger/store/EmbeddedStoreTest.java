package org.stackledger.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.testing.Engine;

/** The store keeps inserted, updated and deleted rows exactly as committed across close and reopen. */
@Tag("storage")
class EmbeddedStoreTest {
  private static final int ROWS = 200;

  @TempDir
  Path tempDir;

  @Test
  void anEmbeddedStoreReopenedAfterCloseKeepsItsData() {
    StoreFixture store = StoreFixture.fresh(Engine.H2, tempDir);
    writeRowsThenCloseAndCheckAfterReopen(store);
    assertThat(Files.exists(store.dataDir().resolve("db").resolve("stackledger.mv.db")))
        .as("the embedded store lives in <data>/db").isTrue();
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void aStoreReopenedAfterCloseKeepsCommittedInsertsUpdatesAndDeletes(Engine engine) {
    writeRowsThenCloseAndCheckAfterReopen(StoreFixture.fresh(engine, tempDir));
  }

  private static void writeRowsThenCloseAndCheckAfterReopen(StoreFixture store) {
    OffsetDateTime at = OffsetDateTime.of(2025, 4, 1, 12, 0, 0, 0, ZoneOffset.UTC);
    try (Database db = store.open()) {
      // One transaction per row, as the server commits them.
      for (int i = 0; i < ROWS; i++) {
        int n = i;
        db.jdbi().useHandle(h -> h.createUpdate("INSERT INTO subscriptions (subscription_id, display_name, "
                + "tenant_id, state, created_at) VALUES (:id, :name, :tenant, 'Enabled', :at)")
            .bind("id", id(n)).bind("name", "sub " + n).bind("tenant", "tenant").bind("at", at).execute());
      }
      db.jdbi().useHandle(h -> h.createUpdate("UPDATE subscriptions SET state = 'Disabled' WHERE subscription_id = :id")
          .bind("id", id(7)).execute());
      db.jdbi().useHandle(h -> h.createUpdate("DELETE FROM subscriptions WHERE subscription_id = :id")
          .bind("id", id(13)).execute());
      // A rolled-back transaction leaves nothing behind.
      try {
        db.jdbi().useTransaction(h -> {
          h.createUpdate("DELETE FROM subscriptions").execute();
          throw new IllegalStateException("roll back");
        });
      } catch (IllegalStateException expected) {
        assertThat(expected).hasMessage("roll back");
      }
    }

    try (Database db = store.open()) {
      List<String> ids = db.jdbi().withHandle(h -> h.createQuery(
          "SELECT subscription_id FROM subscriptions ORDER BY subscription_id").mapTo(String.class).list());
      assertThat(ids).as("rows after reopen").hasSize(ROWS - 1).doesNotContain(id(13)).contains(id(0), id(ROWS - 1));
      String state = db.jdbi().withHandle(h -> h.createQuery(
          "SELECT state FROM subscriptions WHERE subscription_id = :id").bind("id", id(7)).mapTo(String.class).one());
      assertThat(state).isEqualTo("Disabled");
      String name = db.jdbi().withHandle(h -> h.createQuery(
          "SELECT display_name FROM subscriptions WHERE subscription_id = :id").bind("id", id(42)).mapTo(String.class).one());
      assertThat(name).isEqualTo("sub 42");
      OffsetDateTime created = db.jdbi().withHandle(h -> h.createQuery(
          "SELECT created_at FROM subscriptions WHERE subscription_id = :id").bind("id", id(0))
          .mapTo(OffsetDateTime.class).one());
      assertThat(created.toInstant()).isEqualTo(at.toInstant());
    }
  }

  private static String id(int n) {
    return String.format("00000000-0000-0000-0000-%012d", n);
  }
}
