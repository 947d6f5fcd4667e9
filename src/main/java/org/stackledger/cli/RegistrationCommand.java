package org.stackledger.cli;

import static org.stackledger.cli.Connection.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.stackledger.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stackledger registration create|show|list|delete|activation-key|approve|revoke}: the
 * {@code Microsoft.AzureStack/registrations} calls of {@code Set-AzsRegistration},
 * {@code Get-AzsActivationKey} and {@code Remove-AzsRegistration}, as the signed-in profile.
 */
@Command(name = "registration", description = "Azure Stack registrations (Microsoft.AzureStack/registrations).",
    subcommands = {RegistrationCommand.Create.class, RegistrationCommand.Show.class, RegistrationCommand.ListAll.class,
        RegistrationCommand.Delete.class, RegistrationCommand.ActivationKey.class, RegistrationCommand.Approve.class,
        RegistrationCommand.Revoke.class})
final class RegistrationCommand extends IdentityCommand.Group {
  static final String API = "2017-06-01";
  static final String RESOURCES_API = "2025-04-01";

  /** Where a registration is: subscription, resource group, name. */
  static final class Address {
    @Option(names = {"-s", "--subscription"}, required = true, description = "The registration subscription id.")
    String subscription;

    @Option(names = {"-g", "--resource-group"}, defaultValue = "azurestack",
        description = "The registration's resource group. Default: ${DEFAULT-VALUE}.")
    String resourceGroup;

    @Option(names = {"-n", "--name"}, defaultValue = "AzureStackRegistration",
        description = "The registration name. Default: ${DEFAULT-VALUE}.")
    String name;

    String group() {
      return "/subscriptions/" + segment(subscription) + "/resourceGroups/" + segment(resourceGroup);
    }

    String path() {
      return group() + "/providers/Microsoft.AzureStack/registrations/" + segment(name);
    }
  }

  /** Reads an option that takes text or {@code @file}. */
  static String textOrFile(String value) throws java.io.IOException {
    return value.startsWith("@") ? Files.readString(Path.of(value.substring(1))).trim() : value;
  }

  @Command(name = "create", description = "Register a deployment: registers Microsoft.AzureStack for the subscription, "
      + "makes the resource group when missing, and PUTs the registration with the deployment's token.")
  static final class Create implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Address at;
    @Mixin
    Output output;

    @Option(names = "--token", required = true, description = "The registration token (New-RegistrationToken): text or @file.")
    String token;

    @Option(names = "--resource-group-location", defaultValue = "westcentralus",
        description = "Location of the resource group if it is made. Default: ${DEFAULT-VALUE}.")
    String groupLocation;

    @Override
    public Integer call() throws Exception {
      ArmClient.Answer register = conn.send("POST", "/subscriptions/" + segment(at.subscription)
          + "/providers/Microsoft.AzureStack/register", RESOURCES_API, null);
      if (register.status() != 200) {
        return conn.print(register);
      }
      ArmClient.Answer group = conn.send("GET", at.group(), RESOURCES_API, null);
      if (group.status() == 404) {
        ObjectNode body = Json.object().put("location", groupLocation);
        ArmClient.Answer made = conn.send("PUT", at.group(), RESOURCES_API, Json.text(body));
        if (made.status() / 100 != 2) {
          return conn.print(made);
        }
      } else if (group.status() != 200) {
        return conn.print(group);
      }
      ObjectNode body = Json.object().put("location", "global");
      body.putObject("properties").put("registrationToken", textOrFile(token));
      return conn.created(conn.send("PUT", at.path(), API, Json.text(body)), output, "/id", "registered; its "
          + "activation key: stackledger registration activation-key -s " + at.subscription + " -g " + at.resourceGroup
          + " -n " + at.name);
    }
  }

  @Command(name = "show", description = "Show a registration.")
  static final class Show implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Address at;
    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      return conn.resource(conn.send("GET", at.path(), API, null), output);
    }
  }

  @Command(name = "list", description = "List the registrations of a subscription, or of one resource group.")
  static final class ListAll implements Callable<Integer> {
    @Mixin
    Connection conn;

    @Option(names = {"-s", "--subscription"}, required = true, description = "The subscription id.")
    String subscription;

    @Option(names = {"-g", "--resource-group"}, description = "Only this resource group.")
    String resourceGroup;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      String path = "/subscriptions/" + segment(subscription)
          + (resourceGroup == null ? "" : "/resourceGroups/" + segment(resourceGroup))
          + "/providers/Microsoft.AzureStack/registrations";
      return conn.listTable(output, path, API, List.of("NAME", "RESOURCE GROUP", "CLOUD ID", "BILLING MODEL",
          "MULTI-TENANCY"), r -> List.of(r.path("name").asText(), group(r.path("id").asText()),
          Connection.prop(r, "cloudId"), Connection.prop(r, "billingModel"),
          Connection.prop(r, "multiTenancyApproved").equals("true") ? "approved" : "-"));
    }

    private static String group(String id) {
      String[] parts = id.split("/");
      return parts.length > 4 ? parts[4] : "";
    }
  }

  @Command(name = "delete", description = "Delete a registration (ends its customer subscriptions, frees its CloudId).")
  static final class Delete implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Address at;

    @Override
    public Integer call() throws Exception {
      ArmClient.Answer answer = conn.send("DELETE", at.path(), API, null);
      if (answer.status() == 204) {
        conn.err().println("nothing to delete: no registration '" + at.name + "'");
        conn.err().flush();
      }
      return conn.print(answer);
    }
  }

  @Command(name = "activation-key", description = "Get the activation key (Get-AzsActivationKey); prints the key alone.")
  static final class ActivationKey implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Address at;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      ArmClient.Answer answer = conn.send("POST", at.path() + "/getactivationkey", API, null);
      if (answer.status() != 200 || output.asked()) {
        return conn.resource(answer, output);
      }
      JsonNode key = Json.MAPPER.readTree(answer.body()).path("activationKey");
      conn.out().println(key.asText());
      conn.out().flush();
      return 0;
    }
  }

  @Command(name = "approve", description = "Approve a registration for multi-tenancy (operator only).")
  static final class Approve implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Address at;

    @Override
    public Integer call() throws Exception {
      return conn.print(conn.send("POST", at.path() + "/approveMultiTenancy", API, null));
    }
  }

  @Command(name = "revoke", description = "Revoke a registration's multi-tenancy approval (operator only).")
  static final class Revoke implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Address at;

    @Override
    public Integer call() throws Exception {
      return conn.print(conn.send("POST", at.path() + "/revokeMultiTenancy", API, null));
    }
  }
}
