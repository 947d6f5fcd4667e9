package org.stackledger.cli;

import static org.stackledger.cli.Connection.segment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import org.stackledger.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stackledger customer-subscription add|show|list|remove|history}: the seed doc's
 * {@code New-/Get-/Remove-AzureRmResource} calls on
 * {@code …/registrations/{name}/customerSubscriptions/{id}}, api-version 2017-06-01, plus the mapping
 * history.
 */
@Command(name = "customer-subscription", description = "Map customer tenants onto a registration (customerSubscriptions).",
    subcommands = {CustomerSubscriptionCommand.Add.class, CustomerSubscriptionCommand.Show.class,
        CustomerSubscriptionCommand.ListAll.class, CustomerSubscriptionCommand.Remove.class,
        CustomerSubscriptionCommand.History.class})
final class CustomerSubscriptionCommand extends IdentityCommand.Group {
  static final String API = RegistrationCommand.API;

  /** The registration: subscription, resource group and registration name. */
  static final class Registration {
    @Option(names = {"-s", "--subscription"}, required = true, description = "The registration subscription id.")
    String subscription;

    @Option(names = {"-g", "--resource-group"}, defaultValue = "azurestack",
        description = "The registration's resource group. Default: ${DEFAULT-VALUE}.")
    String resourceGroup;

    @Option(names = {"-r", "--registration"}, defaultValue = "AzureStackRegistration",
        description = "The registration name. Default: ${DEFAULT-VALUE}.")
    String registration;

    String path() {
      return "/subscriptions/" + segment(subscription) + "/resourceGroups/" + segment(resourceGroup)
          + "/providers/Microsoft.AzureStack/registrations/" + segment(registration);
    }
  }

  /** One customer subscription of the registration. */
  static final class Customer {
    @Mixin
    Registration registration;

    @Option(names = {"-c", "--customer-subscription"}, required = true, description = "The customer's CSP subscription id.")
    String customerSubscription;

    String path() {
      return registration.path() + "/customerSubscriptions/" + segment(customerSubscription);
    }
  }

  @Command(name = "add", description = "Map a customer's tenant onto its CSP subscription (New-AzureRmResource).")
  static final class Add implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Customer at;
    @Mixin
    Output output;

    @Option(names = "--tenant-id", description = "The customer's directory tenant; default: the subscription's own.")
    String tenantId;

    @Override
    public Integer call() throws Exception {
      ObjectNode body = Json.object();
      ObjectNode props = body.putObject("properties");
      if (tenantId != null) {
        props.put("tenantId", tenantId);
      }
      return conn.created(conn.send("PUT", at.path(), API, Json.text(body)), output, "/id",
          "added; the tenant's usage is billed to this subscription from now on (stackledger customer-subscription "
          + "list -s " + at.registration.subscription + ")");
    }
  }

  @Command(name = "show", description = "Show one customer subscription (Get-AzureRmResource).")
  static final class Show implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Customer at;
    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      return conn.resource(conn.send("GET", at.path(), API, null), output);
    }
  }

  @Command(name = "list", description = "List the customer subscriptions of a registration.")
  static final class ListAll implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Registration at;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      return conn.listTable(output, at.path() + "/customerSubscriptions", API, List.of("SUBSCRIPTION", "TENANT"),
          c -> List.of(c.path("name").asText(), Connection.prop(c, "tenantId")));
    }
  }

  @Command(name = "remove", description = "Remove a customer subscription (Remove-AzureRmResource).")
  static final class Remove implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Customer at;

    @Override
    public Integer call() throws Exception {
      return conn.print(conn.send("DELETE", at.path(), API, null));
    }
  }

  @Command(name = "history", description = "Every mapping of the registration with the instants it was in force.")
  static final class History implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Registration at;

    @Option(names = "--tenant-id", description = "Only this directory tenant.")
    String tenantId;

    @Option(names = "--at", description = "Only mappings in force at this instant (ISO-8601, e.g. 2018-02-05T10:00:00Z).")
    String instant;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      StringBuilder query = new StringBuilder();
      if (tenantId != null) {
        query.append("&tenantId=").append(URLEncoder.encode(tenantId, StandardCharsets.UTF_8));
      }
      if (instant != null) {
        query.append("&at=").append(URLEncoder.encode(instant, StandardCharsets.UTF_8));
      }
      ArmClient.Answer answer = conn.send("GET", at.path() + "/customerSubscriptionHistory", API, query.toString(), null);
      return conn.show(answer, output, View.list(List.of("TENANT", "SUBSCRIPTION", "FROM", "TO", "ENDED BY"),
          m -> List.of(m.path("tenantId").asText(), m.path("customerSubscriptionId").asText(),
              m.path("effectiveFrom").asText(), m.path("effectiveTo").asText("-"), m.path("endedBy").asText("-"))));
    }
  }
}
