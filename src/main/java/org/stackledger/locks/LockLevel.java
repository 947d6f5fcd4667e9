package org.stackledger.locks;

import java.util.Optional;

/** What a lock forbids: {@code CanNotDelete} forbids deletes, {@code ReadOnly} every change. */
enum LockLevel {
  CanNotDelete, ReadOnly;

  static Optional<LockLevel> parse(String text) {
    for (LockLevel level : values()) {
      if (level.name().equalsIgnoreCase(text)) {
        return Optional.of(level);
      }
    }
    return Optional.empty();
  }
}
