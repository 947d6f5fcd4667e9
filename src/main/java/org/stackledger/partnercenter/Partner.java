package org.stackledger.partnercenter;

import java.time.Instant;

/**
 * A CSP partner: its id, name, kind, its own directory tenant and, for an indirect reseller, the
 * indirect provider it sells through.
 */
public record Partner(String partnerId, String name, PartnerKind kind, String indirectProviderId, String tenantId,
    Instant createdAt) {

  /** The partner that answers to Microsoft for what this partner sells: itself, or its indirect provider. */
  public String billingPartnerId() {
    return kind == PartnerKind.IndirectReseller && indirectProviderId != null ? indirectProviderId : partnerId;
  }
}
