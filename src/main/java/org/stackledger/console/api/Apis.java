package org.stackledger.console.api;

/**
 * The APIs the console is a client of, and the operator's subscription the deployment's admin routes
 * are addressed under (its Default Provider Subscription).
 */
public record Apis(Api cloud, Api stackAdmin, Api stackTenant, Api partnerCenter, String operatorSubscriptionId) {}
