package org.stackledger.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top of the {@code stackledger} command tree. */
@Command(name = "stackledger", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Azure Stack CSP usage registration and billing: cloud plane and stack plane.")
public final class StackledgerCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Every verb, in the order help lists them. */
  private static final java.util.List<Class<?>> VERBS = java.util.List.of(ServeCommand.class, VersionCommand.class,
      LoginCommand.class, LogoutCommand.class, ResourceCommand.class, IdentityCommand.class, RoleCommand.class,
      PartnerCommand.class, RegistrationCommand.class, CustomerSubscriptionCommand.class, StackCommand.class,
      UsageCommand.class, PriceSheetCommand.class, CommerceCommand.class, DemoCommand.class, InvoiceCommand.class, ReconciliationCommand.class,
      ChargebackCommand.class, ReportCommand.class, SimulateCommand.class, BenchCommand.class);

  public static CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /**
   * The command line for these arguments. {@code serve} gets a tree holding only itself: building
   * every verb's model costs start-up time a server should not pay.
   */
  public static CommandLine commandLine(String[] args) {
    CommandLine cli = new CommandLine(new StackledgerCommand());
    boolean serving = args.length > 0 && args[0].equals("serve");
    for (Class<?> verb : serving ? java.util.List.<Class<?>>of(ServeCommand.class) : VERBS) {
      cli.addSubcommand(verb);
    }
    // --properties @file and --body @file are ours to read; picocli's own @argfile expansion would
    // otherwise split the file's JSON into stray arguments before the option ever sees it.
    return cli.setExpandAtFiles(false).setExecutionExceptionHandler(StackledgerCommand::failed);
  }

  /**
   * Expected failures (no server, unreachable endpoint, unreadable file) print one line on stderr
   * and exit 1; anything else keeps picocli's stack trace, which is what a bug report needs.
   */
  private static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
    if (!(e instanceof java.io.IOException)) {
      throw e;
    }
    String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    if (e instanceof java.net.ConnectException || e instanceof java.net.http.HttpConnectTimeoutException) {
      message = "cannot reach the server: " + message;
    } else if (e instanceof javax.net.ssl.SSLHandshakeException) {
      message = "the server's certificate is not trusted (" + message
          + "); pass --ca-cert with its PEM, or --data-dir to use the one in endpoints.json";
    } else if (e instanceof java.nio.file.NoSuchFileException) {
      message = "no such file: " + message;
    }
    cmd.getErr().println("error: " + message);
    cmd.getErr().flush();
    return cmd.getCommandSpec().exitCodeOnExecutionException();
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
