package org.stackledger.http;

import java.util.Map;

/**
 * Sees each request the routes answered, with the answer, just before it is written. The contract
 * tests use it to check every response against the API description; the server itself knows
 * nothing of what is done with it. An observer runs on the request thread and must not throw.
 */
@FunctionalInterface
public interface ExchangeObserver {
  /** The default: nobody watches. */
  ExchangeObserver NONE = exchange -> {};

  void observed(Observed exchange);

  /**
   * One answered request.
   *
   * @param site            the endpoint role's name, as in {@link Site#name()}
   * @param template        the template of the route that answered, or {@code null} when no route
   *                        matched (404/405) or the server was not ready
   * @param rawQuery        the query string as sent, empty when there is none
   * @param requestHeaders  the request's headers (the last value of a repeated one)
   * @param responseHeaders the headers the route set (not those every answer carries)
   * @param contentType     the response body's media type, or {@code null} without a body
   * @param body            the response body, or {@code null}
   */
  record Observed(String site, String method, String template, String path, String rawQuery,
      Map<String, String> requestHeaders, int status, Map<String, String> responseHeaders, String contentType,
      byte[] body) {}
}
