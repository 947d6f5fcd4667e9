package org.stackledger.archive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Locale;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.stackledger.http.Json;
import org.stackledger.problem.Problem;

/**
 * A month of raw usage as an archive file: self-describing, and verifiable by the deployment that
 * wrote it. The first line is a JSON header a person can read with {@code head -1}:
 * <pre>{"format":"stackledger-usage-archive/1","cloudId","month","createdAt","batches","events",
 *  "mac":"HMAC-SHA256"}</pre>
 * then the month's batches exactly as the usage log stores them (sequence, reported time, event
 * count, the compact events and their 24-byte keys, lengths as big-endian integers), then 32 bytes:
 * an HMAC-SHA256 over everything before it, under a secret key the deployment keeps in its store. A
 * byte changed anywhere, a file cut short or grown, or a file of another deployment (another key) is
 * refused; the header's counts must match what follows.
 */
final class ArchiveFile {
  static final String FORMAT = "stackledger-usage-archive/1";
  private static final String MAC = "HmacSHA256";
  private static final int MAC_BYTES = 32;
  private static final int MAX_HEADER = 4096;

  private ArchiveFile() {}

  /** What a file says it holds. */
  record Header(String cloudId, YearMonth month, Instant createdAt, long batches, long events) {
    byte[] line() {
      ObjectNode h = Json.object();
      h.put("format", FORMAT);
      h.put("cloudId", cloudId);
      h.put("month", month.toString());
      h.put("createdAt", createdAt.toString());
      h.put("batches", batches);
      h.put("events", events);
      h.put("mac", "HMAC-SHA256");
      return (Json.text(h) + "\n").getBytes(StandardCharsets.UTF_8);
    }
  }

  /**
   * Writes the header, then the batches given to {@link #add}; {@link #finish} checks the counts,
   * appends the MAC and forces the file to disk. A writer not finished leaves a file that any reader
   * refuses.
   */
  static final class Writer implements AutoCloseable {
    private final Header header;
    private final FileChannel channel;
    private final Mac mac;
    private final DataOutputStream out;
    private long batches;
    private long events;

    Writer(Path file, Header header, byte[] key) throws IOException {
      this.header = header;
      this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE);
      // Tenants' usage: for the operator's eyes only.
      try {
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // Another file system (Windows): its folder's access rules apply.
      }
      this.mac = mac(key);
      OutputStream raw = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
      this.out = new DataOutputStream(new FilterOutputStream(raw) {
        @Override
        public void write(int b) throws IOException {
          mac.update((byte) b);
          super.out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          mac.update(b, off, len);
          super.out.write(b, off, len);
        }
      });
      out.write(header.line());
    }

    void add(RawUsage.Batch b) throws IOException {
      out.writeLong(b.sequence());
      out.writeLong(b.reportedAt().getEpochSecond());
      out.writeInt(b.reportedAt().getNano());
      out.writeInt(b.eventCount());
      out.writeInt(b.events().length);
      out.write(b.events());
      out.writeInt(b.keys().length);
      out.write(b.keys());
      batches++;
      events += b.eventCount();
    }

    void finish() throws IOException {
      if (batches != header.batches() || events != header.events()) {
        throw new IllegalStateException("the month changed while it was archived: " + batches + " batches and "
            + events + " events written, " + header.batches() + " and " + header.events() + " counted");
      }
      out.flush();
      byte[] tag = mac.doFinal();
      channel.write(java.nio.ByteBuffer.wrap(tag));
      channel.force(true);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }

  /**
   * Reads a file through, giving each batch to {@code sink} as it goes, and answers its header once
   * the MAC and the counts hold. The sink must be undone by the caller when this throws (it runs in
   * the caller's transaction): what it was given before the end is not yet known to be genuine.
   */
  static Header read(Path file, String cloudId, byte[] key, Consumer<RawUsage.Batch> sink) throws IOException {
    long size = Files.size(file);
    Mac mac = mac(key);
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      MacInput in = new MacInput(raw, mac);
      byte[] line = headerLine(in);
      Header header = header(line, cloudId);
      DataInputStream data = new DataInputStream(in);
      long consumed = line.length;
      long events = 0;
      for (long i = 0; i < header.batches(); i++) {
        long sequence = data.readLong();
        Instant reportedAt = Instant.ofEpochSecond(data.readLong(), data.readInt());
        int eventCount = data.readInt();
        byte[] eventBytes = bytes(data, size - consumed);
        byte[] keys = bytes(data, size - consumed);
        consumed += 28 + eventBytes.length + 4 + keys.length;
        events += eventCount;
        sink.accept(new RawUsage.Batch(sequence, reportedAt, eventCount, eventBytes, keys));
      }
      byte[] expected = mac.doFinal();
      byte[] tag = raw.readNBytes(MAC_BYTES + 1);
      if (tag.length < MAC_BYTES) {
        throw truncated();
      }
      if (tag.length > MAC_BYTES || !MessageDigest.isEqual(expected, tag) || events != header.events()) {
        throw Problem.invalid("ArchiveSignatureMismatch", "file", "The archive file's content does not match its "
            + "signature: it was changed after it was written, or is not this deployment's.");
      }
      return header;
    } catch (EOFException e) {
      throw truncated();
    }
  }

  private static byte[] headerLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0 || line.size() >= MAX_HEADER) {
        throw notAnArchive();
      }
      line.write(b);
    }
    line.write('\n');
    return line.toByteArray();
  }

  private static Header header(byte[] line, String cloudId) {
    JsonNode h;
    try {
      h = Json.MAPPER.readTree(line);
    } catch (IOException e) {
      throw notAnArchive();
    }
    if (h == null || !FORMAT.equals(h.path("format").asText())) {
      throw notAnArchive();
    }
    String fileCloud = h.path("cloudId").asText("");
    if (!fileCloud.equalsIgnoreCase(cloudId)) {
      throw Problem.invalid("CloudIdMismatch", "file", "The archive file is of CloudId '" + fileCloud
          + "', not of this deployment's '" + cloudId + "'.");
    }
    try {
      return new Header(fileCloud.toLowerCase(Locale.ROOT), YearMonth.parse(h.path("month").asText()),
          Instant.parse(h.path("createdAt").asText()), h.path("batches").asLong(-1), h.path("events").asLong(-1));
    } catch (RuntimeException e) {
      throw notAnArchive();
    }
  }

  /** A length-prefixed field; a length past the end of the file is a cut or damaged file, not an allocation. */
  private static byte[] bytes(DataInputStream in, long remaining) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > remaining) {
      throw truncated();
    }
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw truncated();
    }
    return b;
  }

  private static Problem truncated() {
    return Problem.invalid("ArchiveTruncated", "file", "The archive file ends before its content and signature do: "
        + "it was cut short (or damaged) after it was written.");
  }

  private static Problem notAnArchive() {
    return Problem.invalid("InvalidArchive", "file", "The file is not a stackledger usage archive (format " + FORMAT
        + ": a JSON header line, the batches, a signature).");
  }

  static Mac mac(byte[] key) {
    try {
      Mac mac = Mac.getInstance(MAC);
      mac.init(new SecretKeySpec(key, MAC));
      return mac;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
    }
  }

  /** Feeds every byte read to the MAC. */
  private static final class MacInput extends FilterInputStream {
    private final Mac mac;

    MacInput(InputStream in, Mac mac) {
      super(in);
      this.mac = mac;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        mac.update((byte) b);
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        mac.update(b, off, n);
      }
      return n;
    }
  }
}
