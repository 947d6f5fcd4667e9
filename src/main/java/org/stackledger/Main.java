package org.stackledger;

import org.stackledger.cli.StackledgerCommand;
import picocli.CommandLine;

/** The {@code stackledger} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // Logging takes a few hundred milliseconds to set up; let it happen while picocli parses. A call
    // that logs meanwhile is held and replayed once it is up, and SLF4J would announce that replay on
    // the terminal (two lines of its own before the server's): it is ours and expected, so hush it.
    System.setProperty("slf4j.internal.verbosity", "ERROR");
    Thread logging = new Thread(org.slf4j.LoggerFactory::getILoggerFactory, "init-logging");
    logging.setDaemon(true);
    logging.start();
    int code = StackledgerCommand.commandLine(args).execute(args);
    if (code != 0 || !StackledgerCommand.keepsRunning(args)) {
      System.exit(code);
    }
  }
}
