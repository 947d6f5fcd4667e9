package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.Callable;
import org.stackledger.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stackledger stack info|registration-token|activate|deactivate|bridge}: the deployment's side of
 * registration ({@code Get-AzureStackStampInformation}, {@code New-RegistrationToken},
 * {@code New-/Remove-AzsActivationResource}) on the stack admin ARM endpoint, as the signed-in profile.
 */
@Command(name = "stack", description = "The deployment: its facts, registration token, activation, guest directories, "
    + "plans, offers, user subscriptions and usage bridge (stack admin ARM endpoint).",
    subcommands = {StackCommand.Info.class, StackCommand.Token.class, StackCommand.Activate.class,
        StackCommand.Deactivate.class, StackCommand.DirectoryTenants.class, StackOfferCommand.Plan.class,
        StackOfferCommand.Offer.class, StackOfferCommand.Subscription.class, StackBridgeCommand.class})
final class StackCommand extends IdentityCommand.Group {
  static final String API = "2016-01-01";
  static final String PROVIDER = "/providers/Microsoft.AzureBridge.Admin";

  /** The stack admin endpoint's connection, and the admin subscription the activation lives under. */
  static final class Stack {
    @Mixin
    Connection conn;

    @Option(names = "--admin-subscription", description = "The admin subscription of the activation resource. "
        + "Default: operatorSubscriptionId in endpoints.json.")
    String adminSubscription;

    Connection conn() {
      conn.endpointKey = "stackAdminArm";
      return conn;
    }

    String activation() throws java.io.IOException {
      String sub = adminSubscription != null ? adminSubscription
          : ArmClient.endpoints(conn.dataDir()).path("operatorSubscriptionId").asText();
      return "/subscriptions/" + Connection.segment(sub) + "/resourceGroups/azurestack-activation" + PROVIDER
          + "/activations/default";
    }
  }

  private static boolean onOff(String value, String option) {
    return switch (value.toLowerCase(java.util.Locale.ROOT)) {
      case "on", "true" -> true;
      case "off", "false" -> false;
      default -> throw new IllegalArgumentException(option + " must be on or off, not '" + value + "'");
    };
  }

