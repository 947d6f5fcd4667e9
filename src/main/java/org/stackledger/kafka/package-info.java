/**
 * Apache Kafka plumbing for the scale-out mode ({@code serve --kafka}): the connection settings a
 * Kafka client takes (bootstrap servers, a topic prefix, and any client property — TLS, SASL — from a
 * file, as Kafka's own tools take them), and {@link org.stackledger.kafka.TopicStore}, values appended
 * to a topic and read back by position. Features decide what goes to which topic and which database
 * rows name it; this package knows nothing of usage or commerce.
 */
package org.stackledger.kafka;
