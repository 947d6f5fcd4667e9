/**
 * Benchmarks behind {@code stackledger bench}: each starts a throw-away deployment (embedded store
 * or PostgreSQL), drives it as its clients would — HTTPS batches to the usage intake, library calls,
 * usage API queries, the bridge's usage uploads to commerce — and prints throughput or latency percentiles with the command's settings, so
 * the README's figures can be reproduced on any machine. Progress (the events or records done of the
 * run's total) goes to a {@code Consumer<String>} the CLI gives, read outside the timed stretches.
 */
package org.stackledger.bench;
