package org.stackledger.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What a long command is doing, on standard error. On a terminal one line is rewritten in place
 * ({@code \r}); into a file or a pipe (a log, CI) it writes plain lines, at most one each
 * {@link #PLAIN_INTERVAL}, so a short command writes only its last line and a log is not flooded.
 * Standard output stays for results. Any verb may use it: {@code Progress.to(spec.commandLine().getErr())},
 * then {@link #update} as work goes and {@link #done} or {@link #clear} at the end.
 */
final class Progress {
  static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);

  private final PrintWriter err;
  private final boolean terminal;
  private final Clock clock;
  private Instant lastPlain;
  private int shown;

  Progress(PrintWriter err, boolean terminal, Clock clock) {
    this.err = err;
    this.terminal = terminal;
    this.clock = clock;
    this.lastPlain = clock.instant();
  }

  /** Progress on this writer, in place when the process has a terminal. */
  static Progress to(PrintWriter err) {
    return new Progress(err, System.console() != null, Clock.systemUTC());
  }

  /** The work's state now, e.g. {@code "reading usage: 12,000 rows"}. */
  void update(String line) {
    if (terminal) {
      rewrite(line);
      err.flush();
      return;
    }
    Instant now = clock.instant();
    if (!now.isBefore(lastPlain.plus(PLAIN_INTERVAL))) {
      err.println(line);
      err.flush();
      lastPlain = now;
    }
  }

  /** The work's last line, kept. */
  void done(String line) {
    if (terminal) {
      rewrite(line);
      err.println();
    } else {
      err.println(line);
    }
    err.flush();
    shown = 0;
  }

  /** Removes the in-place line (before an error or a result is printed). */
  void clear() {
    if (terminal && shown > 0) {
      err.print("\r" + " ".repeat(shown) + "\r");
      err.flush();
    }
    shown = 0;
  }

  private void rewrite(String line) {
    // Spaces over what is left of a longer previous line.
    err.print("\r" + line + " ".repeat(Math.max(0, shown - line.length())));
    shown = line.length();
  }
}
