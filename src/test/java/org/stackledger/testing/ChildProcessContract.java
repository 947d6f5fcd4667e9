package org.stackledger.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.stackledger.app.Stackledger;
import org.stackledger.http.ExchangeObserver;

/**
 * The contract check for servers the suite starts as other processes ({@code java … Main serve}):
 * such a process gets {@link #jvmOptions()}, which name {@link Recorder} as its exchange observer
 * ({@link Stackledger#TEST_OBSERVER_PROPERTY}) and a file it appends its violations to, one JSON string
 * a line. {@link ContractExtension} reads what the files gained after each test and fails that test,
 * as it does for servers in this JVM.
 */
public final class ChildProcessContract {
  /** The system property naming the child's violation file. */
  static final String LOG_PROPERTY = "stackledger.test.contractViolations";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<ViolationLog> REGISTERED = new CopyOnWriteArrayList<>();

  private ChildProcessContract() {}

  /** The JVM options that make a child server check its answers and report to the running test. */
  public static List<String> jvmOptions() {
    ViolationLog log = ViolationLog.create();
    REGISTERED.add(log);
    return log.jvmOptions(Recorder.class);
  }

  /** The violations child processes reported since the last call. */
  static List<String> drain() {
    List<String> out = new ArrayList<>();
    REGISTERED.forEach(log -> out.addAll(log.readNew()));
    return out;
  }

  /**
   * One child's violation file and how far this JVM has read it. Only complete lines are read, so a
   * child killed in the middle of a write (the kill -9 tests) leaves nothing half-read behind.
   */
  static final class ViolationLog {
    private final Path file;
    private long read;

    ViolationLog(Path file) {
      this.file = file;
    }

    static ViolationLog create() {
      try {
        Path file = Files.createTempFile("stackledger-contract-", ".jsonl");
        file.toFile().deleteOnExit();
        return new ViolationLog(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    List<String> jvmOptions(Class<? extends ExchangeObserver> observer) {
      return List.of(
          // Children live seconds to a minute: the quick compiler alone costs less CPU than tiering up
          // to C2, which on two cores competes with the tests beside them.
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
          // The test JVM's password work factor (set by surefire), so children hash as cheaply.
          "-Dstackledger.passwordHashIterations=" + System.getProperty("stackledger.passwordHashIterations", "210000"),
          "-D" + Stackledger.TEST_OBSERVER_PROPERTY + "=" + observer.getName(),
          "-D" + LOG_PROPERTY + "=" + file);
    }

    synchronized List<String> readNew() {
      List<String> out = new ArrayList<>();
      try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
        byte[] tail = new byte[(int) Math.max(0, in.length() - read)];
        in.seek(read);
        in.readFully(tail);
        int lineStart = 0;
        for (int i = 0; i < tail.length; i++) {
          if (tail[i] == '\n') {
            out.add(JSON.readValue(new String(tail, lineStart, i - lineStart, StandardCharsets.UTF_8), String.class));
            lineStart = i + 1;
          }
        }
        read += lineStart;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out;
    }

    /** Appends from the child; one write per call, so lines of concurrent requests do not interleave. */
    synchronized void append(List<String> violations) {
      StringBuilder lines = new StringBuilder();
      try {
        for (String v : violations) {
          lines.append(JSON.writeValueAsString(v)).append('\n');
        }
        Files.writeString(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * The child's side: runs the suite's {@link ContractCheck} on each answer and appends what it finds
   * to the file named by {@value #LOG_PROPERTY}. Written before the answer is (the observer runs
   * first), so the test that made the request finds it when it ends.
   */
  public static final class Recorder implements ExchangeObserver {
    private final ContractCheck check;
    private final ViolationLog log;

    public Recorder() {
      this(ContractCheck.SUITE, new ViolationLog(Path.of(System.getProperty(LOG_PROPERTY))));
    }

    Recorder(ContractCheck check, ViolationLog log) {
      this.check = check;
      this.log = log;
    }

    @Override
    public void observed(Observed exchange) {
      check.observed(exchange);
      List<String> violations = check.drain();
      if (!violations.isEmpty()) {
        try {
          log.append(violations);
        } catch (RuntimeException e) {
          // An observer must not throw: the answer is the server's, the failure to report is ours to print.
          System.err.println("contract check: cannot report " + violations + ": " + e);
        }
      }
    }
  }
}
