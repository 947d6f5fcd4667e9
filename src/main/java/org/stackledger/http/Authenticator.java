package org.stackledger.http;

/**
 * Establishes who is calling before a non-anonymous route runs. It records the caller on the
 * exchange with {@link Exchange#attribute(Class, Object)} and throws an {@link ApiException} (401)
 * when the request carries no acceptable credential.
 */
@FunctionalInterface
public interface Authenticator {
  Authenticator NONE = exchange -> { };

  void authenticate(Exchange exchange);
}
