package org.stackledger.http;

/**
 * One endpoint role served on its own port: a name (the key in {@code endpoints.json}), its routes,
 * the envelope its errors take and how it authenticates callers.
 */
public record Site(String name, int port, Router router, ErrorFormat errors, Authenticator authenticator) {}
