package org.stackledger.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.jdbi.v3.core.config.JdbiConfig;

/**
 * Where the large values of the append-only tables live (a usage batch's events and keys, a commerce
 * block's records and keys): in the row on PostgreSQL, in append-only segment files beside the
 * embedded store. H2 never overwrites a page; a table that grows by one row a commit rewrites its last
 * page at every commit, and a page that fills stays live in a chunk of pages that died, so an
 * embedded store held four to five times its rows. A segment is written once, in order, and read by
 * position: its bytes on disk are the values' bytes.
 *
 * <p>A value is written to its segment before the row that refers to it is inserted, in the caller's
 * transaction: a row never names bytes that are not in the file. A transaction that rolls back, or a
 * process killed between the two, leaves unreferenced bytes in the segment, which are never read.
 * As with H2's {@code WRITE_DELAY=0}, bytes are written before the commit returns but not forced to
 * the device: a killed process loses nothing acknowledged, a power cut is the operating system's.
 *
 * <p>Segments are per partition (e.g. {@code usage-2026-01}): retention removes a month's rows and
 * then {@link #drop} removes its files. A reference is one {@code BIGINT}: the segment's number in
 * the top 24 bits and the frame's offset in the low 40 (a terabyte a segment). A frame is its length
 * and CRC-32C, then the value as it is or deflated; a frame that does not check is a damaged store,
 * never returned.
 */
public final class Blobs implements AutoCloseable {
  /** File names: the segment's number, then its partition. */
  private static final Pattern SEGMENT = Pattern.compile("(\\d{6})\\.([a-z0-9-]+)\\.seg");
  private static final Pattern PARTITION = Pattern.compile("[a-z0-9-]{1,64}");
  private static final int HEADER = 8;
  private static final int OFFSET_BITS = 40;
  private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;

  private static final Blobs INLINE = new Blobs(null);

  private final Path dir;
  /** A backup holds it shared from its snapshot until its copy of the segments; {@link #drop} exclusively. */
  private final java.util.concurrent.locks.ReadWriteLock dropping = new java.util.concurrent.locks.ReentrantReadWriteLock();
  private final Map<Integer, Segment> byNumber = new ConcurrentHashMap<>();
  private final Map<String, Segment> byPartition = new ConcurrentHashMap<>();
  private int lastNumber;

  private Blobs(Path dir) {
    this.dir = dir;
  }

  /** Values stay in their rows (PostgreSQL, or an H2 store opened by URL). */
  public static Blobs inline() {
    return INLINE;
  }

