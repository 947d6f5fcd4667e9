/**
 * What a feature says when it refuses: a {@link org.stackledger.problem.Problem} of one of a few
 * kinds (invalid input naming its field, not found, conflict, forbidden, unavailable, ...), a
 * machine-readable code and a sentence for a person. Nothing here knows HTTP: the same refusal
 * reaches an HTTP client as an ARM, OAuth or Partner Center error envelope (mapped once, at the edge,
 * in {@code org.stackledger.http}), and a Kafka consumer or a CLI verb calling the service directly
 * as a typed exception it can catch. Plumbing; it imports nothing of the program.
 */
package org.stackledger.problem;
