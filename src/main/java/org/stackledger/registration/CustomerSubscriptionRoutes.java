package org.stackledger.registration;

import static org.stackledger.registration.AzureStackApi.CUSTOMER_SUBSCRIPTION_VERSIONS;

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
 * that mapping at the instant the new one begins. The reads go through {@link RegistrationReads} and the
 * writes through {@link CustomerSubscriptionWrites} as the request's caller, which decide what it may
 * see and change.
 */
final class CustomerSubscriptionRoutes {

  private final Arm arm;
  private final RegistrationReads reads;
  private final CustomerSubscriptionWrites writes;

  CustomerSubscriptionRoutes(Arm arm, RegistrationReads reads, CustomerSubscriptionWrites writes) {
    this.arm = arm;
    this.reads = reads;
    this.writes = writes;
  }

  void register(Router router) {
    router.get(AzureStackApi.ITEM + "/customerSubscriptions", this::list);
    router.get(AzureStackApi.CUSTOMER_SUBSCRIPTION, this::get);
    router.put(AzureStackApi.CUSTOMER_SUBSCRIPTION, this::put);
    router.delete(AzureStackApi.CUSTOMER_SUBSCRIPTION, this::delete);
    router.get(AzureStackApi.ITEM + "/customerSubscriptionHistory", this::history);
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
    CUSTOMER_SUBSCRIPTION_VERSIONS.require(ex);
    ResourceId registration = AzureStackApi.registration(ex);
    return writes.delete(AccessControl.caller(ex), registration,
        ex.pathParam("customerSubscriptionName"), Preconditions.of(ex)) ? Reply.empty(200) : Reply.empty(204);
  }

  private Reply put(Exchange ex) throws Exception {
    CUSTOMER_SUBSCRIPTION_VERSIONS.require(ex);
    // The caller first: a stranger learns "not found" before anything about its body.
    ResourceId registration = AzureStackApi.registration(ex);
    CustomerSubscriptionWrites.Write write = writes.writable(AccessControl.caller(ex), registration);
    ArmResource mapping = write.put(ex.pathParam("customerSubscriptionName"), arm.body().optional(ex),
        Preconditions.of(ex));
    // 200 whether made or replaced: the published CustomerSubscriptions_Create lists only 200, and SDKs
    // generated from it throw on anything else (a 201 here broke every typed SDK).
    return Arm.resource(200, mapping);
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
