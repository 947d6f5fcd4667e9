package org.stackledger.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code stackledger version}. */
@Command(name = "version", description = "Print the version.")
final class VersionCommand implements Callable<Integer> {
  static String version() {
    String v = VersionCommand.class.getPackage().getImplementationVersion();
    return v == null ? "development" : v;
  }

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().println("stackledger " + version() + " (Java " + Runtime.version() + ")");
    spec.commandLine().getOut().flush();
    return 0;
  }

  static final class Provider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"stackledger " + version()};
    }
  }
}
