/**
 * A deployment's user subscriptions (Azure Stack's {@code Microsoft.Subscriptions}), served on the
 * stack ARM endpoints. For now only the list, which is empty: offers, plans and the subscriptions
 * made from them come with a later issue.
 */
package org.stackledger.usersubscriptions;
