/**
 * The composition root: {@link org.stackledger.app.Stackledger} opens the store, builds every
 * feature and registers all routes of every endpoint role in one place. Only this package and the
 * CLI may import features and plumbing alike.
 */
package org.stackledger.app;
