package org.stackledger.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stackledger logout}: forgets the signed-in profile. */
@Command(name = "logout", description = "Forget the sign-in.")
final class LogoutCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--data-dir", description = "Where the profile is kept. Default: $STACKLEDGER_HOME or ~/.stackledger.")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    Path dir = dataDir != null ? dataDir : StackledgerCommand.defaultDataDir();
    spec.commandLine().getOut().println(Profile.delete(dir) ? "Signed out." : "Was not signed in.");
    return 0;
  }
}
