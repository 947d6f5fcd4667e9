package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.stackledger.http.Guids;
import org.stackledger.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stackledger role assignment create|list|delete} and {@code role definition list}, over
 * {@code Microsoft.Authorization} like {@code New-AzureRmRoleAssignment}: whoever may write role
 * assignments at the scope (an Owner there or above) may use them.
 */
@Command(name = "role", description = "Role assignments and role definitions.",
    subcommands = {RoleCommand.Assignment.class, RoleCommand.Definition.class})
final class RoleCommand extends IdentityCommand.Group {
  static final String API = "2022-04-01";
  static final String AUTHORIZATION = "/providers/Microsoft.Authorization";

  /** A scope as the API takes it; the root scope has no role assignment routes. */
  static String scope(Connection conn, String scope) throws Connection.Refused {
    String s = scope.trim();
    while (s.length() > 1 && s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    if (!s.toLowerCase(Locale.ROOT).startsWith("/subscriptions/")) {
      throw new Connection.Refused(conn.fail("--scope must be a subscription, resource group or resource id, "
          + "e.g. /subscriptions/{id}/resourceGroups/{name}"));
    }
    return s;
  }

  /** The role definitions visible at a scope; null when refused (printed). */
  static ArrayNode definitions(Connection conn, String scope) throws IOException {
    return conn.listAll(scope + AUTHORIZATION + "/roleDefinitions", API);
  }

  @Command(name = "assignment", description = "Role assignments.",
      subcommands = {Assignment.Create.class, Assignment.ListAssignments.class, Assignment.Delete.class})
  static final class Assignment extends IdentityCommand.Group {
    @Command(name = "create", description = "Give a principal a role at a scope.")
    static final class Create implements Callable<Integer> {
      @Mixin
      Output output;

      @Mixin
      Connection conn;

      @Option(names = "--assignee", required = true, description = "Object id, client id or user principal name "
          + "(names other than object ids are looked up, which only the operator may do).")
      String assignee;

      @Option(names = "--role", required = true, description = "Role name (e.g. Reader) or role definition id.")
      String role;

      @Option(names = "--scope", required = true, description = "Subscription, resource group or resource id.")
      String scope;

      @Option(names = "--name", description = "The assignment's name (a GUID). Default: a new one.")
      String name;

      @Override
      public Integer call() throws Exception {
        try {
          String at = scope(conn, scope);
          String roleId = roleId(at);
          String principalId = conn.objectId(assignee);
          ObjectNode body = Json.object();
          body.putObject("properties").put("roleDefinitionId", roleId).put("principalId", principalId);
          String id = name != null ? name : UUID.randomUUID().toString();
          return conn.created(conn.send("PUT", at + AUTHORIZATION + "/roleAssignments/" + Connection.segment(id), API,
              Json.text(body)), output, "/name", "role assignment made; see the scope's with: stackledger role "
              + "assignment list --scope " + at);
        } catch (Connection.Refused r) {
          return r.code;
        }
      }

      private String roleId(String at) throws IOException, Connection.Refused {
        if (Guids.isGuid(role)) {
          return role;
        }
        ArrayNode all = definitions(conn, at);
        if (all == null) {
          throw new Connection.Refused(conn.lastStatus);
        }
        for (JsonNode d : all) {
          if (Connection.prop(d, "roleName").equalsIgnoreCase(role)) {
            return d.path("id").asText();
          }
        }
        List<String> names = new ArrayList<>();
        all.forEach(d -> names.add(Connection.prop(d, "roleName")));
        throw new Connection.Refused(conn.fail("no role named '" + role + "'; the roles are: " + String.join(", ", names)));
      }
    }

    @Command(name = "list", description = "List the role assignments that apply at a scope (inherited, at it and beneath it).")
    static final class ListAssignments implements Callable<Integer> {
      @Mixin
      Connection conn;

      @Option(names = "--scope", required = true, description = "Subscription, resource group or resource id.")
      String scope;

      @Mixin
      Output output;

      @Override
      public Integer call() throws Exception {
        try {
          String at = scope(conn, scope);
          ArrayNode roles = output.format(Output.Format.TABLE) == Output.Format.JSON ? null : definitions(conn, at);
          return conn.listTable(output, at + AUTHORIZATION + "/roleAssignments", API,
              List.of("NAME", "ROLE", "PRINCIPAL ID", "TYPE", "SCOPE"), a -> {
                String roleId = Connection.prop(a, "roleDefinitionId");
                String roleName = roleId.substring(roleId.lastIndexOf('/') + 1);
                if (roles != null) {
                  for (JsonNode d : roles) {
                    if (d.path("name").asText().equalsIgnoreCase(roleName)) {
                      roleName = Connection.prop(d, "roleName");
                    }
                  }
                }
                return List.of(a.path("name").asText(), roleName, Connection.prop(a, "principalId"),
                    Connection.prop(a, "principalType"), Connection.prop(a, "scope"));
              });
        } catch (Connection.Refused r) {
          return r.code;
        }
      }
    }

    @Command(name = "delete", description = "Remove a role assignment by its name at its scope.")
    static final class Delete implements Callable<Integer> {
      @Mixin
      Connection conn;

      @Option(names = "--scope", required = true, description = "The scope the assignment was made at.")
      String scope;

      @Option(names = "--name", required = true, description = "The assignment's name (a GUID).")
      String name;

      @Override
      public Integer call() throws Exception {
        try {
          ArmClient.Answer answer = conn.send("DELETE", scope(conn, scope) + AUTHORIZATION + "/roleAssignments/"
              + Connection.segment(name), API, null);
          if (answer.status() == 204) {
            conn.err().println("nothing to delete: no assignment '" + name + "' at " + scope);
          }
          return conn.print(answer);
        } catch (Connection.Refused r) {
          return r.code;
        }
      }
    }
  }

  @Command(name = "definition", description = "Role definitions.", subcommands = Definition.ListDefinitions.class)
  static final class Definition extends IdentityCommand.Group {
    @Command(name = "list", description = "List the built-in roles and their actions.")
    static final class ListDefinitions implements Callable<Integer> {
      @Mixin
      Connection conn;

      @Option(names = "--scope", description = "Scope to list them at. Default: the first subscription you can see.")
      String scope;

      @Mixin
      Output output;

      @Override
      public Integer call() throws Exception {
        try {
          String at;
          if (scope != null) {
            at = scope(conn, scope);
          } else {
            ArrayNode subs = conn.listAll("/subscriptions", "2022-12-01");
            if (subs == null) {
              return conn.lastStatus;
            }
            if (subs.isEmpty()) {
              return conn.fail("you can see no subscription; pass --scope");
            }
            at = subs.get(0).path("id").asText();
          }
          return conn.listTable(output, at + AUTHORIZATION + "/roleDefinitions", API, List.of("NAME", "ID", "ACTIONS"),
              d -> List.of(Connection.prop(d, "roleName"), d.path("name").asText(),
                  String.join(",", actions(d))));
        } catch (Connection.Refused r) {
          return r.code;
        }
      }

      private static List<String> actions(JsonNode d) {
        List<String> out = new ArrayList<>();
        d.path("properties").path("permissions").forEach(p -> p.path("actions").forEach(a -> out.add(a.asText())));
        return out;
      }
    }
  }
}
