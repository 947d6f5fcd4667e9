package org.stackledger.stamp;

import java.time.Instant;

/** One activation of the deployment, from one activation key; {@code deactivatedAt} is null while in force. */
public record Activation(long id, String registrationId, String registrationSubscriptionId, String cloudId,
    String billingModel, boolean usageReportingEnabled, boolean marketplaceSyndicationEnabled, String agreementNumber,
    String objectId, String keyId, Instant expiresAt, Instant activatedAt, Instant deactivatedAt) {
  /** Registered, Expired or (ended) Not registered, at an instant. */
  public String status(Instant now) {
    if (deactivatedAt != null) {
      return "Not registered";
    }
    return now.isBefore(expiresAt) ? "Registered" : "Expired";
  }
}
