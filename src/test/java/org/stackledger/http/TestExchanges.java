package org.stackledger.http;

import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Request;

/**
 * {@link Exchange}s without a server, for unit tests of code that reads the method, path, query and
 * headers of a request. The request behind them answers nothing else (no body, no connection).
 */
public final class TestExchanges {
  private TestExchanges() {}

  /** An exchange for an absolute URL such as {@code https://host:1/subscriptions?api-version=x}. */
  public static Exchange of(String method, String url) {
    return of(method, url, Map.of());
  }

  public static Exchange of(String method, String url, Map<String, String> headers) {
    HttpURI uri = HttpURI.from(url);
    HttpFields.Mutable fields = HttpFields.build();
    fields.put("Host", uri.getAuthority());
    headers.forEach(fields::put);
    ConnectionMetaData connection = (ConnectionMetaData) Proxy.newProxyInstance(ConnectionMetaData.class.getClassLoader(),
        new Class<?>[] {ConnectionMetaData.class}, (proxy, m, args) -> switch (m.getName()) {
          case "getLocalSocketAddress" -> InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort());
          case "isSecure" -> "https".equals(uri.getScheme());
          default -> throw new UnsupportedOperationException("a test connection has no " + m.getName());
        });
    Request request = (Request) Proxy.newProxyInstance(Request.class.getClassLoader(), new Class<?>[] {Request.class},
        (proxy, m, args) -> switch (m.getName()) {
          case "getMethod" -> method;
          case "getHttpURI" -> uri;
          case "getHeaders" -> fields.asImmutable();
          case "getLength" -> -1L;
          case "getConnectionMetaData" -> connection;
          case "toString" -> method + " " + url;
          default -> throw new UnsupportedOperationException("a test exchange has no " + m.getName());
        });
    return new Exchange(request, UUID.randomUUID().toString());
  }
}
