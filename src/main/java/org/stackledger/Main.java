package org.stackledger;

import org.stackledger.cli.StackledgerCommand;
import picocli.CommandLine;

/** The {@code stackledger} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // Logging takes a few hundred milliseconds to set up; let it happen while picocli parses.
    Thread logging = new Thread(org.slf4j.LoggerFactory::getILoggerFactory, "init-logging");
    logging.setDaemon(true);
    logging.start();
    int code = StackledgerCommand.commandLine(args).execute(args);
    if (code != 0 || !StackledgerCommand.keepsRunning(args)) {
      System.exit(code);
    }
  }
}
