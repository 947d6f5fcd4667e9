package org.stackledger.identity;

/**
 * Who made a request, as established from its bearer token: the directory tenant, the object id of
 * the user or service principal, and the application it signed in through.
 */
public record Caller(String tenantId, String objectId, String appId) {}
