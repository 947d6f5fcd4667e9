package org.stackledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.stackledger.http.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code stackledger stack plan|offer|subscription}: the operator's plans, offers and user subscriptions
 * ({@code New-AzsPlan}, {@code New-AzsOffer}, {@code New-/Set-/Remove-AzsUserSubscription}) on the stack
 * admin ARM endpoint, {@code Microsoft.Subscriptions.Admin}, as the signed-in profile.
 */
final class StackOfferCommand {
  static final String API = "2015-11-01";
  static final String PROVIDER = "/providers/Microsoft.Subscriptions.Admin";

  private StackOfferCommand() {}

  /** Where plans and offers live: the admin subscription and a resource group of it. */
  static final class Catalogue {
    @Mixin
    StackCommand.Stack stack;

    @Option(names = {"-g", "--resource-group"}, defaultValue = "system.local",
        description = "The resource group of the plans and offers. Default: ${DEFAULT-VALUE}.")
    String resourceGroup;

    String subscription() throws IOException {
      return stack.adminSubscription != null ? stack.adminSubscription
          : ArmClient.endpoints(stack.conn.dataDir()).path("operatorSubscriptionId").asText();
    }

    String collection(String type) throws IOException {
      return "/subscriptions/" + Connection.segment(subscription()) + "/resourceGroups/" + Connection.segment(resourceGroup)
          + PROVIDER + "/" + type;
    }

    /** A full resource id as given, or the id of that name in this resource group. */
    String id(String type, String nameOrId) throws IOException {
      return nameOrId.startsWith("/") ? nameOrId : collection(type) + "/" + Connection.segment(nameOrId);
    }
  }

  /**
   * The verbs plans and offers share, on one item. The group the verb runs under ({@code plan} or
   * {@code offer}) names the collection, so one class serves both.
   */
  abstract static class OneVerb implements Callable<Integer> {
    @Mixin
    Catalogue catalogue;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The plan's or offer's name.")
    String name;

    Connection conn() {
      return catalogue.stack.conn();
    }

    String path() throws IOException {
      return catalogue.collection(spec.parent().name() + "s") + "/" + Connection.segment(name);
    }
  }

