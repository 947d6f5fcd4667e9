/**
 * The composition root: {@link org.stackledger.app.Stackledger} opens the store, builds what both
 * planes share ({@code Shared}: the store, the built-in directory with its signing keys, token issuer
 * and administration, role assignments, the ARM conventions, the first-start objects, the meter
 * catalogue, and each ARM endpoint's metadata), then the planes asked for — {@code CloudPlane} unless
 * {@code --cloud} names another process's cloud, and {@code StackPlane} always — and each registers
 * its features' routes on the endpoint roles ({@code Endpoints}), one routing call per feature. A
 * process without the cloud plane reaches its cloud over HTTPS, as a full process reaches its own, and
 * serves and advertises nothing of it. Only this package and the CLI may import features and plumbing
 * alike; no feature imports it (the CLI, the simulator and the benchmarks start it).
 */
package org.stackledger.app;
