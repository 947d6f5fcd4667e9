package org.stackledger.directory;

/** A service principal just created, with its client secret: the only time the secret is shown. */
public record NewServicePrincipal(Principal principal, String clientSecret) {}
