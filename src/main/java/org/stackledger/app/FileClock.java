package org.stackledger.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that stands at the instant written in a file (ISO 8601), for driving a month of usage
 * through real server processes in minutes: a test or demo moves every process's time by rewriting
 * the file. The file is looked at again at most every 20 ms, and read only when it changed; time never
 * goes backwards, so a file rewritten with an earlier instant leaves the clock where it was.
 */
public final class FileClock extends Clock {
  /** How long the clock keeps the instant it read before it looks at the file again. */
  public static final Duration RECHECK = Duration.ofMillis(20);
  private static final long RECHECK_NANOS = RECHECK.toNanos();
  private final Path file;
  private volatile Instant now;
  private volatile FileTime seen;
  private volatile long checkedAt;

  public FileClock(Path file) {
    this.file = file;
    this.now = read();
    this.checkedAt = System.nanoTime();
  }

  @Override
  public Instant instant() {
    long t = System.nanoTime();
    if (t - checkedAt > RECHECK_NANOS) {
      synchronized (this) {
        if (t - checkedAt > RECHECK_NANOS) {
          checkedAt = t;
          refresh();
        }
      }
    }
    return now;
  }

  private void refresh() {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      if (!modified.equals(seen)) {
        Instant next = read();
        if (next.isAfter(now)) {
          now = next;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Being rewritten: keep the time we have and look again at the next check.
    }
  }

  private Instant read() {
    try {
      seen = Files.getLastModifiedTime(file);
      return Instant.parse(Files.readString(file).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the clock file " + file, e);
    }
  }

  /** Moves the time of every process reading {@code file}: written aside, then moved in whole. */
  public static void set(Path file, Instant instant) throws IOException {
    Path next = file.resolveSibling(file.getFileName() + ".next");
    Files.writeString(next, instant.toString());
    Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the service reads UTC");
  }
}
