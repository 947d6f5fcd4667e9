package org.stackledger.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * One HTTP request as the routes see it: method, normalised path, query, headers and a size-limited
 * body. Query parameter names are looked up case-insensitively because ARM clients disagree on the
 * case of {@code $skipToken} and {@code api-version}. A parameter given twice with different values
 * is refused ({@link #checkQuery}): no route takes a list, and letting the first win silently would
 * answer a question the client did not ask.
 */
public final class Exchange {
  private final Request request;
  private final String requestId;
  private final String method;
  private final String path;
  private final Map<String, String> query;
  private final ApiException queryProblem;
  /** Set when reading the body failed part-way: the connection cannot carry another request. */
  private boolean bodyBroken;
  private Map<String, String> pathParams = Map.of();
  private final Map<Class<?>, Object> attributes = new java.util.HashMap<>();
  private byte[] body;

  Exchange(Request request, String requestId) {
    this.request = request;
    this.requestId = requestId;
    this.method = request.getMethod() == null ? "GET" : request.getMethod().toUpperCase(Locale.ROOT);
    this.path = normalisePath(decodedPath(request));
    Map<String, String> parsed = new LinkedHashMap<>();
    ApiException problem = null;
    try {
      problem = parseQuery(request.getHttpURI().getQuery(), parsed);
      parsed = Collections.unmodifiableMap(parsed);
    } catch (IllegalArgumentException e) {
      // A malformed escape such as "%zz": refused as a 400 by checkQuery(), never a 500.
      parsed = Map.of();
      problem = ApiException.badRequest("InvalidQueryString", "query", "The query string is malformed: " + e.getMessage());
    }
    this.query = parsed;
    this.queryProblem = problem;
  }

  /** The decoded path, or the raw one when Jetty could not decode it (the request is refused anyway). */
  private static String decodedPath(Request request) {
    try {
      return request.getHttpURI().getDecodedPath();
    } catch (RuntimeException e) {
      return request.getHttpURI().getPath();
    }
  }

  /**
   * Refuses a request whose query string could not be decoded (400 {@code InvalidQueryString}) or
   * names a parameter twice with different values (400 {@code AmbiguousQueryParameter}).
   */
  public void checkQuery() {
    if (queryProblem != null) {
      throw queryProblem;
    }
  }

  /** Collapses repeated slashes (the Azure SDK sends {@code //subscriptions/...}) and drops a trailing one. */
  static String normalisePath(String raw) {
    if (raw == null || raw.isEmpty()) {
      return "/";
    }
    String collapsed = raw.replaceAll("/{2,}", "/");
    if (collapsed.length() > 1 && collapsed.endsWith("/")) {
      collapsed = collapsed.substring(0, collapsed.length() - 1);
    }
    return collapsed.startsWith("/") ? collapsed : "/" + collapsed;
  }

  /**
   * Decodes the query into {@code out} under lower-cased names, and answers the refusal for a name
   * repeated with another value, or {@code null}. The same value twice is let through: some SDKs
   * append {@code api-version} to a {@code nextLink} that already holds it.
   *
   * @throws IllegalArgumentException on a malformed escape
   */
  private static ApiException parseQuery(String raw, Map<String, String> out) {
    ApiException problem = null;
    for (Map.Entry<String, String> pair : pairs(raw)) {
      String first = out.putIfAbsent(pair.getKey().toLowerCase(Locale.ROOT), pair.getValue());
      if (problem == null && first != null && !first.equals(pair.getValue())) {
        problem = ApiException.badRequest("AmbiguousQueryParameter", pair.getKey(), "The query parameter '"
            + pair.getKey() + "' is given more than once with different values; give it once.");
      }
    }
    return problem;
  }

  /**
   * Decodes {@code application/x-www-form-urlencoded} text (a query string or a form body); the
   * first value of a repeated name wins.
   *
   * @throws IllegalArgumentException on a malformed escape
   */
  public static Map<String, String> decodePairs(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> pair : pairs(raw)) {
      out.putIfAbsent(pair.getKey(), pair.getValue());
    }
    return out;
  }

  /** Every name and value of form-encoded text, decoded, in order, repeats included. */
  private static java.util.List<Map.Entry<String, String>> pairs(String raw) {
    java.util.List<Map.Entry<String, String>> out = new java.util.ArrayList<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.add(Map.entry(key, value));
    }
    return out;
  }

  public String requestId() {
    return requestId;
  }

  public String method() {
    return method;
  }

  /** The decoded path with repeated and trailing slashes removed. */
  public String path() {
    return path;
  }

  /** The query string as sent (still encoded), for the request log; empty when there is none. */
  public String rawQuery() {
    String q = request.getHttpURI().getQuery();
    return q == null ? "" : q.replace("\"", "%22");
  }

  public Optional<String> query(String name) {
    return Optional.ofNullable(query.get(name.toLowerCase(Locale.ROOT)));
  }

  /**
   * The address of the TCP peer that sent the request. Forwarding headers ({@code X-Forwarded-For},
   * {@code Forwarded}) are not read: any client can write them, and the server is not deployed behind
   * a proxy it could trust them from.
   */
  public String remoteAddress() {
    return Request.getRemoteAddr(request);
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(request.getHeaders().get(name));
  }

  public String pathParam(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalArgumentException("route has no path parameter " + name);
    }
    return value;
  }

  void pathParams(Map<String, String> params) {
    this.pathParams = Map.copyOf(params);
  }

  /** Records a value of the request's context, such as the authenticated caller. */
  public <T> void attribute(Class<T> type, T value) {
    attributes.put(type, value);
  }

  public <T> Optional<T> attribute(Class<T> type) {
    return Optional.ofNullable(type.cast(attributes.get(type)));
  }

  /** The scheme, host and port the client used, for absolute links such as {@code nextLink}. */
  public String baseUrl() {
    var uri = request.getHttpURI();
    String host = header("Host").orElse(uri.getHost() + ":" + Request.getLocalPort(request));
    return uri.getScheme() + "://" + host;
  }

  /** The request URL without its query, as the client addressed it. */
  public String url() {
    return baseUrl() + request.getHttpURI().getPath();
  }

  /**
   * Reads the whole body, refusing more than {@code limit} bytes. The declared length is checked
   * first so an oversized upload is refused before it is read.
   *
   * @throws ApiException 400 {@code IncompleteRequestBody} when the body breaks off before its end
   *         (a connection closed mid-upload, a malformed chunk): the client's fault, never a 500
   */
  public byte[] body(long limit) throws IOException {
    if (body != null) {
      return body;
    }
    long declared = request.getLength();
    if (declared > limit) {
      bodyBroken = true;
      throw new BodyTooLargeException(limit);
    }
    long total = 0;
    try (InputStream in = Content.Source.asInputStream(request)) {
      if (declared >= 0 && declared <= Integer.MAX_VALUE - 8) {
        // The declared length (checked against the limit above): read straight into an array of that
        // size. A usage batch is a few hundred kilobytes, and a growing buffer copied it about fifteen
        // times over before the copy it returned.
        byte[] exact = new byte[(int) declared];
        int n;
        while (total < declared && (n = in.read(exact, (int) total, (int) (declared - total))) > 0) {
          total += n;
        }
        if (total < declared) {
          throw new java.io.EOFException("the body ended before its declared length");
        }
        body = exact;
        return body;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (total > limit) {
          bodyBroken = true;
          throw new BodyTooLargeException(limit);
        }
        out.write(buffer, 0, n);
      }
      body = out.toByteArray();
      return body;
    } catch (BodyTooLargeException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // Jetty reports a cut or malformed upload as an EofException or a BadMessageException.
      bodyBroken = true;
      throw new ApiException(400, "IncompleteRequestBody", "The request body broke off after " + total
          + " bytes, before its end; send it again whole.", "body");
    }
  }

  /**
   * Reads and discards the body a route left unread, so the connection can carry the next request —
   * but only a body declared no longer than {@code limit} bytes, and without keeping it. Any other
   * (a chunked body of unknown length, a large one, one a route gave up on) is not read at all: the
   * answer closes the connection instead. A refused request thus costs neither memory nor the time
   * to receive an upload nobody will use (an unauthenticated 8 MiB PUT is answered at once).
   *
   * @return false when the connection must be closed after the answer
   */
  boolean drain(long limit) {
    if (bodyBroken) {
      return false;
    }
    long declared = request.getLength();
    if (body != null || declared == 0) {
      return true;
    }
    if (declared < 0 || declared > limit) {
      return false;
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] buffer = new byte[(int) Math.min(limit, 8192)];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (total > limit) {
          return false;
        }
      }
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Thrown by {@link #body(long)} when the request body is over the limit. */
  public static final class BodyTooLargeException extends IOException {
    private final long limit;

    BodyTooLargeException(long limit) {
      super("request body over " + limit + " bytes");
      this.limit = limit;
    }

    public long limit() {
      return limit;
    }
  }
}
