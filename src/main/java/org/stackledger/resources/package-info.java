/**
 * The Microsoft.Resources basics of the cloud ARM endpoint that the seed workflow needs:
 * subscriptions, resource groups, resource-provider registration and the generic resource lists.
 * Other features ask {@link org.stackledger.resources.ProviderRegistrations} whether a subscription
 * registered their namespace.
 */
package org.stackledger.resources;
