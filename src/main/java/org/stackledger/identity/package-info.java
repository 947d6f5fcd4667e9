/**
 * Who is calling: bearer-token validation ({@link org.stackledger.identity.TokenValidator}), the
 * authenticator the ARM endpoints use, the verified {@link org.stackledger.identity.Caller} and the
 * interfaces through which issuers (the built-in directory, external OIDC providers) supply their
 * keys. Plumbing: it imports no feature.
 */
package org.stackledger.identity;
