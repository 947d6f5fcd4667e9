package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.stackledger.testing.SteppingClock;

/** {@link Progress}: a line rewritten in place on a terminal, a few plain lines anywhere else. */
class ProgressTest {

  @Test
  void onATerminalOneLineIsRewrittenInPlaceAndKeptWhenDone() {
    StringWriter text = new StringWriter();
    Progress progress = new Progress(new PrintWriter(text), true, new SteppingClock());
    progress.update("reading usage: 1000 rows");
    progress.update("reading usage: 2000 rows");
    progress.done("done: 25 rows");
    assertThat(text.toString()).isEqualTo("\rreading usage: 1000 rows\rreading usage: 2000 rows\rdone: 25 rows"
        + " ".repeat("reading usage: 2000 rows".length() - "done: 25 rows".length()) + System.lineSeparator());
  }

  @Test
  void withoutATerminalUpdatesArePlainLinesAtMostOneEachIntervalSoAShortCommandShowsOnlyItsLastLine() {
    StringWriter text = new StringWriter();
    SteppingClock clock = new SteppingClock();
    Progress progress = new Progress(new PrintWriter(text), false, clock);
    progress.update("reading usage: 1000 rows");
    assertThat(text.toString()).as("too soon for a line").isEmpty();
    clock.advance(Progress.PLAIN_INTERVAL);
    progress.update("reading usage: 9000 rows");
    clock.advance(Duration.ofSeconds(1));
    progress.update("reading usage: 9500 rows");
    progress.done("done: 9600 rows");
    assertThat(text.toString()).isEqualTo("reading usage: 9000 rows" + System.lineSeparator() + "done: 9600 rows"
        + System.lineSeparator()).doesNotContain("\r");
  }

  @Test
  void clearingRemovesTheInPlaceLineBeforeAnErrorIsPrinted() {
    StringWriter text = new StringWriter();
    Progress progress = new Progress(new PrintWriter(text), true, new SteppingClock());
    progress.update("uploading");
    progress.clear();
    assertThat(text.toString()).isEqualTo("\ruploading\r" + " ".repeat(9) + "\r");
  }
}
