package org.stackledger.console.partner;

import java.util.Map;

/**
 * The registration provider's eight refusals of a customer subscription, in words a partner can act
 * on (the README's table, from the spec): shown beside the code and the API's own message.
 */
final class CustomerSubscriptionRefusals {
  private static final Map<String, String> WORDS = Map.of(
      "RegistrationNotFound", "There is no such registration: check its subscription, resource group and name.",
      "CustomerSubscriptionsNotAllowed", "This registration's billing model is Capacity or Development, not "
          + "PayAsYouUse, so no customer's subscription can be billed through it.",
      "UnauthorizedCspRegistration", "This registration is not approved for multi-tenancy yet: ask the operator to "
          + "approve it (in Azure, azstCSP@microsoft.com).",
      "InvalidCustomerSubscriptionId", "The id is not a subscription id (a GUID), or Partner Center knows no such "
          + "subscription that is not deleted.",
      "InvalidCSPSubscription", "The subscription is not a CSP subscription (offer MS-AZR-0145P); only those can be "
          + "added.",
      "BadCustomerSubscriptionId", "The subscription rolls up to another billing partner than this registration's "
          + "subscription, so this registration cannot bill it.",
      "MetadataResolverBadGatewayError", "Partner Center could not be asked about the subscription. Nothing changed; "
          + "try again shortly.",
      "CustomerSubscriptionNotFound", "That subscription is not on this registration: it was never added, or was "
          + "removed or replaced.");

  private CustomerSubscriptionRefusals() {}

  /** The words for a code, or {@code null} for a refusal that is not one of the eight. */
  static String words(String code) {
    return WORDS.get(code);
  }

  static java.util.Set<String> codes() {
    return WORDS.keySet();
  }
}
