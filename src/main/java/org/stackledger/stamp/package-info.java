/**
 * The deployment (stamp): its CloudId, region, external domain and identity system, fixed at first
 * start, and its registration state — the activations made from the cloud's activation keys, history
 * kept — with the admin API ({@code Microsoft.AzureBridge.Admin}) on the stack admin ARM endpoint, and
 * the usage bridge's identity: the bridge key (its certificate travels in registration tokens, its
 * private key never leaves) and the sign-in to the cloud as the registration's service principal.
 */
package org.stackledger.stamp;