  @Command(name = "get", description = "Show it.")
  static final class Get extends OneVerb {
    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
      return conn().resource(conn().send("GET", path(), API, null), output);
    }
  }

  @Command(name = "delete", description = "Delete it: a plan no offer is built on, an offer no subscription was made from.")
  static final class Delete extends OneVerb {
    @Override
    public Integer call() throws Exception {
      return deleted(conn(), conn().send("DELETE", path(), API, null), "deleted " + name, "nothing to delete: no " + name);
    }
  }

  /** A DELETE's answer: 200 and 204 are both success, said in words; anything else is printed as its error. */
  static int deleted(Connection conn, ArmClient.Answer answer, String done, String nothing) throws IOException {
    if (answer.status() == 200 || answer.status() == 204) {
      conn.out().println(answer.status() == 200 ? done : nothing);
      conn.out().flush();
      return 0;
    }
    return conn.print(answer);
  }

  abstract static class Put extends OneVerb {
    @Mixin
    Output output;

    @Option(names = "--display-name", description = "The display name. Default: the name.")
    String displayName;

    @Option(names = "--description", description = "What it is for.")
    String description;

    /** The type's own properties. */
    abstract void properties(ObjectNode properties) throws IOException;

    @Override
    public Integer call() throws Exception {
      ObjectNode body = Json.object();
      ObjectNode p = body.putObject("properties");
      if (displayName != null) {
        p.put("displayName", displayName);
      }
      if (description != null) {
        p.put("description", description);
      }
      properties(p);
      return conn().created(conn().send("PUT", path(), API, Json.text(body)), output, "/id", "its id; list them "
          + "with: stackledger stack " + spec.parent().name() + " list");
    }
  }

  /** A list as a table: {@link #path()} is the collection, {@link #row} one item's cells. */
  abstract static class ListVerb implements Callable<Integer> {
    @Mixin
    Catalogue catalogue;

    @Mixin
    Output output;

    abstract String path() throws IOException;

    abstract List<String> header();

    abstract List<String> row(JsonNode item);

    @Override
    public Integer call() throws Exception {
      return catalogue.stack.conn().listTable(output, path(), API, header(), this::row);
    }
  }

  @Command(name = "plan", description = "Plans: services and their quota (Microsoft.Subscriptions.Admin/plans).",
      subcommands = {Plan.PutPlan.class, Get.class, Plan.ListPlans.class, Delete.class})
  static final class Plan extends IdentityCommand.Group {
    @Command(name = "put", description = "Create or replace a plan.")
    static final class PutPlan extends Put {
      @Option(names = "--service", description = "A resource provider namespace, e.g. Microsoft.Compute (repeatable).")
      List<String> services = new ArrayList<>();

      @Option(names = "--cores-limit", description = "The vCPU quota (needs --service Microsoft.Compute). Default: none.")
      Integer coresLimit;

      @Override
      void properties(ObjectNode p) {
        ArrayNode list = p.putArray("services");
        services.forEach(list::add);
        if (coresLimit != null) {
          p.putObject("quota").put("coresLimit", coresLimit);
        }
      }
    }

    @Command(name = "list", description = "The plans of the resource group.")
    static final class ListPlans extends ListVerb {
      @Override
      String path() throws IOException {
        return catalogue.collection("plans");
      }

      @Override
      List<String> header() {
        return List.of("NAME", "DISPLAY NAME", "SERVICES", "CORES LIMIT");
      }

      @Override
      List<String> row(JsonNode d) {
        List<String> services = new ArrayList<>();
        d.path("properties").path("services").forEach(s -> services.add(s.asText()));
        return List.of(d.path("name").asText(), Connection.prop(d, "displayName"), String.join(",", services),
            d.path("properties").path("quota").path("coresLimit").asText("none").replace("null", "none"));
      }
    }
  }

  @Command(name = "offer", description = "Offers: base plans users subscribe to (Microsoft.Subscriptions.Admin/offers).",
      subcommands = {Offer.PutOffer.class, Get.class, Offer.ListOffers.class, Delete.class})
  static final class Offer extends IdentityCommand.Group {
    @Command(name = "put", description = "Create or replace an offer.")
    static final class PutOffer extends Put {
      @Option(names = "--plan", required = true, description = "A base plan: its name in the resource group, or its "
          + "full id (repeatable).")
      List<String> plans = new ArrayList<>();

      @Option(names = "--state", defaultValue = "Private", description = "Private, Public or Decommissioned. "
          + "Default: ${DEFAULT-VALUE}.")
      String state;

      @Override
      void properties(ObjectNode p) throws IOException {
        p.put("state", state);
        ArrayNode ids = p.putArray("basePlanIds");
        for (String plan : plans) {
          ids.add(catalogue.id("plans", plan));
        }
      }
    }

    @Command(name = "list", description = "The offers of the resource group.")
    static final class ListOffers extends ListVerb {
      @Override
      String path() throws IOException {
        return catalogue.collection("offers");
      }

      @Override
      List<String> header() {
        return List.of("NAME", "DISPLAY NAME", "STATE", "BASE PLANS");
      }

      @Override
      List<String> row(JsonNode d) {
        List<String> plans = new ArrayList<>();
        d.path("properties").path("basePlanIds").forEach(s -> plans.add(s.asText().replaceAll(".*/", "")));
        return List.of(d.path("name").asText(), Connection.prop(d, "displayName"), Connection.prop(d, "state"),
            String.join(",", plans));
      }
    }
  }

  /** The user subscriptions' admin path: under the admin subscription. */
  static String subscriptions(Catalogue c) throws IOException {
    return "/subscriptions/" + Connection.segment(c.subscription()) + PROVIDER + "/subscriptions";
  }

  @Command(name = "subscription", description = "User subscriptions made from offers (Microsoft.Subscriptions.Admin/subscriptions).",
      subcommands = {Subscription.Create.class, Subscription.GetOne.class, Subscription.ListAll.class,
          Subscription.SetState.class, Subscription.Remove.class})
  static final class Subscription extends IdentityCommand.Group {
    /** The verbs on one subscription, by id. */
    abstract static class One implements Callable<Integer> {
      @Mixin
      Catalogue catalogue;

      @Parameters(index = "0", paramLabel = "ID", description = "The user subscription's id.")
      String id;

      Connection conn() {
        return catalogue.stack.conn();
      }

      String path() throws IOException {
        return subscriptions(catalogue) + "/" + Connection.segment(id);
      }
    }

    @Command(name = "create", description = "Make a user subscription from an offer (New-AzsUserSubscription).")
    static final class Create implements Callable<Integer> {
      @Mixin
      Catalogue catalogue;

      @Option(names = "--owner", required = true, description = "The owner's user principal name.")
      String owner;

      @Option(names = "--tenant", required = true, description = "The directory tenant id (home or onboarded guest).")
      String tenant;

      @Option(names = "--offer", required = true, description = "The offer: its name in the resource group, or its full id.")
      String offer;

      @Option(names = "--display-name", description = "Default: the owner's name.")
      String displayName;

      @Option(names = "--delegated-provider", description = "The delegated provider's subscription id, when a reseller "
          + "inside the deployment sells it.")
      String delegatedProvider;

      @Option(names = "--id", description = "The new subscription's id. Default: a new GUID.")
      String id;

      @Mixin
      Output output;

      @Override
      public Integer call() throws Exception {
        Connection conn = catalogue.stack.conn();
        ObjectNode body = Json.object().put("displayName", displayName != null ? displayName : owner)
            .put("owner", owner).put("tenantId", tenant).put("offerId", catalogue.id("offers", offer));
        if (delegatedProvider != null) {
          body.put("delegatedProviderSubscriptionId", delegatedProvider);
        }
        String subscription = id != null ? id : UUID.randomUUID().toString();
        return conn.created(conn.send("PUT", subscriptions(catalogue) + "/" + Connection.segment(subscription), API,
            Json.text(body)), output, "/subscriptionId", "the user subscription's id; its owner " + owner
            + " can use it now (stackledger stack subscription get ID)");
      }
    }

    @Command(name = "get", description = "Show a user subscription, deleted ones included.")
    static final class GetOne extends One {
      @Mixin
      Output output;

      @Override
      public Integer call() throws Exception {
        return conn().resource(conn().send("GET", path(), API, null), output);
      }
    }

    @Command(name = "set-state", description = "Enable or disable a user subscription (Set-AzsUserSubscription).")
    static final class SetState extends One {
      @Option(names = "--state", required = true, description = "Enabled or Disabled.")
      String state;

      @Mixin
      Output output;

      @Override
      public Integer call() throws Exception {
        return conn().resource(conn().send("PUT", path(), API, Json.text(Json.object().put("state", state))), output);
      }
    }

    @Command(name = "delete", description = "Delete a user subscription: it stays, Deleted, for its usage.")
    static final class Remove extends One {
      @Override
      public Integer call() throws Exception {
        return deleted(conn(), conn().send("DELETE", path(), API, null), "deleted " + id, "nothing to delete: " + id
            + " does not exist or is deleted already");
      }
    }

    @Command(name = "list", description = "Every user subscription of the deployment.")
    static final class ListAll extends ListVerb {
      @Override
      String path() throws IOException {
        return subscriptions(catalogue);
      }

      @Override
      List<String> header() {
        return List.of("SUBSCRIPTION ID", "DISPLAY NAME", "OWNER", "STATE", "OFFER", "PROVIDER");
      }

      @Override
      List<String> row(JsonNode d) {
        return List.of(d.path("subscriptionId").asText(), d.path("displayName").asText(), d.path("owner").asText(),
            d.path("state").asText(), d.path("offerId").asText().replaceAll(".*/", ""),
            d.path("providerSubscriptionId").asText());
      }
    }
  }
}
