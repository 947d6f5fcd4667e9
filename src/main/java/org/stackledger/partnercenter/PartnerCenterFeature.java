package org.stackledger.partnercenter;

import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.access.RoleAssignments;
import org.stackledger.arm.Arm;
import org.stackledger.csp.CspSubscriptions;
import org.stackledger.directory.Directory;
import org.stackledger.http.Router;

/**
 * Partner Center put together: its store of partners, customers and subscriptions, the HTTPS client
 * the registration provider asks it through, and its two route sets — the Partner Center REST API on
 * the partnerCenter endpoint and the operator's verbs at the cloud ARM endpoint's root scope.
 */
public final class PartnerCenterFeature {
  private final PartnerCenter partnerCenter;
  private final PartnerCenterClient client;
  private final Arm arm;
  private final Directory directory;
  private final PartnerCenterRoutes.PlatformCheck internalLookup;
  private final PartnerAdmin admin;

  /**
   * @param platformObjectId the platform's own service principal, the one {@code client} signs in as; it
   *                         alone (besides the operator) may use the internal look-up
   * @param client           where the client reaches the partnerCenter endpoint and how it signs in
   */
  public PartnerCenterFeature(Jdbi jdbi, Clock clock, Arm arm, Directory directory, RoleAssignments roles,
      String platformObjectId, PartnerCenterClient.Settings client) {
    this.partnerCenter = new PartnerCenter(jdbi, clock, directory, roles);
    this.client = new PartnerCenterClient(client);
    this.arm = arm;
    this.directory = directory;
    // The platform principal lives in the tenant the client signs in to: the home tenant.
    this.internalLookup = new InternalLookupAccess(arm, platformObjectId, client.tenantId());
    this.admin = new PartnerAdmin(arm, partnerCenter, directory);
  }

  public PartnerCenter partnerCenter() {
    return partnerCenter;
  }

  /** Partner Center as the registration provider consumes it: over HTTPS, as the platform principal. */
  public CspSubscriptions client() {
    return client;
  }

  /** The Partner Center REST API, on the partnerCenter endpoint. */
  public void registerPartnerCenterApi(Router router) {
    PartnerCenterRoutes.register(router, partnerCenter, arm.body(), internalLookup);
  }

  /** The operator's verbs ({@code /providers/Stackledger.PartnerCenter}), on the cloud ARM endpoint. */
  public void registerOperatorApi(Router router) {
    PartnerAdminRoutes.register(router, arm, admin, directory);
  }

  /** The operator's Partner Center verbs as a signed-in caller may use them (the console's way in). */
  public PartnerAdmin admin() {
    return admin;
  }
}
