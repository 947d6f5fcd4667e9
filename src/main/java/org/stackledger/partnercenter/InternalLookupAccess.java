package org.stackledger.partnercenter;

import org.stackledger.arm.Arm;
import org.stackledger.http.Exchange;
import org.stackledger.identity.Caller;

/**
 * Who may use Partner Center's internal subscription look-up ({@code /internal/v1/subscriptions/{id}}):
 * the platform's own service principal in the home tenant — the registration provider asking through
 * {@link PartnerCenterClient} — or an operator principal whose root-scope role allows
 * {@code Stackledger.PartnerCenter/subscriptions/read}. Anyone else is refused as the root-scope check
 * refuses (403). It lives with Partner Center, not in the wiring, so the rule is read where it applies.
 */
final class InternalLookupAccess implements PartnerCenterRoutes.PlatformCheck {
  static final String ACTION = "Stackledger.PartnerCenter/subscriptions/read";

  private final Arm arm;
  private final String platformObjectId;
  private final String homeTenantId;

  InternalLookupAccess(Arm arm, String platformObjectId, String homeTenantId) {
    this.arm = arm;
    this.platformObjectId = platformObjectId;
    this.homeTenantId = homeTenantId;
  }

  @Override
  public void require(Exchange exchange) {
    boolean platform = exchange.attribute(Caller.class)
        .map(c -> c.objectId().equals(platformObjectId) && c.tenantId().equals(homeTenantId)).orElse(false);
    if (!platform) {
      arm.authorizeRoot(exchange, ACTION);
    }
  }
}
