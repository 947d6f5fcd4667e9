package org.stackledger.archive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.problem.Problem;
import org.stackledger.store.Settings;

/**
 * Archives whole months of the raw usage log to files and puts them back.
 *
 * <p>A month is archived only when nothing can need its raw events any more: it ended at least
 * {@link #FINAL_AFTER} ago — longer than the widest invoice grace period (90 days), so every invoice
 * its usage is on is final, and longer than the widest usage age the intake can be set to take (90
 * days, plus its skew and grace), so no retry the intake could still accept can miss its original —
 * and the bridge has shipped every hour of it that holds usage. The month of the log's newest batch
 * is never archived: the intake continues the batch sequence from it.
 *
 * <p>Each month is written to its own file, forced to disk and renamed into place before its rows
 * are removed, in one transaction a month. Importing puts back each batch the log does not hold,
 * in one transaction, and only once the whole file has proved genuine; a batch it already holds
 * is left as it is, so importing twice, or importing a month still held, changes nothing. The
 * aggregates and the bridge's outbox keep their rows throughout, so nothing is folded or shipped
 * again.
 */
public final class Retention {
  static final Duration FINAL_AFTER = Duration.ofDays(92);
  private static final String KEY_SETTING = "usageArchiveKey";

  /** A month written to a file and removed from the store. */
  public record Archived(YearMonth month, Path file, long batches, long events) {}

  /** What an import found in a file and put back. */
  public record Imported(YearMonth month, long batches, long events, long restoredBatches, long restoredEvents) {}

  private final Jdbi jdbi;
  private final RawUsage raw;
  private final String cloudId;
  private final Path folder;
  private final Settings settings;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();

  /**
   * @param cloudId the deployment's CloudId, written in and required of every file
   * @param folder  where archive files are written (the data folder's {@code archive/})
   */
  public Retention(Jdbi jdbi, String cloudId, Path folder, Clock clock) {
    this.jdbi = jdbi;
    this.raw = new RawUsage(jdbi);
    this.cloudId = cloudId;
    this.folder = folder;
    this.settings = new Settings(jdbi);
    this.clock = clock;
  }

  /**
   * Archives every month before {@code before} that holds usage; refuses all of them, changing
   * nothing, if any one may not be archived yet.
   */
  public List<Archived> archive(YearMonth before) {
    lock.lock();
    try {
      List<RawUsage.Extent> months = archivable(before);
      byte[] key = key();
      List<Archived> done = new ArrayList<>();
      for (RawUsage.Extent month : months) {
        done.add(archive(month, key));
      }
      raw.dropSegmentsBefore(before);
      return done;
    } finally {
      lock.unlock();
    }
  }

  private List<RawUsage.Extent> archivable(YearMonth before) {
    Instant first = raw.firstHour().orElse(null);
    List<RawUsage.Extent> months = new ArrayList<>();
    if (first == null) {
      return months;
    }
    Instant now = clock.instant();
    YearMonth newest = raw.newestBatchMonth().orElseThrow();
    for (YearMonth m = YearMonth.from(first.atOffset(ZoneOffset.UTC)); m.isBefore(before); m = m.plusMonths(1)) {
      if (raw.inKafka(m)) {
        throw Problem.conflict("ArchiveOfKafkaLog", "The usage of " + m + " is in the Kafka usage log (serve "
            + "--kafka): the topic's own retention governs it; nothing was archived.");
      }
      RawUsage.Extent extent = raw.extent(m);
      if (extent.batches() == 0) {
        continue;
      }
      Instant finalAt = RawUsage.start(m.plusMonths(1)).toInstant().plus(FINAL_AFTER);
      if (now.isBefore(finalAt)) {
        throw Problem.conflict("MonthNotFinal", "The usage of " + m + " may not be archived before " + finalAt
            + ": until then an invoice it is on may still change, or the intake may still take a retry of it.");
      }
      List<Instant> unshipped = raw.unshippedHours(m);
      if (!unshipped.isEmpty()) {
        throw Problem.conflict("MonthNotShipped", "The usage of " + m + " is not all shipped to the cloud ("
            + unshipped.size() + " hour(s), the first " + unshipped.get(0) + "); it is archived once the bridge has "
            + "shipped every hour of it.");
      }
      if (m.equals(newest)) {
        throw Problem.conflict("NewestMonthKept", "The usage of " + m + " holds the log's newest batch, which the "
            + "intake continues its sequence from; it is archived once later usage has arrived.");
      }
      months.add(extent);
    }
    return months;
  }

