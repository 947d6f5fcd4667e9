package org.stackledger.cli;

import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top of the {@code stackledger} command tree. */
@Command(name = "stackledger", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
    description = "Azure Stack CSP usage registration and billing: cloud plane and stack plane.",
    footer = {"", "Every group and verb takes -h/--help; 'stackledger help VERB…' says the same.",
        "Read verbs take -o/--output table|json|tsv|csv, --query JMESPATH and --out FILE; any verb that talks to a "
            + "server takes --as PROFILE (see 'stackledger account list').",
        "", "Exit codes:",
        "  0  done",
        "  1  the server refused or failed the request, or could not be reached (the reason is on stderr)",
        "  2  the command line is wrong: an unknown verb or option, a missing or malformed value",
        "  3  not found: the server answered 404 for what was named"})
public final class StackledgerCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Every verb, in the order help lists them. */
  private static final java.util.List<Class<?>> VERBS = java.util.List.of(ServeCommand.class, VersionCommand.class,
      LoginCommand.class, LogoutCommand.class, AccountCommand.class, ResourceCommand.class, IdentityCommand.class, RoleCommand.class,
      PartnerCommand.class, RegistrationCommand.class, CustomerSubscriptionCommand.class, StackCommand.class,
      UsageCommand.class, PriceSheetCommand.class, CommerceCommand.class, DemoCommand.class, InvoiceCommand.class, ReconciliationCommand.class,
      ChargebackCommand.class, ReportCommand.class, ArchiveCommand.class, BackupCommand.class,
      BackupCommand.RestoreCommand.class, SimulateCommand.class, BenchCommand.class);

  public static CommandLine commandLine() {
    return commandLine(new String[0]);
  }

  /**
   * The command line for these arguments: when they start with a verb, a tree holding only that verb.
   * picocli builds a verb's whole model (every group, verb and option below it, by reflection) when
   * it is added, and the full tree of a few hundred commands is most of the CLI's start-up; only the
   * root's own help, {@code help}, and a first word that is no verb need every verb.
   */
  public static CommandLine commandLine(String[] args) {
    CommandLine cli = new CommandLine(new StackledgerCommand());
    for (Class<?> verb : args.length > 0 ? verbNamed(args[0]) : VERBS) {
      cli.addSubcommand(verb);
    }
    cli.addSubcommand(new HelpVerb());
    withHelp(cli);
    // --properties @file and --body @file are ours to read; picocli's own @argfile expansion would
    // otherwise split the file's JSON into stray arguments before the option ever sees it.
    return cli.setExpandAtFiles(false).setExecutionExceptionHandler(StackledgerCommand::failed);
  }

  /** The verb a first argument names, alone; every verb when it names none (an option, {@code help}, a typo). */
  static java.util.List<Class<?>> verbNamed(String word) {
    for (Class<?> verb : VERBS) {
      Command command = verb.getAnnotation(Command.class);
      if (command.name().equals(word) || java.util.Arrays.asList(command.aliases()).contains(word)) {
        return java.util.List.of(verb);
      }
    }
    return VERBS;
  }

  /**
   * Gives every group and verb of the tree {@code -h/--help}, unless it has its own: picocli then
   * prints the usage before it checks required options, so {@code invoice show --help} answers
   * with help rather than "Missing required option".
   */
  private static void withHelp(CommandLine command) {
    CommandLine.Model.CommandSpec spec = command.getCommandSpec();
    if (spec.optionsMap().get("--help") == null && spec.optionsMap().get("-h") == null) {
      spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help").usageHelp(true)
          .description("Show this help and exit.").build());
    }
    command.getSubcommands().values().stream().distinct().forEach(StackledgerCommand::withHelp);
  }

  /**
   * Expected failures (no server, unreachable endpoint, unreadable file) print one line on stderr
   * and exit 1; anything else keeps picocli's stack trace, which is what a bug report needs.
   */
  private static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
    if (e instanceof org.stackledger.problem.Problem p) {
      // A service called in this process refused: the same words an HTTP client would read, no trace.
      cmd.getErr().println("error: " + p.code() + ": " + p.getMessage()
          + (p.target() == null ? "" : " (" + p.target() + ")"));
      cmd.getErr().flush();
      return cmd.getCommandSpec().exitCodeOnExecutionException();
    }
    if (!(e instanceof java.io.IOException)) {
      throw e;
    }
    String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    if (e instanceof ArmClient.Unreachable unreachable) {
      message = unreachable(unreachable, parsed);
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

  /**
   * A server that did not answer: its address, where the CLI took that address from, and how to
   * start it there.
   */
  private static String unreachable(ArmClient.Unreachable e, CommandLine.ParseResult parsed) {
    CommandLine.ParseResult leaf = parsed;
    while (leaf.hasSubcommand()) {
      leaf = leaf.subcommand();
    }
    Path given = leaf.matchedOptionValue("--data-dir", null);
    Path dir = given != null ? given : defaultDataDir();
    boolean named = leaf.hasMatchedOption("--endpoint");
    return "cannot reach the server at " + e.address() + " (" + e.getCause().getClass().getSimpleName() + "). "
        + (named ? "Check the --endpoint URL, or start the server there."
            : "The address is from " + dir.resolve("endpoints.json") + "; start the server on that data folder with "
                + "'stackledger serve --data-dir " + dir + "'" + (given == null
                    ? " (the data folder is $STACKLEDGER_HOME, else ~/.stackledger, unless --data-dir names another)" : "")
                + ".");
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
