package org.stackledger.simulate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.stackledger.access.RoleDefinition;
import org.stackledger.app.Stackledger;
import org.stackledger.directory.Principal;

/**
 * The customers of a simulated deployment, made once per seed and found again on every later run:
 * a directory tenant per customer, onboarded as a guest directory, its owner, and a user subscription
 * from the simulator's own plan and offer. Directory objects go through the in-process stores (the
 * operator would make them in Entra ID, outside the deployment); the plan, the offer and the
 * subscriptions go through the stack admin API, as an operator's script would make them.
 */
final class SimulatedTenants {
  static final String GROUP = "simulation";
  static final String PLAN = "simulated-plan";
  static final String OFFER = "simulated-offer";
  static final String V = "?api-version=2015-11-01";
  private static final String ADMIN = "/providers/Microsoft.Subscriptions.Admin";
  /** The simulator's service principal: one client id on every deployment, so a re-run finds it. */
  static final String SIMULATOR_APP_ID = UUID.nameUUIDFromBytes("stackledger simulator".getBytes(
      java.nio.charset.StandardCharsets.UTF_8)).toString();

  private SimulatedTenants() {}

  /**
   * The simulator's service principal in the home tenant, with Owner at the root scope: the operator
   * identity its calls carry. Its client secret is made once and kept by nobody; tokens come from the
   * deployment's token issuer (see {@link SimulatedDeployment}).
   */
  static Principal principal(Stackledger app) {
    var directory = app.directory();
    Principal principal = directory.principalByAppId(SIMULATOR_APP_ID).orElseGet(() ->
        directory.createServicePrincipal(app.homeTenantId(), "stackledger simulator", SIMULATOR_APP_ID, null).principal());
    boolean owner = app.roleAssignments().forPrincipal(principal.objectId()).stream()
        .anyMatch(a -> a.scope().equals("/") && a.roleDefinitionId().equals(RoleDefinition.OWNER.id()));
    if (!owner) {
      app.roleAssignments().assign(UUID.randomUUID().toString(), "/", RoleDefinition.OWNER, principal.objectId(),
          "ServicePrincipal");
    }
    return principal;
  }

  /** The tenants for this seed, made where missing; {@code subscriptionIds} come from {@link Simulation.Tenant#generate}. */
  static List<SimulatedDeployment.Customer> ensure(Stackledger app, AdminClient admin, long seed,
      List<Simulation.Tenant> tenants, String region) throws IOException, InterruptedException {
    String operator = app.operatorSubscriptionId();
    String offer = offer(admin, operator);
    String seedTag = Mix.hex(Mix.hash(seed, 0x5eedL), 8);
    List<SimulatedDeployment.Customer> out = new ArrayList<>();
    for (int n = 0; n < tenants.size(); n++) {
      String domain = "tenant-" + (n + 1) + "-" + seedTag + ".onmicrosoft.local";
      long h = Mix.hash(seed, 0xd1ec7L, n);
      var found = app.directory().tenant(domain);
      String tenantId = found.isPresent() ? found.get().tenantId()
          : app.directory().createTenant(Mix.guid(h, Mix.mix(h)), domain, "Simulated tenant " + (n + 1)).tenantId();
      if (!app.guestDirectories().isOnboarded(tenantId)) {
        app.guestDirectories().onboard(operator, "system." + region, domain, tenantId, region);
      }
      String upn = "owner@" + domain;
      // Derived from the seed, so every run can print it: these are simulated customers, not real ones.
      String password = "Sim-" + Mix.hex(Mix.hash(seed, 0x9a55L, n), 16);
      if (app.directory().principalByUpn(upn).isEmpty()) {
        app.directory().createUser(tenantId, upn, "Owner of simulated tenant " + (n + 1), password);
      }
      String subscriptionId = tenants.get(n).subscriptionId();
      if (app.userSubscriptions().find(subscriptionId).isEmpty()) {
        var made = admin.send("PUT", userSubscription(operator, subscriptionId),
            userSubscriptionBody("Simulated subscription " + (n + 1), upn, tenantId, offer));
        expect(made, "user subscription " + subscriptionId);
      }
      out.add(new SimulatedDeployment.Customer(domain, tenantId, subscriptionId, upn, password));
    }
    return out;
  }

  /** The simulator's public offer on the deployment (and its plan), made where missing; the offer's id. */
  static String offer(AdminClient admin, String operatorSubscriptionId) throws IOException, InterruptedException {
    String catalogue = "/subscriptions/" + operatorSubscriptionId + "/resourceGroups/" + GROUP + ADMIN;
    String plan = catalogue + "/plans/" + PLAN;
    String offer = catalogue + "/offers/" + OFFER;
    ensure(admin, plan, "{\"properties\":{\"services\":[\"Microsoft.Compute\",\"Microsoft.Storage\",\"Microsoft.Network\"]}}");
    ensure(admin, offer, "{\"properties\":{\"state\":\"Public\",\"basePlanIds\":[\"" + plan + "\"]}}");
    return offer;
  }

  /** The admin path of a user subscription on the deployment. */
  static String userSubscription(String operatorSubscriptionId, String subscriptionId) {
    return "/subscriptions/" + operatorSubscriptionId + ADMIN + "/subscriptions/" + subscriptionId + V;
  }

  /** The body of a user subscription's PUT: its owner signs in with the given directory. */
  static String userSubscriptionBody(String displayName, String ownerUpn, String tenantId, String offerId) {
    return "{\"displayName\":\"" + displayName + "\",\"owner\":\"" + ownerUpn + "\",\"tenantId\":\"" + tenantId
        + "\",\"offerId\":\"" + offerId + "\"}";
  }

  /** Makes the resource unless it exists: a re-run must not touch what the operator may have changed since. */
  private static void ensure(AdminClient admin, String path, String body) throws IOException, InterruptedException {
    AdminClient.Answer found = admin.send("GET", path + V, null);
    if (found.status() == 404) {
      expect(admin.send("PUT", path + V, body), path);
    } else {
      expect(found, path);
    }
  }

  static void expect(AdminClient.Answer answer, String what) throws IOException {
    if (answer.status() / 100 != 2) {
      throw new IOException("the deployment refused " + what + " (" + answer.status() + "): " + answer.body());
    }
  }
}
