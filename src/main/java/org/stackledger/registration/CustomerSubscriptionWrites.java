package org.stackledger.registration;

import static org.stackledger.registration.AzureStackApi.CUSTOMER_SUBSCRIPTIONS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ArmResource;
import org.stackledger.arm.Preconditions;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.ResourceStore;
import org.stackledger.arm.TrackedResource;
import org.stackledger.csp.CspSubscriptions;
import org.stackledger.http.Guids;
import org.stackledger.http.Json;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;

/**
 * Customer subscriptions as a caller may write them: map a customer's CSP subscription (and its
 * directory tenant) onto a registration, or end that mapping. This is the partner's seed operation;
 * the ARM routes and the console call it with the signed-in {@link Caller}, so both refuse alike:
 * 404 {@code SubscriptionNotFound} for a registration in a subscription the caller cannot see, 403
 * {@code AuthorizationFailed} without the permission, 409 when the subscription takes no change, 404
 * {@code RegistrationNotFound} when the registration does not exist, each before any check of the
 * request itself.
 *
 * <p>A PUT is two steps: {@link #writable} checks the caller and answers a {@link Write}, which only
 * this class makes; the route reads the request body after it, as it did before the check moved here.
 */
public final class CustomerSubscriptionWrites {
  private final Arm arm;
  private final AccessControl access;
  private final RegistrationStore store;
  private final CspSubscriptions partnerCenter;

  CustomerSubscriptionWrites(Arm arm, RegistrationStore store, CspSubscriptions partnerCenter) {
    this.arm = arm;
    this.access = AccessControl.of(arm);
    this.store = store;
    this.partnerCenter = partnerCenter;
  }

  /** The caller's right to map customer subscriptions onto {@code registration}, and that registration. */
  public Write writable(Caller caller, ResourceId registration) {
    return new Write(authorized(caller, registration, AzureStackApi.CS_WRITE));
  }

  /** {@link #writable} and {@link Write#put} in one call, for a caller that has its request at hand. */
  public ArmResource put(Caller caller, ResourceId registration, String customerSubscriptionName,
      ObjectNode request, Preconditions conditions) {
    return writable(caller, registration).put(customerSubscriptionName, request, conditions);
  }

  /**
   * Ends the mapping of {@code customerSubscriptionName} on the registration; false when there was
   * none. The store's delete listener ends the mapping (Removed) in the same transaction.
   */
  public boolean delete(Caller caller, ResourceId registration, String customerSubscriptionName,
      Preconditions conditions) {
    ArmResource checked = authorized(caller, registration, AzureStackApi.CS_DELETE);
    ResourceId id = AzureStackApi.customerSubscription(checked.id(),
        ResourceId.checkName(customerSubscriptionName, "customerSubscriptionName"));
    return arm.resources().delete(id.subscriptionId(), id, conditions);
  }

  /** Checks the caller's action on the registration, and returns the registration. */
  private ArmResource authorized(Caller caller, ResourceId id, String action) {
    access.authorize(caller, id, action);
    return arm.resources().get(id.subscriptionId(), id).orElseThrow(() -> TenantErrors.registrationNotFound(
        id.subscriptionId(), id.resourceGroup().orElse(""), id.name()));
  }

  /** A registration a caller was allowed to map customer subscriptions onto; only this class makes one. */
  public final class Write {
    private final ArmResource registration;

    private Write(ArmResource registration) {
      this.registration = registration;
    }

