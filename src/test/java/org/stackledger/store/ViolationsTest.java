package org.stackledger.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stackledger.testing.Engine;

/**
 * {@link Database#isUniqueViolation} and {@link Database#isIntegrityViolation} recognise what each
 * engine really throws: a taken key is both; a missing referenced row or a failed check is only an
 * integrity violation; anything else is neither.
 */
@Tag("storage")
class ViolationsTest {
  @TempDir
  Path tempDir;

  private static Throwable failure(Jdbi jdbi, String sql) {
    return catchThrowable(() -> jdbi.useHandle(h -> h.execute(sql)));
  }

  @ParameterizedTest
  @EnumSource(Engine.class)
  void eachEngineFailureIsRecognisedForWhatItIs(Engine engine) {
    try (Database db = StoreFixture.fresh(engine, tempDir).open()) {
      Jdbi jdbi = db.jdbi();
      jdbi.useHandle(h -> {
        h.execute("CREATE TABLE test_parent (id INT PRIMARY KEY)");
        h.execute("CREATE TABLE test_child (id INT PRIMARY KEY, parent INT REFERENCES test_parent (id), "
            + "amount INT CHECK (amount > 0))");
        h.execute("INSERT INTO test_parent (id) VALUES (1)");
      });

      Throwable taken = failure(jdbi, "INSERT INTO test_parent (id) VALUES (1)");
      Throwable noParent = failure(jdbi, "INSERT INTO test_child (id, parent, amount) VALUES (1, 2, 1)");
      Throwable badAmount = failure(jdbi, "INSERT INTO test_child (id, parent, amount) VALUES (1, 1, 0)");
      Throwable noTable = failure(jdbi, "INSERT INTO test_nowhere (id) VALUES (1)");

      assertThat(Database.isUniqueViolation(taken)).isTrue();
      assertThat(Database.isIntegrityViolation(taken)).isTrue();
      assertThat(Database.isUniqueViolation(noParent)).isFalse();
      assertThat(Database.isIntegrityViolation(noParent)).isTrue();
      assertThat(Database.isUniqueViolation(badAmount)).isFalse();
      assertThat(Database.isIntegrityViolation(badAmount)).isTrue();
      assertThat(Database.isIntegrityViolation(noTable)).isFalse();
      assertThat(Database.isIntegrityViolation(new IllegalStateException("not the database"))).isFalse();
      assertThat(Database.isIntegrityViolation(null)).isFalse();
    }
  }
}
