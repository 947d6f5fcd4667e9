package org.stackledger.registration;

import java.util.List;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.http.Exchange;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;

/**
 * Multi-tenancy approval: in Azure, Microsoft approved a CSP's registration (after an email to
 * azstCSP@microsoft.com) before tenants could be added. Here the operator does, with a root-scope
 * role: {@code POST …/registrations/{name}/approveMultiTenancy} and {@code …/revokeMultiTenancy}.
 * The registration shows the decision, its instant and who made it ({@link MultiTenancyApprovals}).
 */
final class MultiTenancyRoutes {
  /** The properties a registration re-PUT keeps. */
  static final List<String> APPROVAL_FIELDS = List.of("multiTenancyApproved", "multiTenancyApprovedOn",
      "multiTenancyApprovedBy", "multiTenancyRevokedOn", "multiTenancyRevokedBy");

  private final MultiTenancyApprovals approvals;

  MultiTenancyRoutes(MultiTenancyApprovals approvals) {
    this.approvals = approvals;
  }

  void register(Router router) {
    router.post(AzureStackApi.ITEM + "/approveMultiTenancy", ex -> decide(ex, true));
    router.post(AzureStackApi.ITEM + "/revokeMultiTenancy", ex -> decide(ex, false));
  }

  private Reply decide(Exchange ex, boolean approve) {
    // Root scope first, before anything of the request is read: the same 403 whatever it names.
    MultiTenancyApprovals.Decision decision = approvals.deciding(AccessControl.caller(ex), approve);
    AzureStackApi.REGISTRATION_VERSIONS.require(ex);
    return Arm.resource(200, decision.on(AzureStackApi.registration(ex)));
  }
}
