/**
 * The {@code stackledger} command line (picocli): {@code serve}, {@code version} and the operator
 * verbs, which talk to a running server over HTTPS and trust its own certificate.
 */
package org.stackledger.cli;
