package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class VersionCommandTest {

  private static CliRun cli(String... args) {
    return CliRun.run(args);
  }

  @Test
  void helpListsTheServeVersionAndResourceCommands() {
    CliRun help = cli("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).startsWith("Usage: stackledger ")
        .containsPattern("(?m)^\\s+serve\\s+\\S")
        .containsPattern("(?m)^\\s+version\\s+\\S")
        .containsPattern("(?m)^\\s+resource\\s+\\S");
    assertThat(help.err()).isEmpty();
  }

  @Test
  void noArgumentsPrintsTheSameUsage() {
    CliRun bare = cli();
    assertThat(bare.code()).isZero();
    assertThat(bare.out()).isEqualTo(cli("--help").out());
  }

  @Test
  void versionPrintsTheProgramNameVersionAndJava() {
    CliRun version = cli("version");
    assertThat(version.code()).isZero();
    assertThat(version.out()).startsWith("stackledger ").contains("(Java " + Runtime.version() + ")");
    assertThat(version.out().lines()).hasSize(1);
  }

  @Test
  void theVersionOptionAgreesWithTheVersionCommand() {
    CliRun option = cli("--version");
    assertThat(option.code()).isZero();
    assertThat(option.out().strip()).isEqualTo("stackledger " + VersionCommand.version());
  }

  @Test
  void resourceWithoutAVerbListsTheVerbs() {
    CliRun resource = cli("resource");
    assertThat(resource.code()).isZero();
    assertThat(resource.out()).contains("put", "get", "delete", "list");
  }

  @Test
  void anUnknownCommandIsAUsageError() {
    CliRun unknown = cli("frobnicate");
    assertThat(unknown.code()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(unknown.err()).contains("frobnicate");
  }
}
