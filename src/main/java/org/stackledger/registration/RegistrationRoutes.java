package org.stackledger.registration;

import static org.stackledger.registration.AzureStackApi.NAMESPACE;
import static org.stackledger.registration.AzureStackApi.REGISTRATIONS;
import static org.stackledger.registration.AzureStackApi.REGISTRATION_VERSIONS;

import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ArmResource;
import org.stackledger.arm.Paging;
import org.stackledger.arm.Preconditions;
import org.stackledger.arm.ResourceId;
import org.stackledger.arm.ResourceStore;
import org.stackledger.http.Exchange;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;

/**
 * Registrations ({@code Microsoft.AzureStack/registrations}): PUT, PATCH, GET, DELETE and the lists by
 * resource group and by subscription. A registration is bound to the CloudId of its token for life;
 * creating one makes the deployment's bridge service principal in the subscription's directory and
 * gives it Azure Stack Registration Owner on the registration; the token's bridge certificate, when
 * it has one, becomes a key credential of that principal. The reads go through
 * {@link RegistrationReads} and the writes through {@link RegistrationWrites} as the request's caller,
 * which decide what it may see and change.
 */
final class RegistrationRoutes {
  private final Arm arm;
  private final RegistrationReads reads;
  private final RegistrationWrites writes;

  RegistrationRoutes(Arm arm, RegistrationReads reads, RegistrationWrites writes) {
    this.arm = arm;
    this.reads = reads;
    this.writes = writes;
  }

  void register(Router router) {
    router.get("/subscriptions/{subscriptionId}/providers/" + NAMESPACE + "/registrations", this::listBySubscription);
    router.get(AzureStackApi.RG + "/registrations", this::listByGroup);
    router.put(AzureStackApi.ITEM, ex -> write(ex, false));
    router.patch(AzureStackApi.ITEM, ex -> write(ex, true));
    router.get(AzureStackApi.ITEM, this::get);
    router.delete(AzureStackApi.ITEM, this::delete);
  }

  /** The registration, or ARM's 404 for a missing resource. */
  static ArmResource existing(Arm arm, ResourceId id) {
    return arm.resources().get(id.subscriptionId(), id).orElseThrow(() -> Problem.notFound("ResourceNotFound",
        "The Resource '" + REGISTRATIONS + "/" + id.name() + "' under resource group '" + id.resourceGroup().orElse("")
            + "' was not found."));
  }

  private Reply get(Exchange ex) {
    REGISTRATION_VERSIONS.require(ex);
    return Arm.resource(200, reads.registration(AccessControl.caller(ex), AzureStackApi.registration(ex)));
  }

  private Reply write(Exchange ex, boolean patch) throws Exception {
    REGISTRATION_VERSIONS.require(ex);
    // The caller first: a stranger learns "not found" before anything about its body.
    ResourceId id = AzureStackApi.registration(ex);
    RegistrationWrites.Write write = writes.writable(AccessControl.caller(ex), id);
    ResourceStore.PutResult result = write.put(arm.body().required(ex), patch, Preconditions.of(ex));
    return Arm.resource(result.created() ? 201 : 200, result.resource());
  }

  private Reply delete(Exchange ex) {
    REGISTRATION_VERSIONS.require(ex);
    ResourceId id = AzureStackApi.registration(ex);
    return writes.delete(AccessControl.caller(ex), id, Preconditions.of(ex))
        ? Reply.empty(200) : Reply.empty(204);
  }

  private Reply listByGroup(Exchange ex) {
    REGISTRATION_VERSIONS.require(ex);
    ResourceId group = ResourceId.resourceGroup(ex.pathParam("subscriptionId"), ex.pathParam("resourceGroupName"));
    RegistrationReads.Listing listing = reads.inResourceGroup(AccessControl.caller(ex), group);
    Paging.Cursor cursor = arm.paging().cursor(ex);
    return Reply.json(200, arm.paging().page(ex, cursor, listing.page(cursor), r -> r.id().key(), ArmResource::toJson));
  }

  private Reply listBySubscription(Exchange ex) {
    REGISTRATION_VERSIONS.require(ex);
    RegistrationReads.Listing listing = reads.inSubscription(AccessControl.caller(ex), ex.pathParam("subscriptionId"));
    Paging.Cursor cursor = arm.paging().cursor(ex);
    return Reply.json(200, arm.paging().page(ex, cursor, listing.page(cursor), r -> r.id().key(), ArmResource::toJson));
  }
}