  @Command(name = "info", description = "Show the CloudId, region, domain, identity system and registration status.")
  static final class Info implements Callable<Integer> {
    @Mixin
    Stack stack;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      Connection conn = stack.conn();
      ArmClient.Answer answer = conn.send("GET", PROVIDER + "/stampInfo", API, null);
      if (answer.status() != 200) {
        return conn.print(answer);
      }
      JsonNode info = Connection.body(answer);
      boolean registered = info.path("properties").path("registration").isObject();
      List<String> labels = new java.util.ArrayList<>(List.of("CloudId", "Region", "External domain", "Identity system",
          "Registration status"));
      if (registered) {
        labels.addAll(List.of("Registration", "Billing model", "Bridge object id", "Activated on", "Expires on"));
      }
      return output.show(info, View.record(labels, i -> {
        JsonNode p = i.path("properties");
        JsonNode r = p.path("registration");
        List<String> values = new java.util.ArrayList<>(List.of(p.path("cloudId").asText(), p.path("region").asText(),
            p.path("externalDomain").asText(), p.path("identitySystem").asText(), p.path("registrationStatus").asText()));
        if (r.isObject()) {
          values.addAll(List.of(r.path("registrationId").asText(), r.path("billingModel").asText(),
              r.path("objectId").asText(), r.path("activatedOn").asText(), r.path("expiresOn").asText()));
        }
        return values;
      }));
    }
  }

  @Command(name = "registration-token", description = "Make the deployment's registration token (New-RegistrationToken); prints it alone.")
  static final class Token implements Callable<Integer> {
    @Mixin
    Stack stack;

    @Option(names = "--billing-model", required = true, description = "PayAsYouUse, Capacity or Development.")
    String billingModel;

    @Option(names = "--agreement-number", description = "The Enterprise Agreement number (needed for Capacity).")
    String agreementNumber;

    @Option(names = "--usage-reporting", defaultValue = "on", description = "on or off. Default: ${DEFAULT-VALUE}.")
    String usageReporting;

    @Option(names = "--marketplace-syndication", defaultValue = "on", description = "on or off. Default: ${DEFAULT-VALUE}.")
    String marketplaceSyndication;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      Connection conn = stack.conn();
      ObjectNode body = Json.object().put("billingModel", billingModel);
      try {
        body.put("usageReportingEnabled", onOff(usageReporting, "--usage-reporting"));
        body.put("marketplaceSyndicationEnabled", onOff(marketplaceSyndication, "--marketplace-syndication"));
      } catch (IllegalArgumentException e) {
        return conn.fail(e.getMessage());
      }
      if (agreementNumber != null) {
        body.put("agreementNumber", agreementNumber);
      }
      ArmClient.Answer answer = conn.send("POST", PROVIDER + "/registrationToken", API, Json.text(body));
      if (answer.status() != 200 || output.asked()) {
        return conn.resource(answer, output);
      }
      conn.out().println(Json.MAPPER.readTree(answer.body()).path("registrationToken").asText());
      conn.out().flush();
      return 0;
    }
  }

  @Command(name = "activate", description = "Activate the deployment with the cloud's activation key (New-AzsActivationResource).")
  static final class Activate implements Callable<Integer> {
    @Mixin
    Stack stack;

    @Option(names = "--key", required = true, description = "The activation key (getactivationkey): text or @file.")
    String key;

    @Override
    public Integer call() throws Exception {
      Connection conn = stack.conn();
      ObjectNode body = Json.object();
      body.putObject("properties").put("activationKey", RegistrationCommand.textOrFile(key));
      return conn.print(conn.send("PUT", stack.activation(), API, Json.text(body)));
    }
  }

  @Command(name = "deactivate", description = "End the deployment's activation (Remove-AzsActivationResource).")
  static final class Deactivate implements Callable<Integer> {
    @Mixin
    Stack stack;

    @Override
    public Integer call() throws Exception {
      Connection conn = stack.conn();
      ArmClient.Answer answer = conn.send("DELETE", stack.activation(), API, null);
      if (answer.status() == 204) {
        conn.err().println("nothing to deactivate: the deployment is not activated");
        conn.err().flush();
        return 0;
      }
      if (answer.status() == 200) {
        conn.out().println("deactivated");
        conn.out().flush();
        return 0;
      }
      return conn.print(answer);
    }
  }

  /** The guest directory tenants' admin connection: admin subscription and resource group. */
  static final class Guest {
    @Mixin
    Stack stack;

    @Option(names = {"-g", "--resource-group"}, defaultValue = "system.local",
        description = "The admin resource group of the directory tenant resources. Default: ${DEFAULT-VALUE}.")
    String resourceGroup;

    String collection() throws java.io.IOException {
      String sub = stack.adminSubscription != null ? stack.adminSubscription
          : ArmClient.endpoints(stack.conn.dataDir()).path("operatorSubscriptionId").asText();
      return "/subscriptions/" + Connection.segment(sub) + "/resourceGroups/" + Connection.segment(resourceGroup)
          + "/providers/Microsoft.Subscriptions.Admin/directoryTenants";
    }
  }

  static final String DIRECTORY_API = "2015-11-01";

  @Command(name = "directory", description = "Guest directory tenants allowed to sign in to the deployment (multi-tenancy).",
      subcommands = {DirectoryTenants.Add.class, DirectoryTenants.ListDirectories.class, DirectoryTenants.Remove.class})
  static final class DirectoryTenants extends IdentityCommand.Group {
    @Command(name = "add", description = "Onboard a guest directory (Register-AzsGuestDirectoryTenant); its tenant id "
        + "is resolved from the login endpoint unless given.")
    static final class Add implements Callable<Integer> {
      @Mixin
      Guest guest;

      @picocli.CommandLine.Parameters(index = "0", paramLabel = "NAME", description = "The directory's domain or tenant id.")
      String name;

      @Option(names = "--tenant-id", description = "The directory's tenant id; must match the one the login endpoint names.")
      String tenantId;

      @Mixin
      Output output;

      @Override
      public Integer call() throws Exception {
        Connection conn = guest.stack.conn();
        ObjectNode body = Json.object();
        ObjectNode props = body.putObject("properties");
        if (tenantId != null) {
          props.put("tenantId", tenantId);
        }
        return conn.created(conn.send("PUT", guest.collection() + "/" + Connection.segment(name), DIRECTORY_API,
            Json.text(body)), output, "/properties/tenantId", "the directory's tenant id; its users can sign in to the "
            + "deployment now (stackledger stack directory list)");
      }
    }

    @Command(name = "list", description = "The onboarded guest directories of the resource group.")
    static final class ListDirectories implements Callable<Integer> {
      @Mixin
      Guest guest;

      @Mixin
      Output output;

      @Override
      public Integer call() throws Exception {
        Connection conn = guest.stack.conn();
        return conn.listTable(output, guest.collection(), DIRECTORY_API,
            java.util.List.of("NAME", "TENANT ID", "ONBOARDED ON"),
            d -> java.util.List.of(d.path("name").asText(), Connection.prop(d, "tenantId"),
                Connection.prop(d, "onboardedOn")));
      }
    }

    @Command(name = "remove", description = "Offboard a guest directory (Unregister-AzsGuestDirectoryTenant).")
    static final class Remove implements Callable<Integer> {
      @Mixin
      Guest guest;

      @picocli.CommandLine.Parameters(index = "0", paramLabel = "NAME", description = "The onboarded directory's name.")
      String name;

      @Override
      public Integer call() throws Exception {
        Connection conn = guest.stack.conn();
        ArmClient.Answer answer = conn.send("DELETE", guest.collection() + "/" + Connection.segment(name), DIRECTORY_API,
            null);
        if (answer.status() == 204) {
          conn.err().println("nothing to remove: '" + name + "' is not onboarded there");
          conn.err().flush();
          return 0;
        }
        if (answer.status() == 200) {
          conn.out().println("removed " + name);
          conn.out().flush();
          return 0;
        }
        return conn.print(answer);
      }
    }
  }
}
