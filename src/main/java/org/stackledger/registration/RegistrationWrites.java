package org.stackledger.registration;

import static org.stackledger.registration.AzureStackApi.NAMESPACE;
import static org.stackledger.registration.AzureStackApi.REGISTRATIONS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.stackledger.access.AccessControl;
import org.stackledger.access.RoleAssignments;
import org.stackledger.access.RoleDefinition;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ArmResource;
import org.stackledger.arm.Preconditions;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.ResourceStore;
import org.stackledger.arm.Subscription;
import org.stackledger.arm.TrackedResource;
import org.stackledger.directory.Directory;
import org.stackledger.http.Json;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;
import org.stackledger.resources.ProviderRegistrations;
import org.stackledger.store.Database;

/**
 * Registrations as a caller may write them: create or replace (PUT), patch and delete. The ARM
 * routes and the console write through here with the signed-in {@link Caller}, so both refuse
 * alike: 404 {@code SubscriptionNotFound} for a subscription the caller cannot see, 403
 * {@code AuthorizationFailed} without the permission, 409 when the subscription takes no change.
 *
 * <p>A write is two steps, as the reads are: {@link #writable} checks the caller and answers a
 * {@link Write}, which only this class makes; the route reads the request body after it, so a
 * stranger learns "not found" before anything about its body.
 */
public final class RegistrationWrites {
  private final Arm arm;
  private final AccessControl access;
  private final RegistrationStore store;
  private final ProviderRegistrations providers;
  private final Directory directory;
  private final RoleAssignments roles;

  RegistrationWrites(Arm arm, RegistrationStore store, ProviderRegistrations providers, Directory directory,
      RoleAssignments roles) {
    this.arm = arm;
    this.access = AccessControl.of(arm);
    this.store = store;
    this.providers = providers;
    this.directory = directory;
    this.roles = roles;
  }

  /** The caller's right to create, replace or patch the registration {@code id}. */
  public Write writable(Caller caller, ResourceId id) {
    return new Write(id, access.authorize(caller, id, AzureStackApi.WRITE));
  }

  /** {@link #writable} and {@link Write#put} in one call, for a caller that has its request at hand. */
  public ResourceStore.PutResult put(Caller caller, ResourceId id, ObjectNode request, boolean patch,
      Preconditions conditions) {
    return writable(caller, id).put(request, patch, conditions);
  }

  /**
   * Deletes the registration; false when there was none. The store's delete listener ends the open
   * mappings, frees the CloudId and removes the bridge's role.
   */
  public boolean delete(Caller caller, ResourceId id, Preconditions conditions) {
    access.authorize(caller, id, AzureStackApi.DELETE);
    return arm.resources().delete(id.subscriptionId(), id, conditions);
  }

  /** A registration a caller was allowed to write; only {@link RegistrationWrites} makes one. */
  public final class Write {
    private final ResourceId id;
    private final Subscription subscription;

    private Write(ResourceId id, Subscription subscription) {
      this.id = id;
      this.subscription = subscription;
    }

    /**
     * Creates or replaces ({@code patch} false) or patches the registration from an ARM request body;
     * the bridge principal, its certificate, the resource, the CloudId binding and the owner's role are
     * made in one transaction.
     */
    public ResourceStore.PutResult put(ObjectNode request, boolean patch, Preconditions given) {
      if (arm.resources().get(id.subscriptionId(), id.scope()).isEmpty()) {
        throw Problem.notFound("ResourceGroupNotFound", "Resource group '" + id.scope().name() + "' could not be found.");
      }
      if (!providers.isRegistered(id.subscriptionId(), NAMESPACE)) {
        throw Problem.conflict("MissingSubscriptionRegistration", NAMESPACE, "The subscription is not registered to use "
            + "namespace '" + NAMESPACE + "'. See https://aka.ms/rps-not-found for how to register subscriptions.");
      }
      Optional<ArmResource> current = arm.resources().get(id.subscriptionId(), id);
      if (patch && current.isEmpty()) {
        RegistrationRoutes.existing(arm, id);
      }
      if (!patch || request.has("location")) {
        String location = TrackedResource.location(request);
        if (!location.equals("global")) {
          throw Problem.invalid("LocationNotAvailableForResourceType", "location", "The provided location '"
              + request.path("location").asText() + "' is not available for resource type '" + REGISTRATIONS
              + "'. List of available regions for the resource type is 'global'.");
        }
      }
      ObjectNode tags = request.has("tags") || !patch ? TrackedResource.tags(request)
          : current.map(r -> r.body().path("tags")).filter(JsonNode::isObject).map(n -> (ObjectNode) n)
              .orElse(Json.object());
      ObjectNode properties = TrackedResource.properties(request, !patch);
      JsonNode tokenText = properties.get("registrationToken");
      RegistrationToken token;
      if (tokenText == null || tokenText.isNull()) {
        if (!patch) {
          throw Problem.invalid("InvalidRequestContent", "properties.registrationToken",
              "properties.registrationToken is required: the token the deployment produced (New-RegistrationToken).");
        }
        token = tokenOf(current.orElseThrow().body().path("properties"));
      } else {
        token = decode(tokenText);
      }
      if (token.bridgeCertificate() != null) {
        Directory.unusable(token.bridgeCertificate(), arm.clock().instant()).ifPresent(why -> {
          throw Problem.invalid("InvalidRegistrationToken", "properties.registrationToken",
              "The registration token is invalid: its BridgeCertificate cannot be the bridge's credential: " + why + ".");
        });
      }
      Preconditions conditions = given;
      if (patch && conditions.ifMatch() == null) {
        conditions = new Preconditions(current.orElseThrow().etag(), conditions.ifNoneMatch());
      }
      Preconditions checked = conditions;
      try {
        // One transaction, passed to every write: the bridge principal, its certificate, the resource, the
        // CloudId binding and the owner's role assignment are all made or none is.
        return store.jdbi().inTransaction(h -> {
          Optional<RegistrationStore.Binding> mine = store.bindingOf(h, id);
          if (mine.isPresent() && !mine.get().cloudId().equals(token.cloudId())) {
            throw Problem.conflict("CloudIdUpdateNotAllowed", "registration '" + id.name() + "' is already "
                + "associated with another Cloud identifier. Changing cloud identifiers is not allowed.");
          }
          if (mine.isEmpty() && store.bindingOfCloud(h, token.cloudId()).isPresent()) {
            throw Problem.conflict("CloudIdAlreadyRegistered", "Cloud identifier [" + token.cloudId()
                + "] is already registered. Reusing cloud identifiers is not allowed.");
          }
          String objectId = mine.isPresent() ? mine.get().bridgeObjectId()
              : directory.createServicePrincipal(h, subscription.tenantId(), "Azure Bridge " + token.cloudId(), null, null)
                  .principal().objectId();
          // The deployment's bridge key signs the bridge in; a new certificate (a re-registration from a
          // deployment whose key changed) is added beside the old ones, never instead of them.
          if (token.bridgeCertificate() != null) {
            directory.addKeyCredential(h, objectId, token.bridgeCertificate());
          }
          ObjectNode body = body(token, objectId, tags, current.map(r -> r.body().path("properties")));
          ResourceStore.PutResult put = arm.resources().put(h, id.subscriptionId(), id, REGISTRATIONS, body, checked);
          if (mine.isEmpty()) {
            store.bind(h, id, token.cloudId(), objectId, store.now());
            roles.assign(h, UUID.randomUUID().toString(), id.toString(), RoleDefinition.REGISTRATION_OWNER, objectId,
                "ServicePrincipal");
          }
          return put;
        });
      } catch (UnableToExecuteStatementException e) {
        if (!Database.isIntegrityViolation(e)) {
          throw e;
        }
        // Two requests binding the same registration or CloudId at once: the store's unique keys
        // keep one; the other learns it lost and may retry.
        throw Problem.conflict("Conflict", "Another request changed this registration or its Cloud identifier at "
            + "the same time. Read it again and retry.");
      }
    }
  }

