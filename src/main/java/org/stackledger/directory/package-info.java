/**
 * The built-in identity provider of the cloud plane, compatible with Microsoft Entra ID: directory
 * tenants, users and service principals with their hashed secrets and certificate credentials
 * (signing in with a client assertion), guest memberships, the persisted RSA signing keys and their
 * rotation, token issuance and the OpenID discovery, JWKS, authorize (the authorization-code flow with
 * PKCE, its sign-in page, codes and rotated refresh tokens kept hashed in the database, applications'
 * redirect URIs, the process's first-party clients), sign-out and token endpoints with their defences
 * (smart lockout per principal and address, password hashing on a bounded pool, equal work for
 * unknown names). It also tells the ARM endpoints which issuers it vouches for.
 */
package org.stackledger.directory;
