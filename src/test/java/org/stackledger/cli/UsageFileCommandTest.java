package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.stackledger.simulate.SettableClock;
import org.stackledger.testing.Engine;
import org.stackledger.testing.RegisteredDeployment;
import org.stackledger.testing.TestServer;
import org.stackledger.usage.UsageEvent;
import org.stackledger.usersubscriptions.Stack;

/** A disconnected deployment's month by CLI: disconnect, export a signed usage file, import it in the cloud. */
class UsageFileCommandTest {
  static final Instant OCT = Instant.parse("2026-10-01T00:00:00Z");
  static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";

  @Test
  void anOperatorMovesUsageByFileWhenTheDeploymentIsDisconnected() throws Exception {
    SettableClock clock = new SettableClock(OCT);
    try (TestServer server = TestServer.start(Engine.H2, o -> o.withClock(clock))) {
      RegisteredDeployment registration = RegisteredDeployment.register(server);
      Stack stack = Stack.of(server);
      String sub = stack.subscribe(stack.guest(), stack.publicOffer("file", "Public"), null);
      CliRun login = CliRun.in(server.dataDir(), "login", "--service-principal", "-u", server.admin().clientId(), "-p",
          server.admin().clientSecret());
      assertThat(login.code()).as(login.err()).isZero();
      CliRun off = CliRun.in(server.dataDir(), "stack", "bridge", "disconnect");
      assertThat(off.code()).as(off.err()).isZero();
      assertThat(off.out()).contains("State:                 Disconnected");

      clock.set(OCT.plus(Duration.ofMinutes(65)));
      server.app().usage().intake().accept(List.of(new UsageEvent(UUID.randomUUID().toString(), sub, BASE_VM,
          new BigDecimal("3.5"), OCT, OCT.plus(Duration.ofHours(1)), "/subscriptions/" + sub
          + "/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm1", "local", null, null)));
      clock.set(OCT.plus(Duration.ofHours(3)));
      // Three hours on: the CLI's token has expired, sign in again.
      login = CliRun.in(server.dataDir(), "login", "--service-principal", "-u", server.admin().clientId(), "-p",
          server.admin().clientSecret());
      assertThat(login.code()).as(login.err()).isZero();
      Path file = server.dataDir().resolve("october.json");
      CliRun export = CliRun.in(server.dataDir(), "stack", "bridge", "export", "--from", OCT.toString(), "--to",
          OCT.plus(Duration.ofHours(2)).toString(), "--out", file.toString());
      assertThat(export.code()).as(export.err()).isZero();
      assertThat(export.out()).contains("1 records in 1 batches");
      assertThat(Files.readString(file)).contains("\"format\":\"stackledger-usage-file/1\"");

      CliRun imported = CliRun.in(server.dataDir(), "commerce", "import", file.toString());
      assertThat(imported.code()).as(imported.err() + imported.out()).isZero();
      assertThat(imported.out()).contains("1 records in 1 batches, 1 new, 0 already billed");
      assertThat(imported.err()).as("no progress lines for a command that took less than their interval").isEmpty();
      CliRun again = CliRun.in(server.dataDir(), "commerce", "import", file.toString());
      assertThat(again.out()).contains("0 new, 1 already billed");

      CliRun invoice = CliRun.in(server.dataDir(), "invoice", "show", "--subscription",
          registration.csp().subscriptionId(), "--month", "2026-10");
      assertThat(invoice.code()).as(invoice.err()).isZero();
      assertThat(invoice.out()).contains("3.5");
      CliRun lines = CliRun.in(server.dataDir(), "invoice", "show", "--subscription",
          registration.csp().subscriptionId(), "--month", "2026-10", "-o", "table");
      assertThat(lines.code()).as(lines.err()).isZero();
      assertThat(lines.out()).startsWith("LINE").contains("METER NAME")
          .containsPattern("(?i)" + BASE_VM + "\\s+Base VM Size Hours\\s+" + sub + "\\s+3\\.5");
      CliRun status = CliRun.in(server.dataDir(), "stack", "bridge", "status");
      assertThat(status.out()).contains("State:                 Disconnected").contains("Shipped records:       0");
    }
  }
}
