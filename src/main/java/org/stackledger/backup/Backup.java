package org.stackledger.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.stackledger.problem.Problem;
import org.stackledger.store.Database;

/**
 * An online backup of the embedded store, taken by the process that serves it (the data folder is
 * locked by that process, so nobody else can read it). H2's {@code BACKUP TO} copies the store's file
 * as of one point in its multi-version history: every transaction committed before it is in the
 * backup whole and none after it is, while intake and queries go on.
 */
public final class Backup {
  private final Database database;

  public Backup(Database database) {
    this.database = database;
  }

  /** Writes the backup to {@code file}, which must not exist; answers its size in bytes. */
  public long write(Path file) {
    if (database.engine() == Database.Engine.POSTGRESQL) {
      throw Problem.conflict("BackupByPostgreSQL", "This server's store is PostgreSQL: back it up with pg_dump (one "
          + "consistent snapshot) or pg_basebackup, as the README's Backup section says.");
    }
    if (Files.exists(file)) {
      throw Problem.conflict("BackupFileExists", "There is already a file " + file + "; a backup never overwrites one.");
    }
    if (file.getParent() == null || !Files.isDirectory(file.getParent())) {
      throw Problem.invalid("InvalidParameter", "file", "The folder of " + file + " does not exist on the server.");
    }
    try {
      // The segments are added to H2's zip after its snapshot: everything a row of the snapshot names is
      // in them by then, and no retention removes one in between.
      database.blobs().backup(() -> database.jdbi().withHandle(
          h -> h.execute("BACKUP TO '" + file.toString().replace("'", "''") + "'")), segments -> addAll(file, segments));
      ownerOnly(file);
      return Files.size(file);
    } catch (IOException | RuntimeException e) {
      throw Problem.unavailable("BackupNotWritten", "The backup could not be written to " + file + " ("
          + e.getMessage() + "); the store is unchanged.", Duration.ofMinutes(1));
    }
  }

  /** Adds the segment files to the backup's zip, under {@code segments/}. */
  private static void addAll(Path zip, java.util.List<Path> segments) {
    if (segments.isEmpty()) {
      return;
    }
    try (java.nio.file.FileSystem fs = java.nio.file.FileSystems.newFileSystem(zip)) {
      Path folder = fs.getPath(SEGMENTS);
      Files.createDirectories(folder);
      for (Path segment : segments) {
        if (Files.exists(segment)) {
          Files.copy(segment, folder.resolve(segment.getFileName().toString()));
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The folder of a backup's zip that holds the segment files. */
  static final String SEGMENTS = "segments";

  /** A backup holds every secret of the store (signing keys, client secrets): for its owner's eyes only. */
  static void ownerOnly(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException notPosix) {
      // Another file system (Windows): its folder's access rules apply.
    }
  }
}
