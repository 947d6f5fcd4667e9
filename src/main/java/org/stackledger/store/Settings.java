package org.stackledger.store;

import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

/**
 * Named values: most fixed at first start (the home tenant id, the operator's subscription) and kept
 * for good; a few an operator may change ({@link #put}).
 */
public final class Settings {
  private final Jdbi jdbi;

  public Settings(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Optional<String> get(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT setting_value FROM settings WHERE name = :name")
        .bind("name", name).mapTo(String.class).findOne());
  }

  /** Stores a value, replacing the one there was. */
  public void put(String name, String value) {
    for (int attempt = 1; ; attempt++) {
      try {
        jdbi.useTransaction(h -> {
          int updated = h.createUpdate("UPDATE settings SET setting_value = :value WHERE name = :name")
              .bind("name", name).bind("value", value).execute();
          if (updated == 0) {
            h.createUpdate("INSERT INTO settings (name, setting_value) VALUES (:name, :value)")
                .bind("name", name).bind("value", value).execute();
          }
        });
        return;
      } catch (JdbiException e) {
        // Another first writer inserted the row between our update and insert: update it now.
        if (attempt >= 3 || !Database.isUniqueViolation(e)) {
          throw e;
        }
      }
    }
  }

  /**
   * The stored value, or the first one offered if there was none; concurrent first starts agree.
   *
   * <p>{@code SELECT ... FOR UPDATE} cannot serialize first callers (there is no row to lock yet), so
   * the primary key decides: every caller that finds no value inserts its own, exactly one insert
   * wins, and the others read the winner's value back. {@code initial} may thus run in more than one
   * caller, but only one result is ever stored or returned.
   */
  public String getOrCreate(String name, Supplier<String> initial) {
    Optional<String> current = get(name);
    if (current.isPresent()) {
      return current.get();
    }
    String value = initial.get();
    try {
      jdbi.useHandle(h -> h.createUpdate("INSERT INTO settings (name, setting_value) VALUES (:name, :value)")
          .bind("name", name).bind("value", value).execute());
      return value;
    } catch (JdbiException e) {
      if (!Database.isUniqueViolation(e)) {
        throw e;
      }
      return get(name).orElseThrow(() -> new IllegalStateException(
          "setting " + name + " was inserted concurrently but cannot be read back", e));
    }
  }

}
