package org.stackledger.cli;

import static org.stackledger.cli.Connection.segment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.stackledger.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stackledger partner ...}: the operator's Partner Center verbs (partners, subscriptions made
 * directly, customer tenants) over {@code /providers/Stackledger.PartnerCenter} on the cloud ARM
 * endpoint, and a partner's verbs (customers, orders, its customers' subscriptions) over the Partner
 * Center REST API, signed in as the profile for the partnerCenter endpoint.
 */
@Command(name = "partner", description = "Partner Center: partners (operator), customers, orders and subscriptions.",
    subcommands = {PartnerCommand.Create.class, PartnerCommand.ListPartners.class, PartnerCommand.Show.class,
        PartnerCommand.Customer.class, PartnerCommand.Order.class, PartnerCommand.Subscription.class})
final class PartnerCommand extends IdentityCommand.Group {
  static final String BASE = "/providers/Stackledger.PartnerCenter";
  static final String API = "2026-11-01";

  /** The options of every Partner Center verb: the connection and where Partner Center is. */
  abstract static class PartnerCenterVerb implements Callable<Integer> {
    @Mixin
    Connection conn;

    @Option(names = "--partner-center", description = "Base URL of the Partner Center endpoint. Default: partnerCenter in endpoints.json.")
    String partnerCenter;

    @Mixin
    Output output;

    int send(String method, String path, String body) throws Exception {
      ArmClient.Answer answer = conn.partnerCenter(partnerCenter, method, path, body);
      if (answer.status() / 100 != 2 || answer.body().isBlank()) {
        return conn.printPartnerCenter(answer);
      }
      return output.resource(Connection.body(answer), View.derived());
    }

    /** Sends a create; prints the new id (at {@code idField}) and a hint, or the whole object when asked. */
    int create(String path, String body, String idField, String hint) throws Exception {
      ArmClient.Answer answer = conn.partnerCenter(partnerCenter, "POST", path, body);
      if (answer.status() / 100 != 2) {
        return conn.printPartnerCenter(answer);
      }
      JsonNode made = Connection.body(answer);
      return output.created(made, View.text(made.at(idField)), hint);
    }

    /** Shows a Partner Center collection's items through the output options. */
    int list(String path, List<String> header, java.util.function.Function<JsonNode, List<String>> row) throws Exception {
      ArmClient.Answer answer = conn.partnerCenter(partnerCenter, "GET", path, null);
      if (answer.status() != 200) {
        return conn.printPartnerCenter(answer);
      }
      return output.show(Connection.body(answer), View.rowsAt("/items", header, row));
    }
  }

  @Command(name = "create", description = "Create a partner with its own directory tenant (operator); prints its admin's secret once.")
  static final class Create implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Output output;

    @Option(names = "--partner-id", description = "The partner id (a GUID). Default: a new one.")
    String partnerId;

    @Option(names = "--name", required = true, description = "Display name.")
    String name;

    @Option(names = "--kind", required = true, description = "Direct, IndirectProvider or IndirectReseller.")
    String kind;

    @Option(names = "--domain", required = true, description = "The partner's directory tenant domain, e.g. contoso-csp.onmicrosoft.local.")
    String domain;

    @Option(names = "--indirect-provider", description = "For an IndirectReseller: its indirect provider's partner id.")
    String provider;

