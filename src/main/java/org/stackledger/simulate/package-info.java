/**
 * A deterministic stand-in for a deployment's resource providers: from a seed, tenant subscriptions
 * and a time range it makes the {@link org.stackledger.usage.UsageEvent}s that Compute, Storage,
 * Network, App Service and the SQL/MySQL adapters would report hour by hour, cheaply enough to feed
 * millions of events to a benchmark. Every value is a pure function of the seed, the inputs and the
 * hour, so the same inputs give the same bytes. It sends nothing anywhere and has no command line of
 * its own; callers decide where the events go.
 */
package org.stackledger.simulate;