  private static RegistrationToken decode(JsonNode text) {
    if (!text.isTextual()) {
      throw Problem.invalid("InvalidRegistrationToken", "properties.registrationToken",
          "properties.registrationToken must be a string.");
    }
    RegistrationToken token;
    try {
      token = RegistrationToken.decode(text.asText());
    } catch (RegistrationToken.InvalidTokenException e) {
      throw Problem.invalid("InvalidRegistrationToken", "properties.registrationToken",
          "The registration token is invalid: " + e.getMessage() + ".");
    }
    if (token.billingModel() == BillingModel.Capacity && token.agreementNumber() == null) {
      throw Problem.invalid("AgreementNumberRequired", "properties.registrationToken",
          "The Capacity billing model needs the Enterprise Agreement number: the token has no AgreementNumber.");
    }
    if (token.billingModel() == BillingModel.PayAsYouUse && !token.usageReportingEnabled()) {
      throw Problem.invalid("UsageReportingRequired", "properties.registrationToken",
          "Usage reporting cannot be disabled with the PayAsYouUse billing model: the token has "
              + "UsageReportingEnabled false.");
    }
    return token;
  }

  /** The token a registration was last written with, rebuilt from its properties (for a PATCH of tags only). */
  private static RegistrationToken tokenOf(JsonNode p) {
    return new RegistrationToken(p.path("cloudId").asText(), BillingModel.valueOf(p.path("billingModel").asText()),
        p.path("usageReportingEnabled").asBoolean(), p.path("marketplaceSyndicationEnabled").asBoolean(),
        p.hasNonNull("agreementNumber") ? p.path("agreementNumber").asText() : null,
        p.hasNonNull("registrationTokenIssueTime") ? Instant.parse(p.path("registrationTokenIssueTime").asText()) : null);
  }

  /** The stored body: the token's facts overwrite; the bridge identity and multi-tenancy approval stay. */
  private static ObjectNode body(RegistrationToken token, String objectId, ObjectNode tags, Optional<JsonNode> was) {
    ObjectNode body = Json.object();
    body.put("location", "global");
    if (!tags.isEmpty()) {
      body.set("tags", tags);
    }
    ObjectNode p = body.putObject("properties");
    p.put("objectId", objectId);
    p.put("cloudId", token.cloudId());
    p.put("billingModel", token.billingModel().name());
    p.put("usageReportingEnabled", token.usageReportingEnabled());
    p.put("marketplaceSyndicationEnabled", token.marketplaceSyndicationEnabled());
    if (token.agreementNumber() != null) {
      p.put("agreementNumber", token.agreementNumber());
    }
    if (token.issueTime() != null) {
      p.put("registrationTokenIssueTime", token.issueTime().toString());
    }
    p.put("multiTenancyApproved", false);
    was.ifPresent(old -> MultiTenancyRoutes.APPROVAL_FIELDS.forEach(f -> {
      if (old.has(f)) {
        p.set(f, old.get(f));
      }
    }));
    p.put("provisioningState", "Succeeded");
    return body;
  }
}
