package org.stackledger.registration;

import static org.stackledger.registration.AzureStackApi.CUSTOMER_SUBSCRIPTIONS;
import static org.stackledger.registration.AzureStackApi.CUSTOMER_SUBSCRIPTION_VERSIONS;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ArmResource;
import org.stackledger.arm.Paging;
import org.stackledger.arm.Preconditions;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.ResourceStore;
import org.stackledger.arm.TrackedResource;
import org.stackledger.csp.CspSubscriptions;
import org.stackledger.http.Exchange;
import org.stackledger.http.Guids;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * customerSubscriptions: the mapping of a customer's directory tenant onto its CSP subscription on
 * one registration (GET, PUT, DELETE, list), and the read-only history of every mapping. One Azure
 * subscription per tenant per registration: a PUT for a tenant mapped to another subscription ends
 * that mapping at the instant the new one begins. The reads go through {@link RegistrationReads} as the
 * request's caller, which decides what it may see.
 */
final class CustomerSubscriptionRoutes {

  private final Arm arm;
  private final RegistrationStore store;
  private final RegistrationReads reads;
  private final CspSubscriptions partnerCenter;

  CustomerSubscriptionRoutes(Arm arm, RegistrationStore store, RegistrationReads reads, CspSubscriptions partnerCenter) {
    this.arm = arm;
    this.store = store;
    this.reads = reads;
    this.partnerCenter = partnerCenter;
  }

  void register(Router router) {
    router.get(AzureStackApi.ITEM + "/customerSubscriptions", this::list);
    router.get(AzureStackApi.CUSTOMER_SUBSCRIPTION, this::get);
    router.put(AzureStackApi.CUSTOMER_SUBSCRIPTION, this::put);
    router.delete(AzureStackApi.CUSTOMER_SUBSCRIPTION, this::delete);
    router.get(AzureStackApi.ITEM + "/customerSubscriptionHistory", this::history);
  }

  /** Checks the version and the caller's action on the registration, and returns the registration. */
  private ArmResource registration(Exchange ex, String action) {
    CUSTOMER_SUBSCRIPTION_VERSIONS.require(ex);
    ResourceId id = AzureStackApi.registration(ex);
    arm.authorize(ex, id, action);
    return arm.resources().get(id.subscriptionId(), id).orElseThrow(() -> TenantErrors.registrationNotFound(
        id.subscriptionId(), id.resourceGroup().orElse(""), id.name()));
  }

  private ResourceId id(ArmResource registration, Exchange ex) {
    return AzureStackApi.customerSubscription(registration.id(),
        ResourceId.checkName(ex.pathParam("customerSubscriptionName"), "customerSubscriptionName"));
  }

  /** The reads of the request's registration, once the caller may read them. */
  private RegistrationReads.Mappings readable(Exchange ex) {
    CUSTOMER_SUBSCRIPTION_VERSIONS.require(ex);
    return reads.customerSubscriptions(AccessControl.caller(ex), AzureStackApi.registration(ex));
  }

  private Reply get(Exchange ex) {
    return Arm.resource(200, readable(ex).get(ex.pathParam("customerSubscriptionName")));
  }

  private Reply list(Exchange ex) {
    RegistrationReads.Mappings mappings = readable(ex);
    Paging.Cursor cursor = arm.paging().cursor(ex);
    return Reply.json(200, arm.paging().page(ex, cursor, mappings.list(cursor), r -> r.id().key(), ArmResource::toJson));
  }

  private Reply delete(Exchange ex) {
    ArmResource registration = registration(ex, AzureStackApi.CS_DELETE);
    ResourceId id = id(registration, ex);
    // The store's delete listener ends the mapping (Removed) in the same transaction.
    return arm.resources().delete(id.subscriptionId(), id, Preconditions.of(ex)) ? Reply.empty(200) : Reply.empty(204);
  }

  private Reply put(Exchange ex) throws Exception {
    ArmResource registration = registration(ex, AzureStackApi.CS_WRITE);
    ResourceId regId = registration.id();
    String name = ex.pathParam("customerSubscriptionName");
    ObjectNode request = arm.body().optional(ex);
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
    Preconditions conditions = Preconditions.of(ex);
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
    // 200 whether made or replaced: the published CustomerSubscriptions_Create lists only 200, and SDKs
    // generated from it throw on anything else (a 201 here broke every typed SDK).
    return Arm.resource(200, result.resource());
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

  /** {@code GET …/customerSubscriptionHistory[?tenantId=][&at=]}: every mapping, oldest first. */
  private Reply history(Exchange ex) {
    RegistrationReads.Mappings mappings = readable(ex);
    Optional<String> tenant = ex.query("tenantId").map(t -> {
      if (!Guids.isGuid(t)) {
        throw Problem.invalid("InvalidTenantId", "tenantId", "tenantId must be a directory tenant id (a GUID).");
      }
      return t.toLowerCase(Locale.ROOT);
    });
    Optional<Instant> at = ex.query("at").map(t -> {
      try {
        return Instant.parse(t);
      } catch (DateTimeParseException e) {
        throw Problem.invalid("InvalidParameter", "at",
            "at must be an ISO-8601 instant in UTC, such as 2018-02-05T10:00:00Z.");
      }
    });
    ObjectNode out = Json.object();
    ArrayNode value = out.putArray("value");
    for (RegistrationStore.Mapping m : mappings.history(tenant, at)) {
      ObjectNode row = value.addObject();
      row.put("tenantId", m.tenantId());
      row.put("customerSubscriptionId", m.customerSubscriptionId());
      row.put("cloudId", m.cloudId());
      row.put("effectiveFrom", m.effectiveFrom().toString());
      if (m.effectiveTo() == null) {
        row.putNull("effectiveTo");
        row.putNull("endedBy");
      } else {
        row.put("effectiveTo", m.effectiveTo().toString());
        row.put("endedBy", m.endedBy().name());
      }
    }
    return Reply.json(200, out);
  }
}
