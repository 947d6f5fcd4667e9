/**
 * Who is calling: the caller established from a bearer token and the authenticators the endpoint
 * roles use. Plumbing: features read the {@link org.stackledger.identity.Caller}; this package
 * imports no feature.
 */
package org.stackledger.identity;