  /** Segment files in {@code dir}, which is made if absent; the segments already there are found by name. */
  public static Blobs segments(Path dir) {
    Blobs blobs = new Blobs(dir);
    try {
      Files.createDirectories(dir);
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.seg")) {
        for (Path file : files) {
          Matcher m = SEGMENT.matcher(file.getFileName().toString());
          if (m.matches()) {
            Segment s = new Segment(Integer.parseInt(m.group(1)), m.group(2), file);
            blobs.byNumber.put(s.number, s);
            blobs.byPartition.merge(s.partition, s, (a, b) -> a.number > b.number ? a : b);
            blobs.lastNumber = Math.max(blobs.lastNumber, s.number);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the store's segment folder " + dir + " cannot be read", e);
    }
    return blobs;
  }

  /** The store's blobs, as its {@link Database} set them on every handle. */
  public static Blobs of(org.jdbi.v3.core.config.Configurable<?> handleOrJdbi) {
    return handleOrJdbi.getConfig(Config.class).blobs;
  }

  /** The partitions that have segments. */
  public java.util.Set<String> partitions() {
    return java.util.Set.copyOf(byPartition.keySet());
  }

  /**
   * The partition of a kind of value for the month of {@code t} (UTC), e.g. {@code usage-2026-01}: a
   * month's values removed together are in segments of their own.
   */
  public static String monthly(String kind, java.time.Instant t) {
    return kind + "-" + java.time.YearMonth.from(t.atOffset(java.time.ZoneOffset.UTC));
  }

  /** Whether values go to segment files (else they stay in the row). */
  public boolean segmented() {
    return dir != null;
  }

  /**
   * A value to store: bind {@link #inline()} to the value's column and {@link #ref()} to its reference
   * column. One of them is null.
   */
  public record Stored(byte[] inline, Long ref) {}

  /** Stores a value of a partition; the caller inserts the row that refers to it in the same transaction. */
  public Stored put(String partition, byte[] value) {
    return put(partition, value, false);
  }

  /**
   * Stores a value, deflated in its segment when {@code compressible} (as PostgreSQL compresses a large
   * value in the row itself, and H2 its pages): for values that are read far less often than written and
   * shrink by half, such as a commerce block's records. Not for a usage batch, whose intake is the hot path.
   */
  public Stored put(String partition, byte[] value, boolean compressible) {
    if (dir == null) {
      return new Stored(value, null);
    }
    return new Stored(null, segment(partition).append(compressible ? Codec.deflate(value) : Codec.plain(value)));
  }

  /** A stored value, from a row's value column and reference column (either may be the one that is set). */
  public byte[] get(ResultSet rs, int valueColumn, int refColumn) throws SQLException {
    long ref = rs.getLong(refColumn);
    if (rs.wasNull()) {
      return rs.getBytes(valueColumn);
    }
    return read(ref);
  }

  /** The value a reference names. */
  public byte[] read(long ref) {
    int number = (int) (ref >>> OFFSET_BITS);
    Segment s = byNumber.get(number);
    if (s == null) {
      throw new IllegalStateException("the store refers to segment " + number + ", which is not in " + dir);
    }
    return s.read(ref & OFFSET_MASK);
  }

  /** Removes a partition's segments, once the rows that referred to them are gone. */
  public void drop(String partition) {
    if (dir == null) {
      return;
    }
    dropping.writeLock().lock();
    try {
      dropNow(partition);
    } finally {
      dropping.writeLock().unlock();
    }
  }

  private void dropNow(String partition) {
    synchronized (this) {
      for (Segment s : List.copyOf(byNumber.values())) {
        if (s.partition.equals(partition)) {
          byNumber.remove(s.number);
          byPartition.remove(partition, s);
          s.delete();
        }
      }
    }
  }

  /**
   * Runs a backup: {@code snapshot} takes the store's snapshot, then {@code copy} is given the segment
   * files to copy, none removed in between. A file may grow while it is copied, never in a part the
   * snapshot's rows name (those bytes were written before their rows were committed).
   */
  public <T> T backup(java.util.function.Supplier<T> snapshot, java.util.function.Consumer<List<Path>> copy) {
    dropping.readLock().lock();
    try {
      T result = snapshot.get();
      List<Path> files = new ArrayList<>();
      byNumber.values().forEach(s -> files.add(s.file));
      copy.accept(files);
      return result;
    } finally {
      dropping.readLock().unlock();
    }
  }

  /** Whether a file name is a segment's (what a restore may unpack into the segment folder). */
  public static boolean isSegmentFile(String name) {
    return SEGMENT.matcher(name).matches();
  }

  /** Bytes of the segment files. */
  public long bytes() {
    long total = 0;
    for (Segment s : byNumber.values()) {
      total += s.size();
    }
    return total;
  }

  private Segment segment(String partition) {
    Segment s = byPartition.get(partition);
    if (s != null) {
      return s;
    }
    if (!PARTITION.matcher(partition).matches()) {
      throw new IllegalArgumentException("not a segment partition: " + partition);
    }
    synchronized (this) {
      s = byPartition.get(partition);
      if (s == null) {
        int number = ++lastNumber;
        s = new Segment(number, partition, dir.resolve(String.format("%06d.%s.seg", number, partition)));
        byNumber.put(number, s);
        byPartition.put(partition, s);
      }
      return s;
    }
  }

  @Override
  public void close() {
    byNumber.values().forEach(Segment::close);
  }

  /** One append-only file. */
  private static final class Segment {
    final int number;
    final String partition;
    final Path file;
    private volatile FileChannel channel;
    /** Where the next frame goes: after every frame written whole; a failed write's bytes are overwritten. */
    private long end = -1;

    Segment(int number, String partition, Path file) {
      this.number = number;
      this.partition = partition;
      this.file = file;
    }

    private FileChannel channel() {
      FileChannel open = channel;
      return open != null ? open : opened();
    }

    private synchronized FileChannel opened() {
      if (channel == null) {
        try {
          channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
              StandardOpenOption.WRITE);
          end = channel.size();
        } catch (IOException e) {
          throw new UncheckedIOException("the segment " + file + " cannot be opened: " + e.getMessage(), e);
        }
      }
      return channel;
    }

    synchronized long append(byte[] value) {
      FileChannel c = channel();
      if (end > OFFSET_MASK) {
        throw new IllegalStateException("the segment " + file + " is full");
      }
      CRC32C crc = new CRC32C();
      crc.update(value);
      ByteBuffer frame = ByteBuffer.allocate(HEADER + value.length);
      frame.putInt(value.length).putInt((int) crc.getValue()).put(value).flip();
      long at = end;
      try {
        for (long pos = at; frame.hasRemaining(); ) {
          pos += c.write(frame, pos);
        }
      } catch (IOException e) {
        // Nothing of this value is referenced; the next frame overwrites what was written of it.
        throw new UncheckedIOException("the segment " + file + " could not be written: " + e.getMessage(), e);
      }
      end = at + HEADER + value.length;
      return (long) number << OFFSET_BITS | at;
    }

    byte[] read(long offset) {
      FileChannel c = channel();
      try {
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        readFully(c, header, offset);
        int length = header.getInt(0);
        int expected = header.getInt(4);
        if (length < 0 || offset + HEADER + length > c.size()) {
          throw new IllegalStateException("the segment " + file + " has no value of " + length + " bytes at " + offset);
        }
        ByteBuffer value = ByteBuffer.allocate(length);
        readFully(c, value, offset + HEADER);
        CRC32C crc = new CRC32C();
        crc.update(value.array());
        if ((int) crc.getValue() != expected) {
          throw new IllegalStateException("the value at " + offset + " of the segment " + file + " is damaged");
        }
        return Codec.open(value.array());
      } catch (IOException e) {
        throw new UncheckedIOException("the segment " + file + " could not be read: " + e.getMessage(), e);
      }
    }

    private static void readFully(FileChannel c, ByteBuffer into, long at) throws IOException {
      for (long pos = at; into.hasRemaining(); ) {
        int n = c.read(into, pos);
        if (n < 0) {
          throw new IOException("end of file at " + pos);
        }
        pos += n;
      }
    }

    long size() {
      try {
        return Files.exists(file) ? Files.size(file) : 0;
      } catch (IOException e) {
        return 0;
      }
    }

    synchronized void delete() {
      close();
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("the segment " + file + " cannot be removed: " + e.getMessage(), e);
      }
    }

    synchronized void close() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // Closing a file only read or appended to: nothing left to lose.
        }
        channel = null;
      }
    }
  }

  /**
   * A frame's value: a first byte saying how the rest is written: 0 as it is; 1 deflated, after the
   * value's length (4 bytes). Deflaters are kept a thread each: making one costs more than a small value's
   * compression.
   */
  private static final class Codec {
    private static final byte PLAIN = 0;
    private static final byte DEFLATE = 1;
    private static final ThreadLocal<java.util.zip.Deflater> DEFLATER =
        ThreadLocal.withInitial(() -> new java.util.zip.Deflater(java.util.zip.Deflater.BEST_SPEED, true));
    private static final ThreadLocal<java.util.zip.Inflater> INFLATER =
        ThreadLocal.withInitial(() -> new java.util.zip.Inflater(true));

    static byte[] plain(byte[] value) {
      byte[] framed = new byte[1 + value.length];
      framed[0] = PLAIN;
      System.arraycopy(value, 0, framed, 1, value.length);
      return framed;
    }

    static byte[] deflate(byte[] value) {
      java.util.zip.Deflater d = DEFLATER.get();
      d.reset();
      d.setInput(value);
      d.finish();
      byte[] out = new byte[5 + value.length + value.length / 100 + 64];
      ByteBuffer.wrap(out).put(DEFLATE).putInt(value.length);
      int n = 5;
      while (!d.finished()) {
        if (n == out.length) {
          out = java.util.Arrays.copyOf(out, out.length * 2);
        }
        n += d.deflate(out, n, out.length - n);
      }
      return n - 5 >= value.length ? plain(value) : java.util.Arrays.copyOf(out, n);
    }

    static byte[] open(byte[] framed) {
      if (framed.length == 0) {
        throw new IllegalStateException("an empty frame in a segment");
      }
      if (framed[0] == PLAIN) {
        return java.util.Arrays.copyOfRange(framed, 1, framed.length);
      }
      if (framed[0] != DEFLATE || framed.length < 5) {
        throw new IllegalStateException("a segment frame of unknown form " + framed[0]);
      }
      byte[] value = new byte[ByteBuffer.wrap(framed, 1, 4).getInt()];
      java.util.zip.Inflater inflater = INFLATER.get();
      inflater.reset();
      inflater.setInput(framed, 5, framed.length - 5);
      try {
        int n = 0;
        while (n < value.length) {
          int got = inflater.inflate(value, n, value.length - n);
          if (got == 0 && (inflater.finished() || inflater.needsInput())) {
            break;
          }
          n += got;
        }
        if (n != value.length) {
          throw new IllegalStateException("a deflated segment frame holds " + n + " bytes, not " + value.length);
        }
      } catch (java.util.zip.DataFormatException e) {
        throw new IllegalStateException("a deflated segment frame does not inflate: " + e.getMessage(), e);
      }
      return value;
    }
  }

  /** Carries a store's blobs on every JDBI handle, so a store method that takes a handle finds them. */
  public static final class Config implements JdbiConfig<Config> {
    private Blobs blobs = INLINE;

    public Config() {}

    private Config(Config other) {
      this.blobs = other.blobs;
    }

    Config blobs(Blobs value) {
      this.blobs = value;
      return this;
    }

    @Override
    public Config createCopy() {
      return new Config(this);
    }
  }
}
