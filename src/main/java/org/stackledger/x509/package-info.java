/**
 * X.509 certificates made in process: a small DER writer and a self-signed certificate builder for
 * RSA and EC keys, with subject alternative names when a TLS server needs them. The JDK parses and
 * verifies certificates but has no public API to make one, and forking {@code keytool} costs a JVM
 * start and puts the key store password on a command line; this is the one way the program makes
 * certificates, for the HTTPS server's own identity and for key credentials alike. Plumbing: it
 * imports no feature and no other package of the program.
 */
package org.stackledger.x509;
