/**
 * Partner Center, the cloud plane's seller of Azure subscriptions: CSP partners (direct, indirect
 * provider, indirect reseller) with their own directory tenants, their customers (each with one or
 * more directory tenants; a customer's id is its first tenant's id) and the Azure subscriptions
 * bought for them, each under an offer and rolled up to a billing partner.
 *
 * <p>Three faces: the Partner Center REST API on the partnerCenter endpoint ({@link PartnerCenterRoutes},
 * Partner Center's JSON and error shapes, scoped to the caller's partner by {@link PartnerAccount},
 * which the console calls too), the operator's verbs at the
 * cloud ARM endpoint's root scope ({@link PartnerAdminRoutes}, {@code /providers/Stackledger.PartnerCenter}),
 * and {@link PartnerCenterClient}, the HTTPS client through which the registration provider asks
 * about a subscription ({@link org.stackledger.csp.CspSubscriptions}). {@link PartnerCenterFeature} puts
 * them together and registers both route sets; who may use the internal look-up (the platform's own
 * principal, or an operator with the root-scope right) is decided here too, not in the wiring.
 */
package org.stackledger.partnercenter;
