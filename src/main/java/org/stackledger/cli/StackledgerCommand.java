package org.stackledger.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top of the {@code stackledger} command tree. */
@Command(name = "stackledger", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Azure Stack CSP usage registration and billing: cloud plane and stack plane.",
    subcommands = {ServeCommand.class, VersionCommand.class, ResourceCommand.class})
public final class StackledgerCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static CommandLine commandLine() {
    return new CommandLine(new StackledgerCommand());
  }

  /** True when the command starts a server that must outlive {@code main}. */
  public static boolean keepsRunning(String[] args) {
    return args.length > 0 && args[0].equals("serve");
  }

  /** The data folder used when none is given: {@code $STACKLEDGER_HOME}, else {@code ~/.stackledger}. */
  static Path defaultDataDir() {
    String home = System.getenv("STACKLEDGER_HOME");
    return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".stackledger");
  }
}
