package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help}, {@code -h} and {@code help} on every group and verb of the command tree. */
class HelpTest {

  @Test
  void everyGroupAndVerbOfTheTreeAnswersHelpWithItsUsageAndExitCodeZero() {
    List<List<String>> paths = new ArrayList<>();
    walk(StackledgerCommand.commandLine(), new ArrayList<>(), paths);
    assertThat(paths).as("the tree is walked, not a handful of verbs").hasSizeGreaterThan(80);
    // One command tree for the walk: building it (picocli reads every command's annotations) is most
    // of a run's time, and a help request leaves nothing behind in it for the next parse.
    CommandLine tree = StackledgerCommand.commandLine();
    for (List<String> path : paths) {
      for (String flag : List.of("--help", "-h")) {
        List<String> args = new ArrayList<>(path);
        args.add(flag);
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        tree.setOut(new java.io.PrintWriter(out, true));
        tree.setErr(new java.io.PrintWriter(err, true));
        CliRun run = new CliRun(tree.execute(args.toArray(String[]::new)), out.toString(), err.toString());
        String shown = String.join(" ", args);
        assertThat(run.code()).as(shown + ": " + run.err()).isZero();
        assertThat(run.out()).as(shown).startsWith("Usage: stackledger" + (path.isEmpty() ? "" : " " + String.join(" ", path)));
        assertThat(run.err()).as(shown).isEmpty();
      }
    }
  }

  @Test
  void aCommandLineStartingWithAVerbBuildsThatVerbAloneAndItsHelpReadsAsInTheWholeTree() {
    CommandLine whole = StackledgerCommand.commandLine();
    for (String verb : List.of("usage", "invoice", "serve", "stack")) {
      CommandLine alone = StackledgerCommand.commandLine(new String[] {verb, "--help"});
      assertThat(alone.getSubcommands().keySet()).as(verb).containsExactlyInAnyOrder(verb, "help");
      assertThat(alone.getSubcommands().get(verb).getUsageMessage())
          .isEqualTo(whole.getSubcommands().get(verb).getUsageMessage());
    }
    // The root's help, 'help' and a word that is no verb (picocli suggests the nearest) need them all.
    for (String first : List.of("--help", "help", "invoce")) {
      assertThat(StackledgerCommand.commandLine(new String[] {first}).getSubcommands())
          .as(first).containsOnlyKeys(whole.getSubcommands().keySet());
    }
    CliRun typo = CliRun.run("invoce", "list");
    assertThat(typo.code()).isEqualTo(2);
    assertThat(typo.err()).contains("invoice");
  }

  @Test
  void helpVerbShowsTheUsageOfTheVerbsItNames() {
    CliRun root = CliRun.run("help");
    assertThat(root.code()).as(root.err()).isZero();
    assertThat(root.out()).startsWith("Usage: stackledger").contains("invoice").contains("account");
    CliRun leaf = CliRun.run("help", "invoice", "show");
    assertThat(leaf.code()).as(leaf.err()).isZero();
    assertThat(leaf.out()).startsWith("Usage: stackledger invoice show").contains("--subscription").contains("--output");
  }

  @Test
  void aVerbWithRequiredOptionsAnswersHelpBeforeCheckingThem() {
    CliRun run = CliRun.run("login", "--help");
    assertThat(run.code()).isZero();
    assertThat(run.out()).contains("--username").contains("--profile");
    assertThat(run.err()).doesNotContain("Missing required option");
  }

  @Test
  void aGroupRunWithoutAVerbPrintsItsUsage() {
    CliRun run = CliRun.run("stack", "subscription");
    assertThat(run.code()).isZero();
    assertThat(run.out()).startsWith("Usage: stackledger stack subscription").contains("create").contains("list");
  }

  @Test
  void theRootHelpListsTheExitCodes() {
    CliRun run = CliRun.run("--help");
    assertThat(run.out()).contains("Exit codes:").contains("  0  done").contains("  2  the command line is wrong")
        .contains("  3  not found");
    CliRun wrong = CliRun.run("invoice", "show", "--no-such-option");
    assertThat(wrong.code()).isEqualTo(2);
  }

  private static void walk(CommandLine command, List<String> path, List<List<String>> paths) {
    paths.add(List.copyOf(path));
    command.getSubcommands().forEach((name, sub) -> {
      if (!name.equals(sub.getCommandName()) || name.equals("help")) {
        return;
      }
      List<String> deeper = new ArrayList<>(path);
      deeper.add(name);
      walk(sub, deeper, paths);
    });
  }
}
