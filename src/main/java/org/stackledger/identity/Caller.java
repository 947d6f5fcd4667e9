package org.stackledger.identity;

import java.util.Optional;

/**
 * Who made a request, as its verified bearer token says: the directory tenant the token was issued
 * by ({@code tid}), the object id of the user or service principal ({@code oid}), the application it
 * signed in through ({@code appid}/{@code azp}) and, for users, the sign-in name.
 *
 * @param issuer the token's issuer, so callers can tell the built-in directory from external ones
 */
public record Caller(String tenantId, String objectId, String appId, Optional<String> userPrincipalName, String issuer) {}