    /**
     * Maps the customer subscription {@code name} (its CSP subscription id) onto the registration, the
     * request's {@code properties.tenantId} (optional, {@code request} may be null) checked against
     * Partner Center's answer; a tenant mapped to another subscription has that mapping ended at the
     * instant this one begins. Answers the mapping, made or replaced.
     */
    public ArmResource put(String name, ObjectNode request, Preconditions conditions) {
      ResourceId regId = registration.id();
      Optional<String> givenTenant = givenTenant(request);
      JsonNode props = registration.body().path("properties");
      if (!BillingModel.PayAsYouUse.name().equals(props.path("billingModel").asText())) {
        throw TenantErrors.customerSubscriptionsNotAllowed();
      }
      if (!props.path("multiTenancyApproved").asBoolean(false)) {
        throw TenantErrors.unauthorizedCspRegistration(regId.name());
      }
      if (!Guids.isGuid(name)) {
        throw TenantErrors.invalidCustomerSubscriptionId(name);
      }
      String subscriptionId = name.toLowerCase(Locale.ROOT);
      CspSubscriptions.CspSubscription customer = lookUp(subscriptionId)
          .filter(s -> !"Deleted".equalsIgnoreCase(s.status()))
          .orElseThrow(() -> TenantErrors.invalidCustomerSubscriptionId(name));
      if (!customer.isCsp()) {
        throw TenantErrors.invalidCspSubscription(name);
      }
      Optional<CspSubscriptions.CspSubscription> own = lookUp(regId.subscriptionId());
      if (own.isEmpty() || own.get().billingPartnerId() == null
          || !own.get().billingPartnerId().equalsIgnoreCase(customer.billingPartnerId())) {
        throw TenantErrors.badCustomerSubscriptionId(name, regId.name());
      }
      String tenant = customer.tenantId().toLowerCase(Locale.ROOT);
      if (givenTenant.isPresent() && !givenTenant.get().equals(tenant)) {
        throw Problem.invalid("TenantIdMismatch", "properties.tenantId", "The tenant '" + givenTenant.get()
            + "' is not the directory tenant of customer subscription '" + name + "'. Omit properties.tenantId to use "
            + "the subscription's own tenant.");
      }
      String cloudId = props.path("cloudId").asText();
      ResourceId id = AzureStackApi.customerSubscription(regId, name);
      ObjectNode body = Json.object();
      body.putObject("properties").put("tenantId", tenant);
      ResourceStore.PutResult result = store.jdbi().inTransaction(h -> {
        store.lockRegistration(h, regId);
        Instant now = store.now();
        Optional<RegistrationStore.Mapping> tenantMapped = store.openForTenant(h, regId, tenant);
        if (tenantMapped.isPresent() && !tenantMapped.get().customerSubscriptionId().equals(subscriptionId)) {
          ResourceId replaced = AzureStackApi.customerSubscription(regId, tenantMapped.get().customerSubscriptionId());
          store.close(h, replaced, now, RegistrationStore.EndedBy.Replaced);
          arm.resources().delete(h, regId.subscriptionId(), replaced, Preconditions.NONE);
        }
        Optional<RegistrationStore.Mapping> same = store.openForResource(h, id);
        if (same.isPresent() && !same.get().tenantId().equals(tenant)) {
          store.close(h, id, now, RegistrationStore.EndedBy.Replaced);
          same = Optional.empty();
        }
        ResourceStore.PutResult put = arm.resources().put(h, regId.subscriptionId(), id, CUSTOMER_SUBSCRIPTIONS, body,
            conditions);
        if (same.isEmpty()) {
          store.open(h, id, cloudId, tenant, now);
        }
        return put;
      });
      return result.resource();
    }
  }

  /** Partner Center's answer, or 502 when it cannot be asked. */
  private Optional<CspSubscriptions.CspSubscription> lookUp(String subscriptionId) {
    try {
      return partnerCenter.find(subscriptionId);
    } catch (CspSubscriptions.UnavailableException e) {
      throw TenantErrors.metadataResolverBadGateway();
    }
  }

  private static Optional<String> givenTenant(ObjectNode request) {
    if (request == null) {
      return Optional.empty();
    }
    JsonNode tenant = TrackedResource.properties(request, false).get("tenantId");
    if (tenant == null || tenant.isNull()) {
      return Optional.empty();
    }
    if (!tenant.isTextual() || !Guids.isGuid(tenant.asText())) {
      throw Problem.invalid("InvalidTenantId", "properties.tenantId",
          "properties.tenantId must be a directory tenant id (a GUID).");
    }
    return Optional.of(tenant.asText().toLowerCase(Locale.ROOT));
  }
}
