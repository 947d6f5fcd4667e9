/**
 * Who is calling: bearer-token validation ({@link org.stackledger.identity.TokenValidator}), the
 * authenticator the ARM endpoints use, the verified {@link org.stackledger.identity.Caller} and the
 * interfaces through which issuers supply their keys: the built-in directory, or an external OIDC
 * issuer trusted by its discovery URL ({@link org.stackledger.identity.OidcIssuer}, with its JWKS
 * cache) — and X.509 certificates as credentials ({@link org.stackledger.identity.Certificates}).
 * Plumbing: it imports no feature.
 */
package org.stackledger.identity;
