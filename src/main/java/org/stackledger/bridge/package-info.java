/**
 * The usage bridge of the stack plane: it finds every closed reported hour of the deployment's usage,
 * keeps it in a durable outbox until the cloud's commerce intake has acknowledged every part of it,
 * and builds the hour's records again from the immutable usage log on each attempt — grouped, summed
 * and cut into batches with deterministic ids, so a re-sent batch is the same bytes and the cloud
 * counts each record once. It ships only while the deployment is registered (its activation in force,
 * not expired, reporting on) and says why when it does not. It reads the usage and stamp features
 * through their public calls; nothing here is read by another feature except through {@link
 * org.stackledger.bridge.Bridge}.
 */
package org.stackledger.bridge;
