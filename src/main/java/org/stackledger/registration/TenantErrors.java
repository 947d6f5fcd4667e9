package org.stackledger.registration;

import org.stackledger.problem.Problem;

/**
 * The eight tenant-registration error codes of the original service (the "utilization tracking
 * error codes" table), with its message facts filled in. The HTTP statuses were never documented;
 * ours are in the README's error table.
 */
final class TenantErrors {
  private TenantErrors() {}

  static Problem registrationNotFound(String subscriptionId, String resourceGroup, String registrationName) {
    return Problem.notFound("RegistrationNotFound", "Registration not found. Check 1) Subscription Identifier "
        + "(value provided: " + subscriptionId + "), 2) Resource Group (value provided: " + resourceGroup
        + "), 3) Registration Name (value provided: " + registrationName + ").");
  }

  static Problem badCustomerSubscriptionId(String customerSubscriptionId, String registrationName) {
    return Problem.forbidden("BadCustomerSubscriptionId", "customerSubscriptionName", "The Customer Subscription Identifier "
        + customerSubscriptionId + " and the registration " + registrationName + " Subscription Identifier are not "
        + "owned by the same Microsoft Cloud Service Provider. Check that the Customer Subscription Identifier is "
        + "correct; if the problem persists, contact support.");
  }

  static Problem invalidCustomerSubscriptionId(String customerSubscriptionId) {
    return Problem.invalid("InvalidCustomerSubscriptionId", "customerSubscriptionName", "The customer subscription identifier '"
        + customerSubscriptionId + "' is not valid. Provide a valid Azure subscription.");
  }

  static Problem customerSubscriptionNotFound(String customerSubscriptionId, String registrationName) {
    return Problem.notFound("CustomerSubscriptionNotFound", "The Customer Subscription Identifier "
        + customerSubscriptionId + " was not found under registration " + registrationName + ". Make sure a valid "
        + "subscription is used and that it was added with the PUT operation.");
  }

  static Problem unauthorizedCspRegistration(String registrationName) {
    return Problem.forbidden("UnauthorizedCspRegistration", "The registration " + registrationName
        + " is not approved to use multi-tenancy. Send an email to azstCSP@microsoft.com with the registration "
        + "name, resource group and the subscription identifier used in the registration.");
  }

  static Problem customerSubscriptionsNotAllowed() {
    return Problem.conflict("CustomerSubscriptionsNotAllowed", "Customer Subscriptions operations are not "
        + "supported for disconnected customers. To use this feature, re-register with Pay As You Use licensing.");
  }

  static Problem invalidCspSubscription(String customerSubscriptionId) {
    return Problem.invalid("InvalidCSPSubscription", "customerSubscriptionName", "The customer subscription identifier "
        + customerSubscriptionId + " is not a valid CSP subscription. Provide a valid Azure subscription.");
  }

  static Problem metadataResolverBadGateway() {
    return Problem.upstreamFailed("MetadataResolverBadGatewayError", "An upstream server returned an unexpected "
        + "error. Try again later. If the problem persists, contact support.");
  }
}
