package org.stackledger.app;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One server per data folder: an OS lock on {@code stackledger.lock} in the folder, held while the
 * server runs, with the holder's pid written in the file for the message a second server prints.
 * The operating system drops the lock when its process dies, so a lock file left by a killed server
 * is stale by construction and simply taken over. The file itself stays: deleting it on exit would let
 * a starter that opened the old file and one that made a new one both hold "the" lock.
 */
final class DataFolderLock implements AutoCloseable {
  static final String FILE = "stackledger.lock";
  /**
   * The folders this JVM holds. OS locks belong to the process, and closing any channel on the file
   * drops them all, so a second start in the same JVM (tests run several servers) must be refused
   * before it opens the file at all.
   */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
  private final Path folder;
  private final FileChannel channel;
  private final FileLock lock;

  private DataFolderLock(Path folder, FileChannel channel, FileLock lock) {
    this.folder = folder;
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the folder's lock, or refuses with who holds it. The folder must exist. */
  static DataFolderLock take(Path dataDir) throws IOException, StartRefused {
    Path folder = dataDir.toRealPath();
    if (!HELD.add(folder)) {
      throw inUse(dataDir, Long.toString(ProcessHandle.current().pid()));
    }
    try {
      return lock(folder, dataDir);
    } catch (IOException | StartRefused | RuntimeException e) {
      HELD.remove(folder);
      throw e;
    }
  }

  private static DataFolderLock lock(Path folder, Path dataDir) throws IOException, StartRefused {
    FileChannel channel = FileChannel.open(folder.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String holder = holder(channel);
      channel.close();
      throw inUse(dataDir, holder);
    }
    try {
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
      channel.force(false);
    } catch (IOException e) {
      lock.release();
      channel.close();
      throw e;
    }
    return new DataFolderLock(folder, channel, lock);
  }

  private static StartRefused inUse(Path dataDir, String holder) {
    return new StartRefused("the data folder " + dataDir.toAbsolutePath() + " is in use by another stackledger"
        + (holder.isEmpty() ? "" : " (pid " + holder + ")") + "; stop it or choose another folder with --data-dir");
  }

  /** The pid the holder wrote, or empty when it wrote none (yet). */
  private static String holder(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(32);
      channel.read(buffer, 0);
      String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
      return text.matches("\\d{1,19}") ? text : "";
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() throws IOException {
    if (!channel.isOpen()) {
      return;
    }
    try {
      lock.release();
    } finally {
      channel.close();
      HELD.remove(folder);
    }
  }
}
