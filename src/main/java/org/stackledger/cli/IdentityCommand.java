package org.stackledger.cli;

import static org.stackledger.cli.Connection.IDENTITY;
import static org.stackledger.cli.Connection.IDENTITY_API;
import static org.stackledger.cli.Connection.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Console;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.stackledger.http.Json;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stackledger identity ...}: the operator's verbs for directory tenants, service principals,
 * users, guests and signing keys, over the {@code Stackledger.Identity} API as the signed-in
 * profile. Only a principal with a root-scope role (the bootstrap admin) gets through.
 */
@Command(name = "identity", description = "Manage directory tenants, principals, guests and signing keys (operator only).",
    subcommands = {IdentityCommand.Tenant.class, ServicePrincipalCommand.class, IdentityCommand.User.class,
        IdentityCommand.Guest.class, IdentityCommand.Keys.class})
final class IdentityCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A group of verbs: prints its usage when run without one. */
  abstract static class Group implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }

  /** Shows a collection of the identity API through the output options. */
  static int list(Connection conn, Output output, String path, List<String> header,
      Function<JsonNode, List<String>> row) throws Exception {
    return conn.listTable(output, path, IDENTITY_API, header, row);
  }

  @Command(name = "tenant", description = "Directory tenants.", subcommands = {Tenant.Create.class, Tenant.ListTenants.class})
  static final class Tenant extends Group {
    @Command(name = "create", description = "Create a directory tenant (or change its display name).")
    static final class Create implements Callable<Integer> {
      @Mixin
      Output output;

      @Mixin
      Connection conn;

      @Option(names = "--domain", required = true, description = "Its domain, e.g. fabrikam.onmicrosoft.local.")
      String domain;

      @Option(names = "--display-name", description = "Display name. Default: the domain.")
      String displayName;

      @Option(names = "--tenant-id", description = "The tenant id (a GUID) to use. Default: a new one.")
      String tenantId;

      @Override
      public Integer call() throws Exception {
        ObjectNode body = Json.object();
        ObjectNode p = body.putObject("properties");
        p.put("displayName", displayName != null ? displayName : domain);
        if (tenantId != null) {
          p.put("tenantId", tenantId);
        }
        return conn.created(conn.send("PUT", IDENTITY + "/tenants/" + segment(domain), IDENTITY_API, Json.text(body)),
            output, "/properties/tenantId", "the tenant's id; add a user with: stackledger identity user create -t "
            + domain + " --upn NAME@" + domain);
      }
    }

    @Command(name = "list", description = "List the directory tenants.")
    static final class ListTenants implements Callable<Integer> {
      @Mixin
      Connection conn;

      @Mixin
      Output output;

      @Override
      public Integer call() throws Exception {
        return list(conn, output, IDENTITY + "/tenants", List.of("DOMAIN", "TENANT ID", "DISPLAY NAME"),
            t -> List.of(Connection.prop(t, "domain"), Connection.prop(t, "tenantId"), Connection.prop(t, "displayName")));
      }
    }
  }

  @Command(name = "user", description = "Users of a tenant.", subcommands = {User.Create.class, User.ListUsers.class})
  static final class User extends Group {
    @Command(name = "create", description = "Create a user with a password; the password is never shown again.")
    static final class Create implements Callable<Integer> {
      @Mixin
      Output output;

      @Mixin
      Connection conn;

      @Option(names = {"-t", "--tenant"}, required = true, description = "The tenant (domain or id).")
      String tenant;

      @Option(names = "--upn", required = true, description = "User principal name, name@<tenant domain>.")
      String upn;

      @Option(names = "--display-name", description = "Display name. Default: the user principal name.")
      String displayName;

      @Option(names = {"-p", "--password"}, description = "Password. Default: $STACKLEDGER_NEW_PASSWORD, else asked for.")
      String password;

      @Override
      public Integer call() throws Exception {
        ObjectNode body = Json.object();
        ObjectNode p = body.putObject("properties");
        if (displayName != null) {
          p.put("displayName", displayName);
        }
        p.put("password", password());
        return conn.created(conn.send("PUT", IDENTITY + "/tenants/" + segment(tenant) + "/users/" + segment(upn),
            IDENTITY_API, Json.text(body)), output, "/properties/objectId", "the user's object id; it signs in with: "
            + "stackledger login -u " + upn + " --tenant " + tenant + " --profile NAME");
      }

      private String password() {
        if (password != null) {
          return password;
        }
        String env = System.getenv("STACKLEDGER_NEW_PASSWORD");
        if (env != null && !env.isEmpty()) {
          return env;
        }
        Console console = System.console();
        if (console == null) {
          throw new CommandLine.ParameterException(conn.spec.commandLine(),
              "no password: pass -p, set STACKLEDGER_NEW_PASSWORD, or run in a terminal to be asked");
        }
        char[] first = console.readPassword("Password for %s: ", upn);
        char[] again = console.readPassword("Again: ");
        if (first == null || !java.util.Arrays.equals(first, again)) {
          throw new CommandLine.ParameterException(conn.spec.commandLine(), "the passwords do not match");
        }
        return new String(first);
      }
    }

    @Command(name = "list", description = "List the users of a tenant.")
    static final class ListUsers implements Callable<Integer> {
      @Mixin
      Connection conn;

      @Option(names = {"-t", "--tenant"}, required = true, description = "The tenant (domain or id).")
      String tenant;

      @Mixin
      Output output;

      @Override
      public Integer call() throws Exception {
        return list(conn, output, IDENTITY + "/tenants/" + segment(tenant) + "/users",
            List.of("USER PRINCIPAL NAME", "OBJECT ID", "DISPLAY NAME"),
            u -> List.of(Connection.prop(u, "userPrincipalName"), Connection.prop(u, "objectId"), Connection.prop(u, "displayName")));
      }
    }
  }

  @Command(name = "guest", description = "Guests of a tenant: principals of other tenants that may sign in to it.",
      subcommands = {Guest.Add.class, Guest.ListGuests.class})
  static final class Guest extends Group {
    @Command(name = "add", description = "Invite a principal of another tenant as a guest.")
    static final class Add implements Callable<Integer> {
      @Mixin
      Output output;

      @Mixin
      Connection conn;

      @Option(names = {"-t", "--tenant"}, required = true, description = "The tenant it is invited into (domain or id).")
      String tenant;

      @Option(names = "--principal", required = true, description = "Object id, client id or user principal name.")
      String principal;

      @Override
      public Integer call() throws Exception {
        String objectId;
        try {
          objectId = conn.objectId(principal);
        } catch (Connection.Refused r) {
          return r.code;
        }
        return conn.created(conn.send("PUT", IDENTITY + "/tenants/" + segment(tenant) + "/guests/" + segment(objectId),
            IDENTITY_API, null), output, "/properties/objectId", "the guest's object id; see the guests with: "
            + "stackledger identity guest list -t " + tenant);
      }
    }

    @Command(name = "list", description = "List the guests of a tenant.")
    static final class ListGuests implements Callable<Integer> {
      @Mixin
      Connection conn;

      @Option(names = {"-t", "--tenant"}, required = true, description = "The tenant (domain or id).")
      String tenant;

      @Mixin
      Output output;

      @Override
      public Integer call() throws Exception {
        return list(conn, output, IDENTITY + "/tenants/" + segment(tenant) + "/guests",
            List.of("OBJECT ID", "TYPE", "HOME TENANT", "DISPLAY NAME"),
            g -> List.of(Connection.prop(g, "objectId"), Connection.prop(g, "principalType"), Connection.prop(g, "tenantId"), Connection.prop(g, "displayName")));
      }
    }
  }

  @Command(name = "keys", description = "The keys that sign tokens.", subcommands = {Keys.ListKeys.class, Keys.Rotate.class,
      Keys.Retire.class})
  static final class Keys extends Group {
    @Command(name = "list", description = "List the signing keys and their state (active, retiring, retired).")
    static final class ListKeys implements Callable<Integer> {
      @Mixin
      Connection conn;

      @Mixin
      Output output;

      @Override
      public Integer call() throws Exception {
        return list(conn, output, IDENTITY + "/signingKeys", List.of("KID", "STATE", "CREATED"),
            k -> List.of(Connection.prop(k, "kid"), Connection.prop(k, "state"), Connection.prop(k, "createdOn")));
      }
    }

    @Command(name = "rotate", description = "Make a new active key; the previous one keeps verifying until retired.")
    static final class Rotate implements Callable<Integer> {
      @Mixin
      Connection conn;

      @Override
      public Integer call() throws Exception {
        return conn.print(conn.send("POST", IDENTITY + "/signingKeys/rotate", IDENTITY_API, null));
      }
    }

    @Command(name = "retire", description = "Stop a retiring key from verifying tokens.")
    static final class Retire implements Callable<Integer> {
      @Mixin
      Connection conn;

      @Option(names = "--kid", required = true, description = "The key id, from 'identity keys list'.")
      String kid;

      @Override
      public Integer call() throws Exception {
        return conn.print(conn.send("POST", IDENTITY + "/signingKeys/" + segment(kid) + "/retire", IDENTITY_API, null));
      }
    }
  }
}
