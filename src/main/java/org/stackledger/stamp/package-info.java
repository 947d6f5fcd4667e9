/**
 * The deployment (stamp): its CloudId, region, external domain and identity system, fixed at first
 * start, and its registration state — the activations made from the cloud's activation keys, history
 * kept — with the admin API ({@code Microsoft.AzureBridge.Admin}) on the stack admin ARM endpoint.
 */
package org.stackledger.stamp;
