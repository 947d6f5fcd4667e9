package org.stackledger.http;

import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The request log: one INFO event per request on the logger {@code stackledger.request}, its fields
 * as key-value pairs (the log file writes them as JSON or logfmt fields): request id, client request
 * id, site, method, route template, path, status, latency and, once authenticated, the caller's
 * tenant, object id and application. Bodies, headers and query strings are never logged: they carry
 * client secrets, passwords, bearer and registration tokens and authorization codes.
 */
public final class RequestLog {
  private static final Logger LOG = LoggerFactory.getLogger("stackledger.request");

  /** Who made the request, as its authenticator recorded it on the exchange. */
  public record Principal(String tenantId, String objectId, String appId) {}

  private RequestLog() {}

  /** A request a route (or the router's refusal) answered. */
  static void served(String site, Exchange exchange, String route, int status, long micros) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LoggingEventBuilder line = start(site, exchange, route, status).addKeyValue("latencyMicros", micros);
    Optional<Principal> who = exchange.attribute(Principal.class);
    if (who.isPresent()) {
      line = line.addKeyValue("tenantId", who.get().tenantId()).addKeyValue("principalId", who.get().objectId())
          .addKeyValue("appId", who.get().appId());
    }
    line.log("{} {} {}", exchange.method(), route, status);
  }

  /** A request Jetty refused before any route saw it (a malformed path or header). */
  static void refused(String site, Exchange exchange, int status) {
    if (LOG.isInfoEnabled()) {
      start(site, exchange, "refused", status).addKeyValue("refusedBy", "jetty")
          .log("{} refused {}", exchange.method(), status);
    }
  }

  private static LoggingEventBuilder start(String site, Exchange exchange, String route, int status) {
    LoggingEventBuilder line = LOG.atInfo().addKeyValue("requestId", exchange.requestId());
    Optional<String> clientRequestId = exchange.header("x-ms-client-request-id");
    if (clientRequestId.isPresent()) {
      line = line.addKeyValue("clientRequestId", clientRequestId.get());
    }
    return line.addKeyValue("site", site).addKeyValue("method", exchange.method()).addKeyValue("route", route)
        .addKeyValue("path", exchange.path()).addKeyValue("status", status);
  }
}
