/**
 * Usage on the deployment: the events resource providers report, the intake that validates,
 * deduplicates and makes them durable before acknowledging (taking no usage older than the
 * operator's {@code maxUsageAge} setting, and remembering eventIds for that window only), the log
 * that carries them to the aggregator and the watermark that says which of its hours are closed
 * (both interfaces, the database's table and the intake's lock by default; on Kafka, a topic whose
 * partitions each hold some subscriptions' events, the rows still in the database), the hourly and
 * daily aggregates by reported time (folded a partition at a time, on Kafka by the members of a
 * consumer group: {@code AggregationGroup}), and the tenant and provider usage
 * APIs ({@code Microsoft.Commerce/usageAggregates}, {@code Microsoft.Commerce.Admin/subscriberUsageAggregates})
 * that read them, and the read of closed reported hours ({@code Usage.closedBefore},
 * {@code reportedHours}, {@code readHour}) the usage bridge ships from. Whose usage a caller reads
 * (its own subscription's; a provider's, its direct tenants') is decided in {@code UsageReads}.
 */
package org.stackledger.usage;
