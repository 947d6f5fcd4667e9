package org.stackledger.registration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ArmResource;
import org.stackledger.arm.Preconditions;
import org.stackledger.arm.ResourceId;
import org.stackledger.identity.Caller;

/**
 * The operator's multi-tenancy decision on a registration, as a signed-in caller may make it: a
 * root-scope role allowing approve or revoke, checked before anything of the request is read (the same
 * 403 whatever it names). The API and the console both decide through here. Two steps,
 * {@link #deciding} then {@link Decision#on}, so a route checks the caller before it reads the path.
 */
public final class MultiTenancyApprovals {
  private final Arm arm;
  private final AccessControl access;

  MultiTenancyApprovals(Arm arm) {
    this.arm = arm;
    this.access = AccessControl.of(arm);
  }

  /** The caller's right to approve ({@code true}) or revoke multi-tenancy. */
  public Decision deciding(Caller caller, boolean approve) {
    access.requireRoot(caller, approve ? AzureStackApi.APPROVE : AzureStackApi.REVOKE);
    return new Decision(caller, approve);
  }

  /** A decision a caller was allowed to make; only {@link MultiTenancyApprovals} makes one. */
  public final class Decision {
    private final Caller caller;
    private final boolean approve;

    private Decision(Caller caller, boolean approve) {
      this.caller = caller;
      this.approve = approve;
    }

    /** Records the decision on the registration, its instant and who made it; answers the registration. */
    public ArmResource on(ResourceId registration) {
      ArmResource current = RegistrationRoutes.existing(arm, registration);
      ObjectNode body = current.body().deepCopy();
      ObjectNode p = (ObjectNode) body.path("properties");
      String now = arm.clock().instant().toString();
      p.put("multiTenancyApproved", approve);
      p.put(approve ? "multiTenancyApprovedOn" : "multiTenancyRevokedOn", now);
      p.put(approve ? "multiTenancyApprovedBy" : "multiTenancyRevokedBy", caller.objectId());
      return arm.resources().put(registration.subscriptionId(), registration, AzureStackApi.REGISTRATIONS, body,
          new Preconditions(current.etag(), null)).resource();
    }
  }
}
