package org.stackledger.http;


import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stackledger.problem.Problem;
import org.stackledger.store.OutOfSpace;

/**
 * One Jetty server with a connector per {@link Site}. Every answer carries {@code x-ms-request-id}
 * and echoes {@code x-ms-client-request-id}; every request is logged once ({@link RequestLog}) and
 * timed into the metrics registry. Unexpected failures become a 500 whose body names the request id
 * and never carries a stack trace.
 */
public final class HttpServer {
  private static final Logger ERRORS = LoggerFactory.getLogger(HttpServer.class);

  /**
   * The largest unread request body (declared by Content-Length) read and discarded to keep a
   * connection open; any other unread body closes the connection instead of being received.
   */
  private static final long DRAIN_LIMIT = 64L * 1024;

  private final Server server;
  private final Map<Connector, Site> sites = new IdentityHashMap<>();
  private final Map<String, ServerConnector> connectors = new LinkedHashMap<>();
  private final boolean tls;
  private final MeterRegistry metrics;
  /** How long a stop waits for requests in flight. */
  static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private final GracefulHandler graceful;
  private volatile boolean ready;
  private volatile ExchangeObserver observer = ExchangeObserver.NONE;

  /**
   * @param keyStore PKCS12 key store for HTTPS, or {@code null} to serve plain HTTP
   */
  public HttpServer(String host, List<Site> siteList, KeyStoreFile keyStore, MeterRegistry metrics) {
    this.metrics = metrics;
    this.tls = keyStore != null;
    QueuedThreadPool pool = new QueuedThreadPool(200, 4);
    pool.setName("http");
    // Null before Java 21: blocking handlers then run on platform threads.
    pool.setVirtualThreadsExecutor(VirtualThreads.getDefaultVirtualThreadsExecutor());
    server = new Server(pool);
    // Stopping is drained by hand in stop(): Jetty's own graceful stop (a stop timeout) also waits for
    // every idle keep-alive connection to close, which a client pool holds open for a second or more.
    server.setStopTimeout(0);
    // One TLS context for every connector: they serve the same certificate, and building a context
    // (reading the key store, initialising the SSL engine) is the dearest part of start-up.
    SslContextFactory.Server ssl = null;
    if (keyStore != null) {
      ssl = new SslContextFactory.Server();
      ssl.setKeyStorePath(keyStore.path().toString());
      ssl.setKeyStorePassword(keyStore.password());
      ssl.setKeyStoreType("PKCS12");
      server.addBean(ssl);
    }
    for (Site site : siteList) {
      HttpConfiguration config = new HttpConfiguration();
      config.setSendServerVersion(false);
      config.setSendXPoweredBy(false);
      // The Azure SDK joins its base URL and ids into "//subscriptions/...": accept the empty segment.
      config.setUriCompliance(UriCompliance.DEFAULT.with("arm", UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT));
      ServerConnector connector;
      if (keyStore != null) {
        config.setSecureScheme("https");
        config.addCustomizer(new SecureRequestCustomizer(false));
        connector = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
            new HttpConnectionFactory(config));
      } else {
        connector = new ServerConnector(server, new HttpConnectionFactory(config));
      }
      connector.setHost(host);
      connector.setPort(site.port());
      connector.setName(site.name());
      server.addConnector(connector);
      sites.put(connector, site);
      connectors.put(site.name(), connector);
    }
    // Graceful stop: connectors close first, then requests in flight get up to the stop timeout.
    graceful = new GracefulHandler(new Dispatch());
    server.setHandler(graceful);
    server.setErrorHandler(new Refusals());
  }

  /** A PKCS12 key store on disk and its password. */
  public record KeyStoreFile(java.nio.file.Path path, String password) {}

  /**
   * Opens the ports. Until {@link #ready()} every request is answered 503 with {@code Retry-After},
   * which lets the server bind and load its TLS context while the store is still opening.
   */
  public void start() throws Exception {
    server.start();
  }

  /** Shows every answered request to {@code observer} (the contract tests' hook). */
  public void observe(ExchangeObserver observer) {
    this.observer = observer;
  }

  /** Lets requests through to the routes. */
  public void ready() {
    ready = true;
  }

  /**
   * Stops serving: requests in flight get up to {@link #STOP_GRACE} to finish (new ones are answered
   * 503), then every connection closes, idle keep-alive ones without waiting for their clients.
   */
  public void stop() throws Exception {
    try {
      graceful.shutdown().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // The grace is over; what is still running is cut off by the stop below.
    }
    server.stop();
  }

  /** The base URL of a site, with a trailing slash, as SDKs expect it. */
  public String baseUrl(String site) {
    ServerConnector c = connectors.get(site);
    String host = c.getHost() == null || c.getHost().equals("0.0.0.0") ? "127.0.0.1" : c.getHost();
    return (tls ? "https" : "http") + "://" + host + ":" + c.getLocalPort() + "/";
  }

  public List<String> siteNames() {
    return new ArrayList<>(connectors.keySet());
  }

  private final class Dispatch extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      long started = System.nanoTime();
      Site site = sites.get(request.getConnectionMetaData().getConnector());
      Exchange exchange = new Exchange(request, UUID.randomUUID().toString());
      String template = null;
      Reply reply;
      try {
        if (!ready) {
          throw new ApiException(503, "ServiceUnavailable", "The service is starting; retry shortly.")
              .withHeader("Retry-After", "1");
        }
        exchange.checkQuery();
        Router.Match match = site.router().match(exchange.method(), exchange.path());
        template = match.route().template();
        exchange.pathParams(match.params());
        if (!match.route().anonymous()) {
          site.authenticator().authenticate(exchange);
        }
        reply = match.route().handler().handle(exchange);
      } catch (ApiException e) {
        reply = site.errors().render(e, exchange);
      } catch (Problem p) {
        reply = site.errors().render(ApiException.of(p), exchange);
      } catch (Exchange.BodyTooLargeException e) {
        reply = site.errors().render(new ApiException(413, "RequestEntityTooLarge",
            "The request body is larger than the limit of " + e.limit() + " bytes."), exchange);
      } catch (Exception e) {
        if (OutOfSpace.causedBy(e)) {
          // A full disk is an operator's condition, not a defect: 503 and retry, not a 500.
          ERRORS.warn("request {} refused: storage full ({})", exchange.requestId(), e.toString());
          reply = site.errors().render(ApiException.of(OutOfSpace.problem()), exchange);
        } else {
          ERRORS.error("request {} failed", exchange.requestId(), e);
          reply = site.errors().render(new ApiException(500, "InternalServerError",
              "The server could not complete the request. Quote request id " + exchange.requestId() + "."), exchange);
        }
      }
      if (!exchange.drain(DRAIN_LIMIT)) {
        reply.header("Connection", "close");
      }
      observe(site, request, exchange, template, reply);
      write(exchange, response, reply, callback);
      long micros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - started);
      Timer.builder("http.server.requests").tag("site", site.name()).tag("method", exchange.method())
          .tag("route", template == null ? "unmatched" : template).tag("status", Integer.toString(reply.status()))
          .register(metrics).record(micros, TimeUnit.MICROSECONDS);
      RequestLog.served(site.name(), exchange, template, reply.status(), micros);
      return true;
    }
  }

  /**
   * Answers what Jetty refuses before {@link Dispatch} sees it (an ambiguous {@code %2F} in the path,
   * a malformed escape) in the site's own error envelope with a request id, instead of Jetty's HTML
   * page.
   */
  private final class Refusals extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      Site site = sites.get(request.getConnectionMetaData().getConnector());
      if (site == null) {
        return super.handle(request, response, callback);
      }
      Exchange exchange = new Exchange(request, UUID.randomUUID().toString());
      int status = request.getAttribute(ERROR_STATUS) instanceof Integer s ? s : response.getStatus();
      if (status < 400) {
        status = 500;
      }
      String message = request.getAttribute(ERROR_MESSAGE) instanceof String m && !m.isBlank() ? m
          : HttpStatus.getMessage(status);
      if (status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
        // Jetty's answer to a request line without HTTP/1.x (an HTTP/0.9 "GET /", a made-up version):
        // a malformed request, the client's, as every other one the parser refuses.
        status = 400;
        message = "the request line must end in HTTP/1.0 or HTTP/1.1";
      }
      String code = switch (status) {
        case 400 -> "BadRequest";
        case 413 -> "RequestEntityTooLarge";
        case 414 -> "RequestUriTooLong";
        case 431 -> "RequestHeaderFieldsTooLarge";
        case 500 -> "InternalServerError";
        case 501 -> "NotImplemented";
        case 503 -> "ServiceUnavailable";
        default -> "HttpError" + status;
      };
      if (status == 500) {
        message = "The server could not complete the request. Quote request id " + exchange.requestId() + ".";
      } else {
        message = "The request was refused: " + message + ".";
      }
      Reply reply = site.errors().render(new ApiException(status, code, message), exchange);
      HttpServer.write(exchange, response, reply, callback);
      RequestLog.refused(site.name(), exchange, status);
      return true;
    }
  }

  /** Before the answer is written, so an observer has seen it by the time the client has it. */
  private void observe(Site site, Request request, Exchange exchange, String template, Reply reply) {
    ExchangeObserver o = observer;
    if (o != ExchangeObserver.NONE) {
      Map<String, String> headers = new LinkedHashMap<>();
      request.getHeaders().forEach(f -> headers.put(f.getName(), f.getValue()));
      o.observed(new ExchangeObserver.Observed(site.name(), exchange.method(), template, exchange.path(),
          exchange.rawQuery(), headers, reply.status(), Map.copyOf(reply.headers()), reply.contentType(), reply.body()));
    }
  }

  private static void write(Exchange exchange, Response response, Reply reply, Callback callback) {
    response.setStatus(reply.status());
    var headers = response.getHeaders();
    headers.put("x-ms-request-id", exchange.requestId());
    exchange.header("x-ms-client-request-id").ifPresent(v -> headers.put("x-ms-client-request-id", v));
    reply.headers().forEach(headers::put);
    byte[] body = reply.body();
    if (body == null || exchange.method().equals("HEAD")) {
      if (body != null) {
        headers.put(HttpHeader.CONTENT_TYPE, reply.contentType());
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
      } else {
        headers.put(HttpHeader.CONTENT_LENGTH, 0);
      }
      response.write(true, null, callback);
      return;
    }
    headers.put(HttpHeader.CONTENT_TYPE, reply.contentType());
    headers.put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
