package org.stackledger.testing;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser for the authorization-code flow made of {@link HttpClient}: no automatic redirects (each
 * hop is looked at), the identity endpoint's sign-in page parsed for its form and posted back with
 * the anti-forgery cookie it set, as a browser would.
 */
public final class CodeFlow {
  private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]*)\">");
  private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");

  private final HttpClient http;

  public CodeFlow(Path certificate) throws Exception {
    this.http = HttpClient.newBuilder().sslContext(TestClient.trusting(certificate))
        .followRedirects(HttpClient.Redirect.NEVER).build();
  }

  /** The sign-in page's form: where it posts, its hidden fields, and the cookie the page set. */
  public record Form(String action, Map<String, String> fields, String cookie) {}

  public HttpResponse<String> get(String url, String cookie) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url));
    if (cookie != null) {
      r.header("Cookie", cookie);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String url, Map<String, String> fields, String cookie) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(url)).header("Content-Type",
        "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(encode(fields)));
    if (cookie != null) {
      r.header("Cookie", cookie);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The sign-in form of a page, with the cookie of its answer ({@code null} when none was set). */
  public static Form form(HttpResponse<String> page) {
    Matcher f = FORM.matcher(page.body());
    if (!f.find()) {
      throw new AssertionError("no sign-in form on the page (" + page.statusCode() + "): " + page.body());
    }
    URI base = page.uri();
    String action = base.resolve(unescape(f.group(1))).toString();
    Map<String, String> fields = new LinkedHashMap<>();
    Matcher h = HIDDEN.matcher(page.body());
    while (h.find()) {
      fields.put(unescape(h.group(1)), unescape(h.group(2)));
    }
    String cookie = page.headers().firstValue("Set-Cookie").map(c -> c.split(";")[0]).orElse(null);
    return new Form(action, fields, cookie);
  }

  /** Opens {@code authorizeUrl}, fills the sign-in page and posts it: the endpoint's answer (a 302 on success). */
  public HttpResponse<String> signIn(String authorizeUrl, String username, String password) throws Exception {
    HttpResponse<String> page = get(authorizeUrl, null);
    if (page.statusCode() != 200) {
      throw new AssertionError("the authorize page answered " + page.statusCode() + ": " + page.body());
    }
    Form form = form(page);
    Map<String, String> fields = new LinkedHashMap<>(form.fields());
    fields.put("username", username);
    fields.put("password", password);
    return post(form.action(), fields, form.cookie());
  }

  /** The query parameters of a URL (a redirect's {@code Location}). */
  public static Map<String, String> query(String url) {
    Map<String, String> out = new LinkedHashMap<>();
    String q = URI.create(url).getRawQuery();
    if (q != null) {
      for (String pair : q.split("&")) {
        String[] kv = pair.split("=", 2);
        out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
      }
    }
    return out;
  }

  public static String encode(Map<String, String> fields) {
    StringBuilder b = new StringBuilder();
    fields.forEach((k, v) -> b.append(b.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
        .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
    return b.toString();
  }

  private static String unescape(String s) {
    return s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
  }
}
