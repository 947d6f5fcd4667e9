package org.stackledger.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a route answers: a status, extra headers and an optional body with its content type. */
public final class Reply {
  private final int status;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private final byte[] body;
  private final String contentType;

  private Reply(int status, byte[] body, String contentType) {
    this.status = status;
    this.body = body;
    this.contentType = contentType;
  }

  public static Reply json(int status, JsonNode node) {
    return new Reply(status, Json.bytes(node), "application/json; charset=utf-8");
  }

  public static Reply text(int status, String text, String contentType) {
    return new Reply(status, text.getBytes(StandardCharsets.UTF_8), contentType);
  }

  public static Reply bytes(int status, byte[] body, String contentType) {
    return new Reply(status, body, contentType);
  }

  public static Reply empty(int status) {
    return new Reply(status, null, null);
  }

  public Reply header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public int status() {
    return status;
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** The body bytes, or {@code null} when the reply has none. */
  public byte[] body() {
    return body;
  }

  public String contentType() {
    return contentType;
  }
}
