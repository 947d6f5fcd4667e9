/**
 * Test fixtures: a real server on free ports ({@link org.stackledger.testing.TestServer}), a client
 * that trusts its certificate, and fresh databases of each {@link org.stackledger.testing.Engine}.
 */
package org.stackledger.testing;
