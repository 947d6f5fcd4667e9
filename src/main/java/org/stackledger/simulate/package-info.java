/**
 * A deterministic stand-in for a deployment's resource providers. {@link org.stackledger.simulate.Simulation}
 * makes, from a seed, tenant subscriptions and a time range, the {@link org.stackledger.usage.UsageEvent}s
 * that Compute, Storage, Network, App Service and the SQL/MySQL adapters would report hour by hour,
 * cheaply enough to feed millions of events to a benchmark; every value is a pure function of the
 * seed, the inputs and the hour, so the same inputs give the same bytes, and it sends nothing
 * anywhere. {@link org.stackledger.simulate.SimulatedDeployment} is what {@code stackledger simulate}
 * runs: it opens a deployment in process on a clock it sets, makes the seed's tenants and user
 * subscriptions, and posts each hour's events to the HTTPS intake; {@link org.stackledger.simulate.RunningDeployment}
 * posts the same kind of usage for user subscriptions that already exist on a running deployment, as
 * its operator, up to the deployment's own present. {@link org.stackledger.simulate.SimulatedCloud}
 * builds the CSP world around a deployment — partner, customers with CSP subscriptions, registration,
 * activation, guest directories, user subscriptions, mappings — through the HTTPS APIs of whichever
 * process serves each plane. Only the CLI and the benchmarks depend on this package; what a run is
 * doing (phase, hour of the total) reaches the CLI through a plain {@code Consumer<String>}, so this
 * package knows nothing of terminals.
 */
package org.stackledger.simulate;
