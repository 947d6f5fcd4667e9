package org.stackledger.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stackledger logout}: forgets a sign-in profile, the current one unless named. */
@Command(name = "logout", description = "Forget a sign-in: the current profile, or the one named.")
final class LogoutCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--profile", paramLabel = "NAME", description = "The profile to forget. Default: the current one.")
  String profileName;

  @Option(names = "--data-dir", description = "Where the profile is kept. Default: $STACKLEDGER_HOME or ~/.stackledger.")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    Path dir = dataDir != null ? dataDir : StackledgerCommand.defaultDataDir();
    Profiles profiles = Profiles.load(dir);
    String name = profileName != null ? profileName : profiles.current();
    if (name == null || !profiles.remove(name)) {
      spec.commandLine().getOut().println("Was not signed in" + (profileName == null ? "." : " as '" + profileName + "'."));
      return 0;
    }
    profiles.save();
    spec.commandLine().getOut().println("Signed out" + (name.equals(Profiles.DEFAULT) ? "" : " of '" + name + "'")
        + "." + (profiles.current() == null ? "" : " Current profile: '" + profiles.current() + "'."));
    return 0;
  }
}
