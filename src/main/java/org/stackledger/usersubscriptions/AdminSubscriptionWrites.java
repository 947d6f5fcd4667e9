package org.stackledger.usersubscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.arm.Preconditions;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.TrackedResource;
import org.stackledger.directory.Directory;
import org.stackledger.directory.Principal;
import org.stackledger.http.Guids;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;
import org.stackledger.usersubscriptions.UserSubscriptions.UserSubscription;

/**
 * User subscriptions as the operator makes, changes and removes them ({@code New-/Set-/Remove-AzsUserSubscription}).
 * The admin API and the console call it with the signed-in {@link Caller}, which it checks as the
 * routes did: the operator first (the same 403 whatever the path names), then the admin subscription
 * must exist and take writes. A write is two steps, {@link #writable} then {@link Write#put}, so the
 * route reads the request body only after the caller passed.
 */
public final class AdminSubscriptionWrites {
  private static final Pattern UPN = Pattern.compile("[^@\\s]{1,128}@[^@\\s]{1,127}");

  private final Arm arm;
  private final AccessControl access;
  private final UserSubscriptions store;
  private final Offerings offerings;
  private final Directory directory;
  private final Predicate<String> admittedDirectory;
  private final String operatorSubscriptionId;

  AdminSubscriptionWrites(Arm arm, UserSubscriptions store, Offerings offerings, Directory directory,
      Predicate<String> admittedDirectory, String operatorSubscriptionId) {
    this.arm = arm;
    this.access = AccessControl.of(arm);
    this.store = store;
    this.offerings = offerings;
    this.directory = directory;
    this.admittedDirectory = admittedDirectory;
    this.operatorSubscriptionId = operatorSubscriptionId;
  }

  /**
   * The operator check for {@code action} ({@code read}, {@code write}, {@code delete}) on the admin
   * subscription the path names, which must exist; answers that subscription's id.
   */
  String authorized(Caller caller, String adminSubscriptionId, String action) {
    access.requireRoot(caller, AdminSubscriptionRoutes.TYPE + "/" + action);
    String admin = ResourceId.checkSubscription(adminSubscriptionId);
    access.authorize(caller, ResourceId.subscription(admin), AdminSubscriptionRoutes.TYPE + "/" + action);
    return admin;
  }

  /** The caller's right to make and change user subscriptions under the admin subscription. */
  public Write writable(Caller caller, String adminSubscriptionId) {
    return new Write(authorized(caller, adminSubscriptionId, "write"));
  }

  /** {@link #writable} and {@link Write#put} in one call, for a caller that has its request at hand. */
  public UserSubscriptions.Put put(Caller caller, String adminSubscriptionId, String subscriptionId,
      ObjectNode request, Preconditions conditions) {
    return writable(caller, adminSubscriptionId).put(subscriptionId, request, conditions);
  }

  /** Deletes the user subscription; false when there was none. */
  public boolean delete(Caller caller, String adminSubscriptionId, String subscriptionId, Preconditions conditions) {
    authorized(caller, adminSubscriptionId, "delete");
    return store.delete(ResourceId.checkSubscription(subscriptionId), conditions);
  }

  /** An admin subscription a caller was allowed to write user subscriptions under; only this class makes one. */
  public final class Write {
    private final String admin;

    private Write(String admin) {
      this.admin = admin;
    }

    /** The admin subscription the caller may write under. */
    public String adminSubscriptionId() {
      return admin;
    }

    /**
     * Makes or changes the user subscription {@code subscriptionId} from the request's fields, at the
     * top level (Azure Stack's cmdlets) or inside {@code properties}; errors name the field as sent.
     */
    public UserSubscriptions.Put put(String subscriptionId, ObjectNode request, Preconditions conditions) {
      String id = ResourceId.checkSubscription(subscriptionId);
      Fields in = Fields.of(request);
      UserSubscription was = store.find(id).orElse(null);
      JsonNode givenId = in.get("subscriptionId");
      if (givenId != null && !givenId.asText().equalsIgnoreCase(id)) {
        throw Problem.invalid("SubscriptionIdMismatch", in.target("subscriptionId"), in.target("subscriptionId")
            + " '" + givenId.asText() + "' is not the subscription id of the path (" + id + ").");
      }
      String displayName = in.required("displayName", 256, was == null ? null : was.displayName());
      String owner = in.required("owner", 256, was == null ? null : was.owner());
      if (!UPN.matcher(owner).matches()) {
        throw Problem.invalid("InvalidOwner", in.target("owner"), in.target("owner") + " '" + owner
            + "' is not a user principal name such as user@contoso.onmicrosoft.com.");
      }
      String tenantId = fixed(in, "tenantId", was == null ? null : was.tenantId());
      if (was == null) {
        if (tenantId == null || !Guids.isGuid(tenantId)) {
          throw Problem.invalid("InvalidTenantId", in.target("tenantId"), in.target("tenantId")
              + " is required: the directory tenant (a GUID) the subscription's users sign in with.");
        }
        if (!admittedDirectory.test(tenantId)) {
          throw Problem.invalid("DirectoryTenantNotOnboarded", in.target("tenantId"), "The directory tenant '"
              + tenantId + "' is neither the deployment's home directory nor an onboarded guest directory.");
        }
      }
      Offering offer = offer(in, was);
      String state = state(in, was);
      String delegated = fixed(in, "delegatedProviderSubscriptionId", was == null ? null
          : was.delegatedProviderSubscriptionId());
      if (was == null && delegated != null) {
        delegated = delegatedProvider(in, id, delegated);
      }
      String ownerObjectId = directory.principalByUpn(owner).filter(p -> p.kind() == Principal.Kind.User)
          .filter(p -> directory.isMember(UserSubscriptions.lower(tenantId), p)).map(Principal::objectId).orElse(null);
      UserSubscription wanted = new UserSubscription(id, displayName, owner, UserSubscriptions.lower(tenantId), offer.id(),
          state, delegated != null ? delegated : operatorSubscriptionId, delegated,
          was == null ? arm.clock().instant() : was.createdAt());
      return store.put(new UserSubscriptions.Change(wanted, offer.key(), ownerObjectId), conditions);
    }
  }

