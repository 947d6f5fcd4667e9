package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Console;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code stackledger login}: signs in like {@code Login-AzureRmAccount}, as a service principal
 * (client id and secret) or a user (name and password), and keeps the profile every other command
 * uses, under a name ({@code --profile}) beside the others.
 */
@Command(name = "login", description = "Sign in as a service principal or a user; other commands use this sign-in.")
final class LoginCommand implements Callable<Integer> {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Option(names = "--service-principal", description = "Sign in as a service principal: -u is its client id, -p its secret.")
  boolean servicePrincipal;

  @Option(names = {"-u", "--username"}, required = true, description = "User principal name, or client id with --service-principal.")
  String username;

  @Option(names = {"-p", "--password"}, description = "Password or client secret. Default: $STACKLEDGER_PASSWORD, else asked for.")
  String password;

  @Option(names = {"-t", "--tenant"}, description = "Directory tenant (id or domain). Default: the home tenant in endpoints.json.")
  String tenant;

  @Option(names = "--profile", paramLabel = "NAME", defaultValue = Profiles.DEFAULT, description = "Keep this sign-in "
      + "under this name, beside the others; it becomes the current one. Default: ${DEFAULT-VALUE}.")
  String profileName;

  @Option(names = "--data-dir", description = "Where endpoints.json is and the profile is kept. Default: $STACKLEDGER_HOME or ~/.stackledger.")
  Path dataDir;

  @Option(names = "--ca-cert", description = "PEM certificate to trust. Default: certificate in endpoints.json.")
  Path caCert;

  @Override
  public Integer call() throws Exception {
    Path dir = dataDir != null ? dataDir : StackledgerCommand.defaultDataDir();
    JsonNode endpoints = ArmClient.endpoints(dir);
    String identity = endpoints.path("identity").asText();
    String tenantId = tenant != null ? tenant : endpoints.path("homeTenantId").asText();
    Path cert = caCert != null ? caCert : endpoints.path("certificate").isTextual()
        ? Path.of(endpoints.path("certificate").asText()) : null;
    ArmClient client = ArmClient.create(cert);
    String secret = secret();
    Profiles profiles = Profiles.load(dir);
    Profile profile;
    if (servicePrincipal) {
      profile = Profile.servicePrincipal(profiles, profileName, identity, tenantId, username, secret);
      profile.token(client, endpoints.path("cloudArm").asText());
    } else {
      profile = Profile.user(profiles, profileName, identity, tenantId, username);
      // A user's password is not kept: take tokens for every ARM endpoint and Partner Center now.
      List<String> arms = new ArrayList<>();
      for (String key : List.of("cloudArm", "stackAdminArm", "stackTenantArm", "partnerCenter")) {
        if (endpoints.path(key).isTextual()) {
          arms.add(endpoints.path(key).asText());
        }
      }
      for (String arm : arms) {
        profile.signInUser(client, arm, secret);
      }
    }
    profiles.add(profile);
    profiles.save();
    spec.commandLine().getOut().println("Signed in: " + profile.describe() + ". Profile '" + profileName
        + "' (current) in " + profiles.file());
    return 0;
  }

  private String secret() {
    if (password != null) {
      return password;
    }
    String env = System.getenv("STACKLEDGER_PASSWORD");
    if (env != null && !env.isEmpty()) {
      return env;
    }
    Console console = System.console();
    if (console == null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "no password: pass -p, set STACKLEDGER_PASSWORD, or run in a terminal to be asked");
    }
    return new String(console.readPassword(servicePrincipal ? "Client secret: " : "Password: "));
  }
}
