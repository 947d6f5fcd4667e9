package org.stackledger.arm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.problem.Problem;

/**
 * Keyset paging for ARM lists: {@code {"value":[...],"nextLink":...}}. The {@code $skipToken} is the
 * opaque (base64url) key of the last item returned, so pages stay stable while items are added, and
 * {@code nextLink} is absolute and carries the api-version, as clients follow it verbatim.
 */
public final class Paging {
  private static final int MAX_TOP = 1000;
  private final int pageSize;

  public Paging(int pageSize) {
    this.pageSize = pageSize;
  }

  /** Where a page starts and how many items it holds, read from {@code $skipToken} and {@code $top}. */
  public record Cursor(Optional<String> afterKey, int limit) {}

  public Cursor cursor(Exchange exchange) {
    int limit = pageSize;
    Optional<String> top = exchange.query("$top");
    if (top.isPresent()) {
      try {
        limit = Integer.parseInt(top.get());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_TOP) {
        throw Problem.invalid("InvalidParameter", "$top",
            "The value '" + top.get() + "' of $top is invalid: use a whole number from 1 to " + MAX_TOP + ".");
      }
    }
    Optional<String> after = exchange.query("$skipToken").map(Paging::decode);
    return new Cursor(after, limit);
  }

  private static String decode(String token) {
    try {
      String key = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (!key.startsWith("k:")) {
        throw new IllegalArgumentException("not ours");
      }
      return key.substring(2);
    } catch (IllegalArgumentException e) {
      throw Problem.invalid("InvalidSkipToken", "$skipToken",
          "The $skipToken is not one this server issued; follow nextLink as given.");
    }
  }

  static String encode(String key) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(("k:" + key).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Writes a page. {@code items} holds up to {@code cursor.limit() + 1} items in key order; the extra
   * one only tells that another page exists.
   */
  public <T> ObjectNode page(Exchange exchange, Cursor cursor, List<T> items, Function<T, String> key,
      Function<T, ObjectNode> render) {
    ObjectNode out = Json.object();
    ArrayNode value = out.putArray("value");
    int shown = Math.min(items.size(), cursor.limit());
    for (int i = 0; i < shown; i++) {
      value.add(render.apply(items.get(i)));
    }
    if (items.size() > cursor.limit()) {
      StringBuilder link = new StringBuilder(exchange.url()).append("?api-version=")
          .append(URLEncoder.encode(exchange.query("api-version").orElse(""), StandardCharsets.UTF_8));
      exchange.query("$top").ifPresent(t -> link.append("&$top=").append(t));
      link.append("&$skipToken=").append(encode(key.apply(items.get(shown - 1))));
      out.put("nextLink", link.toString());
    }
    return out;
  }
}
