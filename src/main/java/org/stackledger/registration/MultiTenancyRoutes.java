package org.stackledger.registration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ArmResource;
import org.stackledger.arm.Preconditions;
import org.stackledger.arm.ResourceId;
import org.stackledger.http.Exchange;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.identity.Caller;

/**
 * Multi-tenancy approval: in Azure, Microsoft approved a CSP's registration (after an email to
 * azstCSP@microsoft.com) before tenants could be added. Here the operator does, with a root-scope
 * role: {@code POST …/registrations/{name}/approveMultiTenancy} and {@code …/revokeMultiTenancy}.
 * The registration shows the decision, its instant and who made it.
 */
final class MultiTenancyRoutes {
  /** The properties a registration re-PUT keeps. */
  static final List<String> APPROVAL_FIELDS = List.of("multiTenancyApproved", "multiTenancyApprovedOn",
      "multiTenancyApprovedBy", "multiTenancyRevokedOn", "multiTenancyRevokedBy");

  private final Arm arm;

  MultiTenancyRoutes(Arm arm) {
    this.arm = arm;
  }

  void register(Router router) {
    router.post(AzureStackApi.ITEM + "/approveMultiTenancy", ex -> decide(ex, true));
    router.post(AzureStackApi.ITEM + "/revokeMultiTenancy", ex -> decide(ex, false));
  }

  private Reply decide(Exchange ex, boolean approve) {
    // Root scope first, before anything of the request is read: the same 403 whatever it names.
    arm.authorizeRoot(ex, approve ? AzureStackApi.APPROVE : AzureStackApi.REVOKE);
    AzureStackApi.REGISTRATION_VERSIONS.require(ex);
    ResourceId id = AzureStackApi.registration(ex);
    ArmResource current = RegistrationRoutes.existing(arm, id);
    ObjectNode body = current.body().deepCopy();
    ObjectNode p = (ObjectNode) body.path("properties");
    String who = ex.attribute(Caller.class).map(Caller::objectId).orElse("");
    String now = arm.clock().instant().toString();
    p.put("multiTenancyApproved", approve);
    p.put(approve ? "multiTenancyApprovedOn" : "multiTenancyRevokedOn", now);
    p.put(approve ? "multiTenancyApprovedBy" : "multiTenancyRevokedBy", who);
    return Arm.resource(200, arm.resources().put(id.subscriptionId(), id, AzureStackApi.REGISTRATIONS, body,
        new Preconditions(current.etag(), null)).resource());
  }
}
