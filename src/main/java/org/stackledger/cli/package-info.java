/**
 * The {@code stackledger} command line (picocli): {@code serve}, {@code version} and the operator
 * verbs, which talk to a running server over HTTPS, trust its own certificate and sign in with one
 * of the named profiles of the data folder ({@code Profiles}). What every verb
 * shares lives here once: the connection ({@code Connection}), the output options and formats
 * ({@code Output}, {@code View}), progress ({@code Progress}) and the advice after a refusal
 * ({@code Refusals}); a verb states only its request and its columns. No server code lives here.
 */
package org.stackledger.cli;
