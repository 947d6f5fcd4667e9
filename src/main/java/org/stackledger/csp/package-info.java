/**
 * The contract between Partner Center and the registration provider: how the provider learns an
 * Azure subscription's offer, directory tenant and billing partner. Partner Center implements it;
 * the registration provider consumes it through an HTTP client, so the boundary can fail as it can in
 * Azure.
 */
package org.stackledger.csp;
