package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code stackledger demo --exit}: a month is simulated, shipped and billed on a fresh store, the
 * summary's commands work against what it made, and a folder that is not fresh is refused.
 */
class DemoCommandTest {
  @Test
  void theDemoBillsLastMonthAndItsCommandsWork() throws Exception {
    Path dir = Files.createTempDirectory("stackledger-demo-test");
    CliRun demo = CliRun.run(new String[] {"demo", "--exit", "--port", "0", "--data-dir", dir.resolve("demo").toString()});
    assertThat(demo.code()).as(demo.err()).isZero();
    String out = demo.out();
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
