/**
 * The operator's HTTPS API for the identity plane, {@code /providers/Stackledger.Identity/...} on the
 * cloud ARM endpoint (api-version 2026-11-01): directory tenants, their service principals, users
 * and guest memberships, principal look-up and token signing keys. It sits at the root scope, above
 * every subscription, so only principals holding a root-scope role that allows the action may call
 * it (the bootstrap admin holds Owner there); everyone else gets 403 {@code AuthorizationFailed}.
 * The directory itself (storage, hashing, tokens) stays in {@link org.stackledger.directory}.
 */
package org.stackledger.identityadmin;