  /** The offer: it must exist, and a subscription moving to it (or made from it) needs it not Decommissioned. */
  private Offering offer(Fields in, UserSubscription was) {
    String text = in.required("offerId", 1024, was == null ? null : was.offerId());
    Optional<Offering> offer = Optional.empty();
    try {
      offer = offerings.find(ResourceId.parse(text)).filter(o -> o.kind() == Offering.Kind.OFFERS);
    } catch (Problem malformed) {
      // A malformed id names no offer: the same answer as an unknown one.
    }
    Offering found = offer.orElseThrow(() -> Problem.invalid("OfferNotFound", in.target("offerId"),
        "The offer '" + text + "' does not exist: give the full resource id of an offer."));
    boolean moving = was == null || !was.offerId().equalsIgnoreCase(found.id());
    if (moving && found.properties().path("state").asText().equals("Decommissioned")) {
      throw Problem.invalid("OfferDecommissioned", in.target("offerId"), "The offer '" + found.id()
          + "' is decommissioned: it keeps its subscriptions but takes no new ones.");
    }
    return found;
  }

  private static String state(Fields in, UserSubscription was) {
    String state = in.required("state", 16, was == null ? "Enabled" : was.state());
    String known = UserSubscriptions.STATES.stream().filter(s -> s.equalsIgnoreCase(state)).findFirst()
        .orElseThrow(() -> Problem.invalid("InvalidSubscriptionState", in.target("state"), "The state '" + state
            + "' is invalid: use Enabled, Disabled or Deleted (Warned and PastDue are Azure billing states)."));
    if (was == null && known.equals(UserSubscriptions.DELETED)) {
      throw Problem.invalid("InvalidSubscriptionState", in.target("state"),
          "A new subscription cannot be Deleted.");
    }
    return known;
  }

  /** A delegated provider is an Enabled user subscription other than the new one. */
  private String delegatedProvider(Fields in, String id, String delegated) {
    String target = in.target("delegatedProviderSubscriptionId");
    UserSubscription provider = (Guids.isGuid(delegated) ? store.find(delegated) : Optional.<UserSubscription>empty())
        .filter(p -> !p.subscriptionId().equals(id))
        .orElseThrow(() -> Problem.invalid("DelegatedProviderNotFound", target, "The delegated provider '"
            + delegated + "' is not a user subscription of the deployment."));
    if (!provider.state().equals("Enabled")) {
      throw Problem.invalid("DelegatedProviderNotActive", target, "The delegated provider '" + delegated
          + "' is " + provider.state() + ": only an Enabled subscription takes new tenants.");
    }
    return provider.subscriptionId();
  }

  /** A field fixed at creation: read on create, and on update only accepted unchanged. */
  private static String fixed(Fields in, String field, String current) {
    String given = in.text(field, 36);
    if (current == null) {
      return given;
    }
    if (given != null && !given.equalsIgnoreCase(current)) {
      throw Problem.invalid("PropertyChangeNotAllowed", in.target(field), in.target(field)
          + " is fixed when the subscription is made ('" + current + "').");
    }
    return current;
  }

  /** The request's fields: at the top level (Azure Stack's shape) or inside {@code properties}. */
  private record Fields(ObjectNode node, String prefix) {
    static Fields of(ObjectNode in) {
      return in.has("properties") ? new Fields(TrackedResource.properties(in, true), "properties.") : new Fields(in, "");
    }

    String target(String field) {
      return prefix + field;
    }

    JsonNode get(String field) {
      JsonNode n = node.get(field);
      return n == null || n.isNull() ? null : n;
    }

    String text(String field, int max) {
      JsonNode n = get(field);
      if (n == null) {
        return null;
      }
      if (!n.isTextual() || n.asText().isBlank() || n.asText().length() > max) {
        throw Problem.invalid("InvalidRequestContent", target(field),
            target(field) + " must be a non-empty string of at most " + max + " characters.");
      }
      return n.asText().trim();
    }

    /** The given value, else {@code current}; neither is a 400 naming the field. */
    String required(String field, int max, String current) {
      String given = text(field, max);
      if (given == null && current == null) {
        throw Problem.invalid("InvalidRequestContent", target(field), target(field) + " is required.");
      }
      return given != null ? given : current;
    }
  }
}
