package org.stackledger.http;

/**
 * How one endpoint role writes a failure. ARM endpoints answer with ARM's error envelope, the
 * identity endpoint with OAuth 2.0 error bodies, Partner Center with its own shape.
 */
@FunctionalInterface
public interface ErrorFormat {
  Reply render(ApiException error, Exchange exchange);
}
