package org.stackledger.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.stackledger.problem.Problem;
import org.stackledger.store.Blobs;
import org.stackledger.store.Database;

/**
 * Restores a backup into a fresh data folder, offline: the store's file and its segment files are
 * unpacked into {@code dataDir/db}, then opened once (which also brings its schema up to this version's
 * migrations) to prove it whole. A folder that holds anything is refused: a restore never mixes with
 * or replaces a live store.
 */
public final class Restore {
  private static final String STORE_FILE = "stackledger.mv.db";

  private Restore() {}

  /** Answers how many bytes of store were restored. */
  public static long into(Path backup, Path dataDir) throws IOException {
    if (Files.exists(dataDir)) {
      try (var entries = Files.list(dataDir)) {
        if (entries.findAny().isPresent()) {
          throw Problem.conflict("DataFolderNotEmpty", "The data folder " + dataDir + " is not empty; a backup is "
              + "restored into a new or empty folder only.");
        }
      }
    }
    if (!Files.isRegularFile(backup)) {
      throw Problem.invalid("BackupNotFound", "file", "There is no backup file " + backup + ".");
    }
    Path db = dataDir.resolve("db");
    Files.createDirectories(db);
    long restored = 0;
    try (InputStream in = Files.newInputStream(backup); ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        // The backup holds the store's one file under its own name; anything else is not ours to unpack.
        Path name = Path.of(entry.getName());
        if (STORE_FILE.equals(name.getFileName().toString())) {
          restored = Files.copy(zip, db.resolve(STORE_FILE));
        } else if (name.getNameCount() == 2 && Backup.SEGMENTS.equals(name.getName(0).toString())
            && Blobs.isSegmentFile(name.getFileName().toString())) {
          Path segments = Files.createDirectories(db.resolve(Backup.SEGMENTS));
          Files.copy(zip, segments.resolve(name.getFileName().toString()));
        }
      }
    } catch (IOException e) {
      throw Problem.invalid("InvalidBackup", "file", "The backup file " + backup + " cannot be read as a zip ("
          + e.getMessage() + ").");
    }
    if (restored == 0) {
      throw Problem.invalid("InvalidBackup", "file", "The file " + backup + " holds no stackledger store ("
          + STORE_FILE + ").");
    }
    try (Database opened = Database.embedded(dataDir)) {
      if (!opened.answers()) {
        throw Problem.invalid("InvalidBackup", "file", "The restored store does not answer.");
      }
    }
    return restored;
  }
}
