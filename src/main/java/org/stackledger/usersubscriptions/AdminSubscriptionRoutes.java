package org.stackledger.usersubscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.Paging;
import org.stackledger.arm.Preconditions;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.TrackedResource;
import org.stackledger.directory.Directory;
import org.stackledger.directory.Principal;
import org.stackledger.http.Exchange;
import org.stackledger.http.Guids;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;
import org.stackledger.usersubscriptions.UserSubscriptions.Stored;
import org.stackledger.usersubscriptions.UserSubscriptions.UserSubscription;

/**
 * User subscriptions as the operator manages them ({@code Microsoft.Subscriptions.Admin/subscriptions},
 * api-version {@code 2015-11-01}, {@code New-/Set-/Remove-AzsUserSubscription}): PUT, GET, DELETE and the
 * list under the operator's subscription. Operator only. The fields may come at the top level, as Azure
 * Stack's cmdlets send them, or inside {@code properties}; errors name the field as it was sent.
 */
final class AdminSubscriptionRoutes {
  static final String TYPE = OfferingRoutes.NAMESPACE + "/subscriptions";
  static final ApiVersions VERSIONS = ApiVersions.of(TYPE, "2015-11-01");
  static final String LIST = "/subscriptions/{adminSubscriptionId}/providers/" + TYPE;
  static final String ONE = LIST + "/{targetSubscriptionId}";
  private static final Pattern UPN = Pattern.compile("[^@\\s]{1,128}@[^@\\s]{1,127}");

  private final Arm arm;
  private final UserSubscriptions store;
  private final Offerings offerings;
  private final Directory directory;
  private final Predicate<String> admittedDirectory;
  private final String operatorSubscriptionId;

  AdminSubscriptionRoutes(Arm arm, UserSubscriptions store, Offerings offerings, Directory directory,
      Predicate<String> admittedDirectory, String operatorSubscriptionId) {
    this.arm = arm;
    this.store = store;
    this.offerings = offerings;
    this.directory = directory;
    this.admittedDirectory = admittedDirectory;
    this.operatorSubscriptionId = operatorSubscriptionId;
  }

  void register(Router router) {
    router.get(LIST, this::list);
    router.get(ONE, this::get);
    router.put(ONE, this::put);
    router.delete(ONE, this::delete);
  }

  /** Operator first (the same 403 whatever the path names), then the admin subscription must exist. */
  private String authorized(Exchange ex, String action) {
    VERSIONS.require(ex);
    arm.authorizeRoot(ex, TYPE + "/" + action);
    String admin = ResourceId.checkSubscription(ex.pathParam("adminSubscriptionId"));
    arm.authorize(ex, ResourceId.subscription(admin), TYPE + "/" + action);
    return admin;
  }

  private static String target(Exchange ex) {
    return ResourceId.checkSubscription(ex.pathParam("targetSubscriptionId"));
  }

  private Reply list(Exchange ex) {
    String admin = authorized(ex, "read");
    Paging.Cursor cursor = arm.paging().cursor(ex);
    List<Stored> items = store.page(cursor.afterKey().orElse(""), cursor.limit() + 1);
    return Reply.json(200, arm.paging().page(ex, cursor, items, s -> s.subscription().subscriptionId(),
        s -> resource(admin, s)));
  }

  private Reply get(Exchange ex) {
    String admin = authorized(ex, "read");
    String id = target(ex);
    Stored found = store.stored(id).orElseThrow(() -> Problem.notFound("SubscriptionNotFound",
        "The subscription '" + id + "' could not be found."));
    return Reply.json(200, resource(admin, found)).header("ETag", found.etag());
  }

  private Reply delete(Exchange ex) {
    authorized(ex, "delete");
    return store.delete(target(ex), Preconditions.of(ex)) ? Reply.empty(200) : Reply.empty(204);
  }

  private Reply put(Exchange ex) throws Exception {
    String admin = authorized(ex, "write");
    String id = target(ex);
    Fields in = Fields.of(arm.body().required(ex));
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
    UserSubscriptions.Put done = store.put(new UserSubscriptions.Change(wanted, offer.key(), ownerObjectId),
        Preconditions.of(ex));
    return Reply.json(done.created() ? 201 : 200, resource(admin, done.stored())).header("ETag", done.stored().etag());
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

  /** Azure Stack's admin view of a user subscription: its fields at the top level. */
  static ObjectNode resource(String adminSubscriptionId, Stored stored) {
    UserSubscription s = stored.subscription();
    ObjectNode out = Json.object();
    out.put("id", "/subscriptions/" + adminSubscriptionId + "/providers/" + TYPE + "/" + s.subscriptionId());
    out.put("name", s.subscriptionId());
    out.put("type", TYPE);
    out.put("subscriptionId", s.subscriptionId());
    out.put("displayName", s.displayName());
    out.put("owner", s.owner());
    out.put("tenantId", s.tenantId());
    out.put("offerId", s.offerId());
    out.put("state", s.state());
    out.put("delegatedProviderSubscriptionId", s.delegatedProviderSubscriptionId());
    out.put("providerSubscriptionId", s.providerSubscriptionId());
    out.put("routingResourceManagerType", "Default");
    out.put("createdAt", s.createdAt().toString());
    out.put("etag", stored.etag());
    return out;
  }
}
