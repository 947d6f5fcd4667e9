/**
 * A deployment's offers, plans and user subscriptions (Azure Stack's {@code Microsoft.Subscriptions.Admin}
 * for the operator on the stack admin endpoint, {@code Microsoft.Subscriptions} for tenants on the stack
 * tenant endpoint). Plans group services with a vCPU quota, offers group base plans, and user
 * subscriptions are made from offers for a directory tenant, directly under the operator or under a
 * delegated provider. {@link org.stackledger.usersubscriptions.UserSubscriptions} is the store other
 * features read (which provider's direct tenant a subscription is) and where a tenant's own
 * subscriptions are decided for a caller ({@code own}); routes and the plan and offer store
 * stay package-private. Usage, billing and quota enforcement do not live here.
 */
package org.stackledger.usersubscriptions;