  private Archived archive(RawUsage.Extent extent, byte[] key) {
    YearMonth month = extent.month();
    Path file = folder.resolve("usage-" + cloudId + "-" + month + ".slua");
    Path part = folder.resolve(file.getFileName() + ".part");
    try {
      Files.createDirectories(folder);
      ArchiveFile.Header header = new ArchiveFile.Header(cloudId, month, clock.instant(), extent.batches(),
          extent.events());
      try (ArchiveFile.Writer writer = new ArchiveFile.Writer(part, header, key)) {
        raw.read(month, b -> {
          try {
            writer.add(b);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
        writer.finish();
      }
      Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      // The rename is durable only once the folder is: the rows go only after it is.
      try (FileChannel dir = FileChannel.open(folder, StandardOpenOption.READ)) {
        dir.force(true);
      }
    } catch (IOException | UncheckedIOException e) {
      try {
        Files.deleteIfExists(part);
      } catch (IOException ignored) {
        // The next archive of the month writes it again from the start.
      }
      throw Problem.unavailable("ArchiveNotWritten", "The archive file of " + month + " could not be written ("
          + e.getMessage() + "); nothing was removed.", Duration.ofMinutes(1));
    }
    jdbi.useTransaction(h -> {
      int removed = RawUsage.delete(h, month);
      if (removed != extent.batches()) {
        throw new IllegalStateException("the month changed while it was archived: " + removed + " batches to remove, "
            + extent.batches() + " written");
      }
    });
    return new Archived(month, file, extent.batches(), extent.events());
  }

  /** Puts back what the log does not hold of an archive file; refuses a file that is not genuine. */
  public Imported importFile(Path file) {
    lock.lock();
    try {
      // Proved genuine first, touching nothing: a changed byte must be called a changed file, not a
      // conflict with the store that the changed batch happens to meet first.
      read(file, b -> { });
      return jdbi.inTransaction(h -> {
        long[] restored = new long[2];
        long[] found = new long[2];
        // Read again within the transaction, and checked again: the file may have changed in between.
        ArchiveFile.Header header = read(file, b -> {
          found[0]++;
          found[1] += b.eventCount();
          if (RawUsage.holds(h, b)) {
            return;
          }
          if (RawUsage.events(h, b.sequence()).isPresent()) {
            throw Problem.conflict("ArchiveConflicts", "The store holds batch " + b.sequence()
                + " with other events than the archive file: the file is not of this deployment's log.");
          }
          RawUsage.insert(h, b);
          restored[0]++;
          restored[1] += b.eventCount();
        });
        // A problem thrown above rolls the transaction back: a file found wanting at its end changes nothing.
        return new Imported(header.month(), found[0], found[1], restored[0], restored[1]);
      });
    } finally {
      lock.unlock();
    }
  }

  private ArchiveFile.Header read(Path file, java.util.function.Consumer<RawUsage.Batch> sink) {
    try {
      return ArchiveFile.read(file, cloudId, key(), sink);
    } catch (NoSuchFileException e) {
      throw Problem.invalid("ArchiveNotFound", "file", "There is no file " + file + " on the server.");
    } catch (IOException e) {
      throw Problem.invalid("ArchiveUnreadable", "file", "The archive file " + file + " cannot be read ("
          + e.getMessage() + ").");
    }
  }

  /** The deployment's archive key: random, made once, kept in the store (and so in its backups). */
  private byte[] key() {
    return Base64.getDecoder().decode(settings.getOrCreate(KEY_SETTING, () -> {
      byte[] k = new byte[32];
      new SecureRandom().nextBytes(k);
      return Base64.getEncoder().encodeToString(k);
    }));
  }
}
