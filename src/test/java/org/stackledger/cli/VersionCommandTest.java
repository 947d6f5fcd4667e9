package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VersionCommandTest {
  private record Run(int code, String out, String err) {}

  private static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = StackledgerCommand.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return new Run(cmd.execute(args), out.toString(), err.toString());
  }

  @Test
  void helpListsTheServeVersionAndResourceCommands() {
    Run help = cli("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).startsWith("Usage: stackledger ")
        .containsPattern("(?m)^\\s+serve\\s+\\S")
        .containsPattern("(?m)^\\s+version\\s+\\S")
        .containsPattern("(?m)^\\s+resource\\s+\\S");
    assertThat(help.err()).isEmpty();
  }

  @Test
  void noArgumentsPrintsTheSameUsage() {
    Run bare = cli();
    assertThat(bare.code()).isZero();
    assertThat(bare.out()).isEqualTo(cli("--help").out());
  }

  @Test
  void versionPrintsTheProgramNameVersionAndJava() {
    Run version = cli("version");
    assertThat(version.code()).isZero();
    assertThat(version.out()).startsWith("stackledger ").contains("(Java " + Runtime.version() + ")");
    assertThat(version.out().lines()).hasSize(1);
  }

  @Test
  void theVersionOptionAgreesWithTheVersionCommand() {
    Run option = cli("--version");
    assertThat(option.code()).isZero();
    assertThat(option.out().strip()).isEqualTo("stackledger " + VersionCommand.version());
  }

  @Test
  void resourceWithoutAVerbListsTheVerbs() {
    Run resource = cli("resource");
    assertThat(resource.code()).isZero();
    assertThat(resource.out()).contains("put", "get", "delete", "list");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    Run unknown = cli("frobnicate");
    assertThat(unknown.code()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(unknown.err()).contains("frobnicate");
  }
}
