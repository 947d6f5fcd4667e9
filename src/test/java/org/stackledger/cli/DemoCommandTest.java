package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code stackledger demo --exit}: a month is simulated, shipped and billed on a fresh store, the
 * summary's commands work against what it made, its requests go to the folder's log file and not to
 * the terminal, and a folder that is not fresh is refused.
 */
@Tag("slow")
class DemoCommandTest {
  @Test
  void theDemoBillsLastMonthAndItsCommandsWork() throws Exception {
    Path dir = Files.createTempDirectory("stackledger-demo-test");
    // What the terminal shows: the command's own output, and whatever logging writes to stderr.
    java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
    java.io.PrintStream before = System.err;
    CliRun demo;
    System.setErr(new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      demo = CliRun.run(new String[] {"demo", "--exit", "--port", "0", "--log-level", "INFO", "--data-dir",
          dir.resolve("demo").toString()});
    } finally {
      System.setErr(before);
    }
    assertThat(demo.code()).as(demo.err()).isZero();
    String out = demo.out();
    String terminal = out + demo.err() + stderr.toString(java.nio.charset.StandardCharsets.UTF_8);
    // Thousands of requests, none of them on the terminal: they are in the folder's log file.
    assertThat(terminal).doesNotContain("stackledger.request").doesNotContain("oauth2/v2.0/token");
    String logged = Files.readString(dir.resolve("demo").resolve("logs").resolve("stackledger.log"));
    assertThat(logged.lines().filter(l -> l.contains("\"logger\":\"stackledger.request\"")).count())
        .isGreaterThan(100);
    assertThat(out).contains(dir.resolve("demo").resolve("logs").resolve("stackledger.log").toAbsolutePath().toString());
    // Progress on stderr (plain lines here, not a terminal; at least the last one kept), never among the summary.
    assertThat(demo.err()).containsPattern("(?m)^demo: [0-9]{4}-[0-9]{2} billed, [0-9,]+ usage events$");
    assertThat(out).doesNotContainPattern("(?m)^demo: ").doesNotContain("usage of ").doesNotContain("hour 1 of");
    assertThat(out).contains("registered and activated").contains("mapped all month").contains("never mapped")
        .contains("Explore it");
    // Four billing subscriptions: customers 1 and 2, and the registration subscription (customer 3, and
    // customer 2's first half); each invoice final with a positive total.
    Matcher invoice = Pattern.compile("^  ([0-9a-f-]{36})  ([0-9.]+) USD  (\\d+) lines$", Pattern.MULTILINE).matcher(out);
    int invoices = 0;
    while (invoice.find()) {
      invoices++;
      assertThat(new BigDecimal(invoice.group(2)).signum()).as(invoice.group()).isPositive();
    }
    assertThat(invoices).isEqualTo(3);

    CliRun again = CliRun.run(new String[] {"demo", "--exit", "--port", "0", "--data-dir", dir.resolve("demo").toString()});
    assertThat(again.code()).isEqualTo(1);
    assertThat(again.err()).contains("needs a fresh data folder");
  }
}
