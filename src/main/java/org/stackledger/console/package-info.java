/**
 * The web console: server-rendered pages for the operator, partners and customers, served by the same
 * process on its own endpoint role ({@code console}, base port + 5). It is a client of our own REST
 * APIs, not a second way into the data: a signed-in person's pages are built from API calls made with
 * that person's own access tokens, so what the console shows is exactly what the API lets that
 * principal read, through the same access checks. People sign in with the authorization-code flow
 * with PKCE at the process's identity endpoint ({@code OidcSignIn}, the console being its first-party
 * confidential client); sessions live in this process's memory.
 */
package org.stackledger.console;
