package org.stackledger.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.stackledger.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stackledger account list|set|show}: the sign-in profiles of the data folder, as
 * {@code az account} shows and switches its accounts. Tokens and secrets are never shown.
 */
@Command(name = "account", description = "Sign-in profiles: list them, switch the current one, show one.",
    subcommands = {AccountCommand.ListAll.class, AccountCommand.Set.class, AccountCommand.Show.class})
final class AccountCommand extends IdentityCommand.Group {
  /** Where the profiles are. */
  static final class Folder {
    @Option(names = "--data-dir", description = "Where the profiles are kept. Default: $STACKLEDGER_HOME or ~/.stackledger.")
    Path dataDir;

    Profiles profiles() throws IOException {
      return Profiles.load(dataDir != null ? dataDir : StackledgerCommand.defaultDataDir());
    }
  }

  /** A profile without its tokens or secret. */
  static ObjectNode describe(Profile p, boolean current) {
    return Json.object().put("name", p.name()).put("current", current).put("kind", p.kind())
        .put("principal", p.principal()).put("tenant", p.tenant());
  }

  static final List<String> HEADER = List.of("Name", "Current", "Kind", "Principal", "Tenant");

  static List<String> cells(com.fasterxml.jackson.databind.JsonNode p) {
    return List.of(p.path("name").asText(), p.path("current").asBoolean() ? "*" : "", p.path("kind").asText(),
        p.path("principal").asText(), p.path("tenant").asText());
  }

  @Command(name = "list", description = "The sign-in profiles; * marks the current one.")
  static final class ListAll implements Callable<Integer> {
    @Mixin
    Folder folder;
    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      Profiles profiles = folder.profiles();
      ArrayNode all = Json.MAPPER.createArrayNode();
      for (String name : profiles.names()) {
        all.add(describe(profiles.profile(name), name.equals(profiles.current())));
      }
      return output.show(all, View.list(HEADER, AccountCommand::cells));
    }
  }

  @Command(name = "set", description = "Make a profile the current one: later commands use it.")
  static final class Set implements Callable<Integer> {
    @Mixin
    Folder folder;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The profile's name, from 'account list'.")
    String name;

    @Override
    public Integer call() throws Exception {
      Profiles profiles = folder.profiles();
      if (!profiles.use(name)) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no sign-in profile '" + name
            + "' (profiles: " + String.join(", ", profiles.names()) + "); make it with 'stackledger login --profile "
            + name + " …'");
      }
      profiles.save();
      spec.commandLine().getOut().println("Current profile: '" + name + "', " + profiles.profile(name).describe() + ".");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "show", description = "The current profile, or the one named: who it signs in as, and where.")
  static final class Show implements Callable<Integer> {
    @Mixin
    Folder folder;
    @Mixin
    Output output;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The profile. Default: the current one.")
    String name;

    @Override
    public Integer call() throws Exception {
      Profiles profiles = folder.profiles();
      Profile p = profiles.profile(name);
      return output.show(describe(p, p.name().equals(profiles.current())), View.record(HEADER, AccountCommand::cells));
    }
  }
}
