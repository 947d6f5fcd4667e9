package org.stackledger.access;

import java.util.List;
import org.stackledger.arm.AccessCheck;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.Subscription;
import org.stackledger.arm.Subscriptions;
import org.stackledger.http.Exchange;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;

/**
 * Role-based access control for the ARM endpoints. A caller sees a subscription when its token was
 * issued by the subscription's directory tenant and it holds a role somewhere in the subscription
 * (or at the root scope, which only principals of the home tenant can hold). Within it, the roles
 * assigned at the target or above must allow the action.
 */
public final class AccessControl implements AccessCheck {
  private final Subscriptions subscriptions;
  private final RoleAssignments assignments;
  private final String homeTenantId;

  public AccessControl(Subscriptions subscriptions, RoleAssignments assignments, String homeTenantId) {
    this.subscriptions = subscriptions;
    this.assignments = assignments;
    this.homeTenantId = homeTenantId;
  }

  @Override
  public Subscription require(Exchange exchange, ResourceId target, String action) {
    Caller caller = caller(exchange);
    String id = ResourceId.checkSubscription(target.subscriptionId());
    Subscription subscription = subscriptions.find(id).orElseThrow(() -> notFound(id));
    List<RoleAssignment> held = held(exchange, caller);
    if (!sees(caller, held, subscription)) {
      throw notFound(id);
    }
    String key = target.key();
    for (RoleAssignment a : held) {
      if (a.covers(key) && RoleDefinition.find(a.roleDefinitionId()).map(r -> r.permits(action)).orElse(false)) {
        return subscription;
      }
    }
    throw Problem.forbidden("AuthorizationFailed", "The client '" + caller.objectId() + "' with object id '"
        + caller.objectId() + "' does not have authorization to perform action '" + action + "' over scope '" + target
        + "' or the scope is invalid.");
  }

  @Override
  public void requireRoot(Exchange exchange, String action) {
    Caller caller = caller(exchange);
    // Root-scope roles are meant for the operator's home directory only; a token another tenant
    // issued never reaches the root, whatever assignments its principal might hold.
    if (caller.tenantId().equals(homeTenantId)) {
      for (RoleAssignment a : held(exchange, caller)) {
        if (a.scopeKey().equals("/") && RoleDefinition.find(a.roleDefinitionId()).map(r -> r.permits(action)).orElse(false)) {
          return;
        }
      }
    }
    throw Problem.forbidden("AuthorizationFailed", "The client '" + caller.objectId() + "' with object id '"
        + caller.objectId() + "' does not have authorization to perform action '" + action + "' over scope '/'.");
  }

  @Override
  public boolean canSee(Exchange exchange, Subscription subscription) {
    Caller caller = caller(exchange);
    return sees(caller, held(exchange, caller), subscription);
  }

  private boolean sees(Caller caller, List<RoleAssignment> held, Subscription subscription) {
    boolean home = caller.tenantId().equals(homeTenantId);
    if (home && held.stream().anyMatch(a -> a.scopeKey().equals("/"))) {
      return true;
    }
    if (!caller.tenantId().equals(subscription.tenantId())) {
      return false;
    }
    String prefix = "/subscriptions/" + subscription.subscriptionId();
    return held.stream().anyMatch(a -> a.scopeKey().equals(prefix) || a.scopeKey().startsWith(prefix + "/"));
  }

  /** The caller's assignments, read once per request. */
  private List<RoleAssignment> held(Exchange exchange, Caller caller) {
    Held cached = exchange.attribute(Held.class).orElse(null);
    if (cached == null) {
      cached = new Held(assignments.forPrincipal(caller.objectId()));
      exchange.attribute(Held.class, cached);
    }
    return cached.assignments();
  }

  private record Held(List<RoleAssignment> assignments) {}

  private static Caller caller(Exchange exchange) {
    return exchange.attribute(Caller.class).orElseThrow(() -> Problem.unauthenticated("AuthenticationFailed", "Authentication failed.", "Authorization", null));
  }

  private static Problem notFound(String subscriptionId) {
    return Problem.notFound("SubscriptionNotFound", "The subscription '" + subscriptionId + "' could not be found.");
  }
}