    @Override
    public Integer call() throws Exception {
      ObjectNode body = Json.object();
      ObjectNode p = body.putObject("properties");
      p.put("displayName", name).put("kind", kind).put("domain", domain);
      if (provider != null) {
        p.put("indirectProviderId", provider);
      }
      String id = partnerId != null ? partnerId : UUID.randomUUID().toString();
      ArmClient.Answer answer = conn.send("PUT", BASE + "/partners/" + segment(id), API, Json.text(body));
      // The admin's secret is shown only now, so the short form is the partner's id with its sign-in.
      int code = conn.show(answer, output, View.record(List.of("Partner id", "Domain", "Admin client id",
          "Admin client secret"), made -> List.of(Connection.prop(made, "partnerId"), Connection.prop(made, "domain"),
          Connection.prop(made, "adminClientId"), Connection.prop(made, "adminClientSecret").isEmpty()
              ? "(not shown again)" : Connection.prop(made, "adminClientSecret"))));
      if (answer.status() == 201) {
        conn.err().println("note: the admin client secret is shown only now; sign in as the partner with "
            + "'stackledger login --service-principal -u ADMIN_CLIENT_ID -p ADMIN_CLIENT_SECRET --tenant " + domain
            + " --profile partner'");
        conn.err().flush();
      }
      return code;
    }
  }

  @Command(name = "list", description = "List the partners (operator).")
  static final class ListPartners implements Callable<Integer> {
    @Mixin
    Connection conn;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      return conn.listTable(output, BASE + "/partners", API, List.of("PARTNER ID", "KIND", "BILLING PARTNER", "DOMAIN", "NAME"),
          p -> List.of(Connection.prop(p, "partnerId"), Connection.prop(p, "kind"),
              Connection.prop(p, "billingPartnerId"), Connection.prop(p, "domain"), Connection.prop(p, "displayName")));
    }
  }

  @Command(name = "show", description = "Show a partner (operator).")
  static final class Show implements Callable<Integer> {
    @Mixin
    Connection conn;
    @Mixin
    Output output;

    @Option(names = "--partner-id", required = true, description = "The partner id.")
    String partnerId;

    @Override
    public Integer call() throws Exception {
      return conn.resource(conn.send("GET", BASE + "/partners/" + segment(partnerId), API, null), output);
    }
  }

  @Command(name = "customer", description = "The signed-in partner's customers.", subcommands = {Customer.CreateCustomer.class,
      Customer.ListCustomers.class, Customer.ShowCustomer.class, Customer.AddTenant.class})
  static final class Customer extends IdentityCommand.Group {
    @Command(name = "create", description = "Create a customer with a new directory tenant; its id is the tenant's id.")
    static final class CreateCustomer extends PartnerCenterVerb {
      @Option(names = "--company-name", required = true, description = "The customer's company name.")
      String company;

      @Option(names = "--domain", required = true, description = "Its new directory tenant's domain, e.g. fabrikam.onmicrosoft.local.")
      String domain;

      @Override
      public Integer call() throws Exception {
        ObjectNode body = Json.object();
        body.putObject("companyProfile").put("domain", domain);
        body.putObject("billingProfile").put("companyName", company);
        return create("/v1/customers", Json.text(body), "/id", "the customer's id (its tenant's); buy it a CSP "
            + "subscription with: stackledger partner order create --customer ID");
      }
    }

    @Command(name = "list", description = "List the partner's customers.")
    static final class ListCustomers extends PartnerCenterVerb {
      @Override
      public Integer call() throws Exception {
        return list("/v1/customers", List.of("CUSTOMER ID", "DOMAIN", "COMPANY"), c -> List.of(c.path("id").asText(),
            c.path("companyProfile").path("domain").asText(), c.path("companyProfile").path("companyName").asText()));
      }
    }

    @Command(name = "show", description = "Show a customer.")
    static final class ShowCustomer extends PartnerCenterVerb {
      @Option(names = {"--customer-id", "--customer"}, required = true, description = "The customer id (its tenant id).")
      String customer;

      @Override
      public Integer call() throws Exception {
        return send("GET", "/v1/customers/" + segment(customer), null);
      }
    }

    @Command(name = "add-tenant", description = "Add another directory tenant to a customer (operator): an existing one, or a new one with that domain.")
    static final class AddTenant implements Callable<Integer> {
      @Mixin
      Connection conn;

      @Option(names = {"--customer-id", "--customer"}, required = true, description = "The customer id.")
      String customer;

      @Option(names = {"-t", "--tenant"}, required = true, description = "The tenant: id or domain (made when it does not exist).")
      String tenant;

      @Override
      public Integer call() throws Exception {
        return conn.print(conn.send("PUT", BASE + "/customers/" + segment(customer) + "/tenants/" + segment(tenant), API, null));
      }
    }
  }

  @Command(name = "order", description = "Orders of the signed-in partner.", subcommands = {Order.CreateOrder.class})
  static final class Order extends IdentityCommand.Group {
    @Command(name = "create", description = "Buy an Azure subscription in the CSP offer for a customer; prints the order with the subscription id.")
    static final class CreateOrder extends PartnerCenterVerb {
      @Option(names = {"--customer-id", "--customer"}, required = true, description = "The customer id.")
      String customer;

      @Option(names = "--offer", defaultValue = "MS-AZR-0145P", description = "The offer id. Default: ${DEFAULT-VALUE}.")
      String offer;

      @Option(names = "--friendly-name", description = "The subscription's name.")
      String friendlyName;

      @Option(names = {"-t", "--tenant"}, description = "Which of the customer's directory tenants it lives in. Default: the customer's first.")
      String tenant;

      @Override
      public Integer call() throws Exception {
        ObjectNode body = Json.object();
        body.put("referenceCustomerId", customer);
        ArrayNode lines = body.putArray("lineItems");
        ObjectNode line = lines.addObject();
        line.put("lineItemNumber", 0).put("offerId", offer).put("quantity", 1);
        if (friendlyName != null) {
          line.put("friendlyName", friendlyName);
        }
        if (tenant != null) {
          line.put("tenantId", tenant);
        }
        return create("/v1/customers/" + segment(customer) + "/orders", Json.text(body), "/lineItems/0/subscriptionId",
            "the new subscription's id; add it to the registration with: stackledger customer-subscription add -s "
            + "REGISTRATION_SUBSCRIPTION -c ID");
      }
    }
  }

  @Command(name = "subscription", description = "Azure subscriptions: a customer's (partner), or any (operator, without --customer).",
      subcommands = {Subscription.CreateSubscription.class, Subscription.ListSubscriptions.class, Subscription.ShowSubscription.class,
          Subscription.Suspend.class, Subscription.Reactivate.class, Subscription.Delete.class})
  static final class Subscription extends IdentityCommand.Group {
    @Command(name = "create", description = "Create a subscription under an offer (operator): CSP goes through the partner's "
        + "order (run 'partner order create' as the partner); EA, Pay-As-You-Go, shared services, MSDN and Dev/Test are made here.")
    static final class CreateSubscription implements Callable<Integer> {
      @Mixin
      Connection conn;
      @Mixin
      Output output;

      @Option(names = "--offer", required = true, description = "MS-AZR-0145P-SS (shared services), MS-AZR-0017P (EA), "
          + "MS-AZR-0003P (Pay-As-You-Go), MS-AZR-0062P (MSDN) or MS-AZR-0148P (Dev/Test).")
      String offer;

      @Option(names = {"-t", "--tenant"}, required = true, description = "The directory tenant it lives in (id or domain).")
      String tenant;

      @Option(names = "--partner", required = true, description = "The partner id it rolls up to.")
      String partner;

      @Option(names = "--customer", description = "The partner's customer it belongs to (the tenant must be the customer's).")
      String customer;

      @Option(names = "--owner", description = "A principal (object id, client id or UPN) to make Owner of it.")
      String owner;

      @Option(names = "--name", description = "Display name. Default: the offer's name.")
      String name;

      @Option(names = "--subscription-id", description = "The subscription id. Default: a new GUID.")
      String subscriptionId;

      @Override
      public Integer call() throws Exception {
        ObjectNode body = Json.object();
        ObjectNode p = body.putObject("properties");
        p.put("offerId", offer).put("tenantId", tenant).put("partnerId", partner);
        if (customer != null) {
          p.put("customerId", customer);
        }
        if (name != null) {
          p.put("displayName", name);
        }
        if (owner != null) {
          try {
            p.put("ownerObjectId", conn.objectId(owner));
          } catch (Connection.Refused r) {
            return r.code;
          }
        }
        String id = subscriptionId != null ? subscriptionId : UUID.randomUUID().toString();
        return conn.created(conn.send("PUT", BASE + "/subscriptions/" + segment(id), API, Json.text(body)), output,
            "/name", "the subscription's id; see it with: stackledger partner subscription show --id ID");
      }
    }

    @Command(name = "list", description = "List a customer's subscriptions (partner), or every subscription (operator, without --customer).")
    static final class ListSubscriptions extends PartnerCenterVerb {
      @Option(names = {"--customer-id", "--customer"}, description = "The customer id.")
      String customer;

      @Override
      public Integer call() throws Exception {
        if (customer == null) {
          return conn.listTable(output, BASE + "/subscriptions", API,
              List.of("SUBSCRIPTION ID", "OFFER", "STATE", "TENANT", "BILLING PARTNER", "NAME"),
              s -> List.of(Connection.prop(s, "subscriptionId"), Connection.prop(s, "offerId"),
                  Connection.prop(s, "state"), Connection.prop(s, "tenantId"),
                  Connection.prop(s, "billingPartnerId"), Connection.prop(s, "displayName")));
        }
        return list("/v1/customers/" + segment(customer) + "/subscriptions",
            List.of("SUBSCRIPTION ID", "OFFER", "STATUS", "TENANT", "NAME"),
            s -> List.of(s.path("id").asText(), s.path("offerId").asText(), s.path("status").asText(),
                s.path("tenantId").asText(), s.path("friendlyName").asText()));
      }
    }

    /** A verb on one subscription: through Partner Center with --customer, the operator's API without. */
    abstract static class OneSubscription extends PartnerCenterVerb {
      @Option(names = {"--id", "--subscription-id"}, required = true, description = "The subscription id.")
      String id;

      @Option(names = {"--customer-id", "--customer"}, description = "The customer id (as the partner). Without it, the operator's API is used.")
      String customer;

      String pcPath() {
        return "/v1/customers/" + segment(customer) + "/subscriptions/" + segment(id);
      }

      String adminPath() {
        return BASE + "/subscriptions/" + segment(id);
      }
    }

    @Command(name = "show", description = "Show a subscription.")
    static final class ShowSubscription extends OneSubscription {
      @Override
      public Integer call() throws Exception {
        return customer != null ? send("GET", pcPath(), null) : conn.resource(conn.send("GET", adminPath(), API, null),
            output);
      }
    }

    @Command(name = "suspend", description = "Suspend a subscription (ARM state Disabled).")
    static final class Suspend extends OneSubscription {
      @Override
      public Integer call() throws Exception {
        return customer != null ? send("PATCH", pcPath(), "{\"status\":\"suspended\"}")
            : conn.print(conn.send("POST", adminPath() + "/suspend", API, null));
      }
    }

    @Command(name = "reactivate", description = "Reactivate a suspended subscription (ARM state Enabled).")
    static final class Reactivate extends OneSubscription {
      @Override
      public Integer call() throws Exception {
        return customer != null ? send("PATCH", pcPath(), "{\"status\":\"active\"}")
            : conn.print(conn.send("POST", adminPath() + "/reactivate", API, null));
      }
    }

    @Command(name = "delete", description = "Delete a subscription (operator; ARM state Deleted, final).")
    static final class Delete implements Callable<Integer> {
      @Mixin
      Connection conn;

      @Option(names = {"--id", "--subscription-id"}, required = true, description = "The subscription id.")
      String id;

      @Override
      public Integer call() throws Exception {
        ArmClient.Answer answer = conn.send("DELETE", BASE + "/subscriptions/" + segment(id), API, null);
        if (answer.status() == 204) {
          conn.out().println("nothing to delete: unknown or already deleted");
          conn.out().flush();
        }
        return conn.print(answer);
      }
    }
  }
}
