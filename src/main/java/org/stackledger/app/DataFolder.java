package org.stackledger.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Undoing a first start that failed: a data folder that was empty or absent is left empty again. */
final class DataFolder {
  private DataFolder() {}

  /**
   * Removes everything under {@code dataDir}, and the folder too unless it {@code existed} before
   * this start. Called only for a folder that was empty or absent, so all it removes is what this
   * start made.
   */
  static void undoFirstStart(Path dataDir, boolean existed) {
    if (!Files.isDirectory(dataDir)) {
      return;
    }
    List<Path> made;
    try (Stream<Path> walk = Files.walk(dataDir)) {
      made = walk.filter(p -> !existed || !p.equals(dataDir)).sorted(Comparator.reverseOrder()).toList();
    } catch (IOException e) {
      return;
    }
    for (Path p : made) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        // Best effort: the start's own error is the one to report.
      }
    }
  }

  /** Whether the folder holds anything of a server yet; a start into an empty folder may remove what it made. */
  static boolean isEmptyOrAbsent(Path dataDir) throws IOException {
    if (!Files.exists(dataDir)) {
      return true;
    }
    try (var entries = Files.list(dataDir)) {
      return entries.findAny().isEmpty();
    }
  }
}
