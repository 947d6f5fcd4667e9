/**
 * Benchmarks behind {@code stackledger bench}: each starts a throw-away deployment (embedded store
 * or PostgreSQL), drives it as its clients would — HTTPS batches to the usage intake, library calls,
 * usage API queries, the bridge's usage uploads to commerce; or, for the intake's idempotency memory,
 * a long history of keys in the real log and restarts over it — and prints throughput, latency
 * percentiles or memory and restart time with the command's settings, so
 * the README's figures can be reproduced on any machine. Progress (the events or records done of the
 * run's total) goes to a {@code Consumer<String>} the CLI gives, read outside the timed stretches.
 */
package org.stackledger.bench;
