package org.stackledger.store;

import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/** Named values fixed at first start (the home tenant id, the operator's subscription) and kept for good. */
public final class Settings {
  private final Jdbi jdbi;

  public Settings(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Optional<String> get(String name) {
    return jdbi.withHandle(h -> h.createQuery("SELECT setting_value FROM settings WHERE name = :name")
        .bind("name", name).mapTo(String.class).findOne());
  }

  /** The stored value, or the first one offered if there was none; concurrent first starts agree. */
  public String getOrCreate(String name, Supplier<String> initial) {
    return get(name).orElseGet(() -> jdbi.inTransaction(h -> {
      Optional<String> again = h.createQuery("SELECT setting_value FROM settings WHERE name = :name FOR UPDATE")
          .bind("name", name).mapTo(String.class).findOne();
      if (again.isPresent()) {
        return again.get();
      }
      String value = initial.get();
      h.createUpdate("INSERT INTO settings (name, setting_value) VALUES (:name, :value)")
          .bind("name", name).bind("value", value).execute();
      return value;
    }));
  }
}
