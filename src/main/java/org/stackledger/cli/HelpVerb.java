package org.stackledger.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code stackledger help [VERB…]}: the usage of the group or verb at that path, as {@code --help}
 * on it would print. picocli's own {@code HelpCommand} looks one level down only, so
 * {@code help invoice show} would show {@code invoice}.
 */
@Command(name = "help", helpCommand = true, description = "Show the usage of a group or verb, e.g. 'help invoice show'.")
final class HelpVerb implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "VERB", arity = "0..*", description = "The path of the group or verb.")
  List<String> path = new ArrayList<>();

  @Override
  public void run() {
    CommandLine at = spec.parent().commandLine();
    for (String name : path) {
      CommandLine next = at.getSubcommands().get(name);
      if (next == null) {
        throw new CommandLine.ParameterException(spec.commandLine(), "no verb '" + name + "' under '"
            + at.getCommandSpec().qualifiedName() + "'; see '" + at.getCommandSpec().qualifiedName() + " --help'");
      }
      at = next;
    }
    at.usage(spec.commandLine().getOut());
  }
}
