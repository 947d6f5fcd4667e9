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
import org.stackledger.testing.TestServer;
import org.stackledger.usage.UsageEvent;
import org.stackledger.usersubscriptions.Stack;

/**
 * The retention and backup verbs as an operator types them: a refusal is one {@code error: CODE:
 * message} line and exit code 1; a backup is written by the server and restored into a new folder
 * only.
 */
class ArchiveCommandTest {
  static final Instant OCT = Instant.parse("2026-10-01T00:00:00Z");
  static final String BASE_VM = "FAB6EB84-500B-4A09-A8CA-7358F8BBAEA5";

  @Test
  void anOperatorIsToldInOneLineWhyAMonthCannotBeArchivedAndBacksUpAndRestoresTheStore() throws Exception {
    SettableClock clock = new SettableClock(OCT);
    try (TestServer server = TestServer.start(Engine.H2, o -> o.withClock(clock))) {
      Stack stack = Stack.of(server);
      String sub = stack.subscribe(stack.guest(), stack.publicOffer("archive", "Public"), null);
      CliRun login = CliRun.in(server.dataDir(), "login", "--service-principal", "-u", server.admin().clientId(), "-p",
          server.admin().clientSecret());
      assertThat(login.code()).as(login.err()).isZero();
      clock.set(OCT.plus(Duration.ofMinutes(65)));
      server.app().usage().intake().accept(List.of(new UsageEvent(UUID.randomUUID().toString(), sub, BASE_VM,
          BigDecimal.TEN, OCT, OCT.plus(Duration.ofHours(1)), "/subscriptions/" + sub + "/vm/a", "local", null, null)));

      CliRun early = CliRun.in(server.dataDir(), "archive", "--before", "2026-11");
      assertThat(early.code()).isEqualTo(1);
      assertThat(early.err().strip()).startsWith("error: MonthNotFinal: The usage of 2026-10 may not be archived before")
          .doesNotContain("\n");

      // Final by February, but this deployment is not registered: its bridge has shipped nothing.
      clock.set(Instant.parse("2027-02-02T00:30:00Z"));
      server.app().usage().intake().accept(List.of(new UsageEvent(UUID.randomUUID().toString(), sub, BASE_VM,
          BigDecimal.ONE, Instant.parse("2027-02-01T23:00:00Z"), Instant.parse("2027-02-02T00:00:00Z"),
          "/subscriptions/" + sub + "/vm/a", "local", null, null)));
      CliRun again = CliRun.in(server.dataDir(), "login", "--service-principal", "-u", server.admin().clientId(), "-p",
          server.admin().clientSecret());
      assertThat(again.code()).as("a sign-in of February: the clock moved past the first token").isZero();
      CliRun unshipped = CliRun.in(server.dataDir(), "archive", "--before", "2026-11");
      assertThat(unshipped.code()).isEqualTo(1);
      assertThat(unshipped.err().strip()).startsWith("error: MonthNotShipped: The usage of 2026-10 is not all shipped")
          .doesNotContain("\n");

      Path bogus = Files.writeString(server.dataDir().resolve("bogus.slua"), "not an archive\n");
      CliRun refused = CliRun.in(server.dataDir(), "archive", "import", bogus.toString());
      assertThat(refused.code()).isEqualTo(1);
      assertThat(refused.err().strip()).startsWith("error: InvalidArchive: ").doesNotContain("\n");

      Path backup = Files.createTempDirectory("stackledger-backup").resolve("store.zip");
      CliRun backedUp = CliRun.in(server.dataDir(), "backup", "--out", backup.toString());
      assertThat(backedUp.code()).as(backedUp.err()).isZero();
      assertThat(backedUp.out()).startsWith("backed up " + Files.size(backup) + " bytes to " + backup);

      CliRun notEmpty = CliRun.run("restore", backup.toString(), "--data-dir", server.dataDir().toString());
      assertThat(notEmpty.code()).isEqualTo(1);
      assertThat(notEmpty.err().strip()).startsWith("error: DataFolderNotEmpty: ");

      Path fresh = Files.createTempDirectory("stackledger-restore").resolve("data");
      CliRun restored = CliRun.run("restore", backup.toString(), "--data-dir", fresh.toString());
      assertThat(restored.code()).as(restored.err()).isZero();
      assertThat(fresh.resolve("db").resolve("stackledger.mv.db")).exists();
    }
  }
}
