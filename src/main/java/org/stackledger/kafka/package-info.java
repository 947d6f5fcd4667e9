/**
 * Apache Kafka plumbing for the scale-out mode ({@code serve --kafka}): the connection settings a
 * Kafka client takes (bootstrap servers, a topic prefix, and any client property — TLS, SASL — from a
 * file, as Kafka's own tools take them); {@link org.stackledger.kafka.TopicStore}, values appended to a
 * topic on every in-sync replica and read back by position; {@link org.stackledger.kafka.GroupMember},
 * a consumer group member that hands each value to a handler and commits offsets only after it
 * returned; {@link org.stackledger.kafka.PartitionOwner}, a member that holds the partitions the group
 * assigns it and works on them without fetching their records, committing how far each is done; and
 * {@link org.stackledger.kafka.ConsumerLag}, a group's lag per partition, as an answer and as meters. Features decide what goes to which topic, which database rows name it and what a value
 * means; this package knows nothing of usage or commerce.
 */
package org.stackledger.kafka;
