/**
 * The {@code Microsoft.AzureStack} resource provider of the cloud plane: registrations of Azure Stack
 * deployments (bound to a CloudId by a registration token), their activation keys, multi-tenancy
 * approval by the operator, and customerSubscriptions, which map a customer's directory tenant onto
 * its CSP subscription. Every mapping is kept with the instants it was in force, so billing can ask
 * which subscription pays for a tenant's usage at any hour ({@link RegistrationStore#billedSubscription}).
 * A caller's reads of registrations and customer subscriptions go through {@link RegistrationReads},
 * which checks the caller.
 */
package org.stackledger.registration;
