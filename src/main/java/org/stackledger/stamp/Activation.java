package org.stackledger.stamp;

import java.time.Instant;

/**
 * One activation of the deployment, from one activation key; {@code deactivatedAt} is null while in
 * force. {@code bridgeAppId} and {@code bridgeTenantId} name the client the usage bridge signs in as
 * and its directory; null for activations from keys of earlier versions.
 */
public record Activation(long id, String registrationId, String registrationSubscriptionId, String cloudId,
    String billingModel, boolean usageReportingEnabled, boolean marketplaceSyndicationEnabled, String agreementNumber,
    String objectId, String keyId, Instant expiresAt, Instant activatedAt, Instant deactivatedAt, String bridgeAppId,
    String bridgeTenantId) {
  /** An activation without a bridge client, as earlier versions recorded them. */
  public Activation(long id, String registrationId, String registrationSubscriptionId, String cloudId,
      String billingModel, boolean usageReportingEnabled, boolean marketplaceSyndicationEnabled, String agreementNumber,
      String objectId, String keyId, Instant expiresAt, Instant activatedAt, Instant deactivatedAt) {
    this(id, registrationId, registrationSubscriptionId, cloudId, billingModel, usageReportingEnabled,
        marketplaceSyndicationEnabled, agreementNumber, objectId, keyId, expiresAt, activatedAt, deactivatedAt, null, null);
  }

  /** Registered, Expired or (ended) Not registered, at an instant. */
  public String status(Instant now) {
    if (deactivatedAt != null) {
      return "Not registered";
    }
    return now.isBefore(expiresAt) ? "Registered" : "Expired";
  }
}
