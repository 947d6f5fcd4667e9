package org.stackledger.access;

import java.util.List;
import org.stackledger.arm.AccessCheck;
import org.stackledger.arm.Arm;
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
 *
 * <p>Each check is asked in two ways with the same answer: by the ARM plumbing for a request
 * ({@link AccessCheck}, which reads the caller's assignments once per request), and by a feature
 * service for a {@link Caller} it was handed (the API and the console call the same service, so
 * there is one check, not one per front end). The caller-based checks refuse with a {@link Problem}.
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
    return check(caller, held(exchange, caller), target, action);
  }

  /**
   * What {@link #require(Exchange, ResourceId, String)} answers, for a caller a service was handed:
   * 404 {@code SubscriptionNotFound} for a subscription the caller cannot see (as if it did not
   * exist), 403 {@code AuthorizationFailed} when it can see it but no role at the target or above
   * allows {@code action}.
   */
  public Subscription require(Caller caller, ResourceId target, String action) {
    return check(caller, assignments.forPrincipal(caller.objectId()), target, action);
  }

  /**
   * What {@link Arm#authorize} answers, for a caller a service was handed: {@link #require(Caller,
   * ResourceId, String)}, then 409 when the subscription's state takes no change ({@link Arm#acceptsAction}).
   */
  public Subscription authorize(Caller caller, ResourceId target, String action) {
    return Arm.acceptsAction(require(caller, target, action), action);
  }

  private Subscription check(Caller caller, List<RoleAssignment> held, ResourceId target, String action) {
    String id = ResourceId.checkSubscription(target.subscriptionId());
    Subscription subscription = subscriptions.find(id).orElseThrow(() -> notFound(id));
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
    if (!holdsRoot(caller, held(exchange, caller), action)) {
      throw rootRefused(caller, action);
    }
  }

  /** What {@link #requireRoot(Exchange, String)} answers, for a caller a service was handed. */
  public void requireRoot(Caller caller, String action) {
    if (!holdsRoot(caller, action)) {
      throw rootRefused(caller, action);
    }
  }

  /**
   * True when the caller is the operator for {@code action}: a principal of the home directory with a
   * role at the root scope that allows it. Services ask this to choose between "everything" and "what
   * the caller's own roles reveal".
   */
  public boolean holdsRoot(Caller caller, String action) {
    return holdsRoot(caller, assignments.forPrincipal(caller.objectId()), action);
  }

  private boolean holdsRoot(Caller caller, List<RoleAssignment> held, String action) {
    // Root-scope roles are meant for the operator's home directory only; a token another tenant
    // issued never reaches the root, whatever assignments its principal might hold.
    if (caller.tenantId().equals(homeTenantId)) {
      for (RoleAssignment a : held) {
        if (a.scopeKey().equals("/") && RoleDefinition.find(a.roleDefinitionId()).map(r -> r.permits(action)).orElse(false)) {
          return true;
        }
      }
    }
    return false;
  }

  private static Problem rootRefused(Caller caller, String action) {
    return Problem.forbidden("AuthorizationFailed", "The client '" + caller.objectId() + "' with object id '"
        + caller.objectId() + "' does not have authorization to perform action '" + action + "' over scope '/'.");
  }

  @Override
  public boolean canSee(Exchange exchange, Subscription subscription) {
    Caller caller = caller(exchange);
    return sees(caller, held(exchange, caller), subscription);
  }

  /** What {@link #canSee(Exchange, Subscription)} answers, for a caller a service was handed. */
  public boolean canSee(Caller caller, Subscription subscription) {
    return sees(caller, assignments.forPrincipal(caller.objectId()), subscription);
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

  /**
   * The verified caller of a request, which a route hands to the service it calls; 401
   * {@code AuthenticationFailed} when the request carried no valid token.
   */
  public static Caller caller(Exchange exchange) {
    return exchange.attribute(Caller.class).orElseThrow(() -> Problem.unauthenticated("AuthenticationFailed",
        "Authentication failed.", "Authorization", null));
  }

  /**
   * The access control behind an {@link Arm}: routes pass it to the services they build, so a service
   * checks callers exactly as the ARM plumbing checks requests.
   */
  public static AccessControl of(Arm arm) {
    if (arm.access() instanceof AccessControl control) {
      return control;
    }
    throw new IllegalStateException("the ARM access check is not role-based access control: " + arm.access());
  }

  private static Problem notFound(String subscriptionId) {
    return Problem.notFound("SubscriptionNotFound", "The subscription '" + subscriptionId + "' could not be found.");
  }
}
