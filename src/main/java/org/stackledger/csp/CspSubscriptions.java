package org.stackledger.csp;

import java.util.Optional;

/**
 * What the registration provider asks Partner Center about an Azure subscription before it maps a
 * tenant onto a registration: which offer it was bought under, in which directory tenant it lives and
 * which CSP partner it rolls up to. In Azure this lookup crosses a service boundary that can fail;
 * here too it is an HTTP call to the Partner Center endpoint, and a failure is
 * {@link UnavailableException} (the registration provider answers 502
 * {@code MetadataResolverBadGatewayError}).
 */
public interface CspSubscriptions {
  /** An Azure subscription as Partner Center knows it. */
  record CspSubscription(
      /** The Azure subscription id, which is also its Partner Center subscription id. */
      String subscriptionId,
      /** The offer, e.g. {@code MS-AZR-0145P} (CSP). */
      String offerId,
      /** The directory tenant the subscription lives in. */
      String tenantId,
      /**
       * The partner that answers for it to Microsoft: the direct partner, or for an indirect
       * reseller's customer the indirect provider. "The same CSP" means the same billing partner.
       */
      String billingPartnerId,
      /** Active, Suspended or Deleted. */
      String status) {

    /** True for an Azure subscription in the CSP offer. */
    public boolean isCsp() {
      return OfferIds.CSP.equalsIgnoreCase(offerId);
    }
  }

  /** The lookup could not be completed: Partner Center did not answer, or answered with a fault. */
  final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * The subscription, or empty when Partner Center knows no subscription with this id.
   *
   * @throws UnavailableException when Partner Center cannot be asked
   */
  Optional<CspSubscription> find(String subscriptionId);
}
