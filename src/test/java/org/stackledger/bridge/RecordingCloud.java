package org.stackledger.bridge;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import org.stackledger.http.Json;

/**
 * A stand-in for the cloud's commerce intake on a real socket: it records every upload (path, query,
 * bearer, body) and answers each with the status {@link #answer} gives — 200 with the intake's
 * counts, or the ARM error envelope of the status.
 */
final class RecordingCloud implements AutoCloseable {
  /** One upload and the status it was answered with. */
  record Upload(String path, String query, String authorization, JsonNode body, int status) {
    String batchId() {
      return body.path("batchId").asText();
    }
  }

  private final HttpServer server;
  private final List<Upload> uploads = new ArrayList<>();
  volatile ToIntFunction<JsonNode> answer = body -> 200;

  RecordingCloud() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      JsonNode body = Json.MAPPER.readTree(ex.getRequestBody().readAllBytes());
      int status = answer.applyAsInt(body);
      synchronized (uploads) {
        uploads.add(new Upload(ex.getRequestURI().getPath(), ex.getRequestURI().getQuery(),
            ex.getRequestHeaders().getFirst("Authorization"), body, status));
      }
      String reply = status == 200
          ? Json.text(Json.object().put("batchId", body.path("batchId").asText())
              .put("records", body.path("records").size()).put("accepted", body.path("records").size())
              .put("duplicates", 0))
          : "{\"error\":{\"code\":\"" + code(status) + "\",\"message\":\"the stand-in answered " + status + "\"}}";
      byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    });
    server.start();
  }

  private static String code(int status) {
    return switch (status) {
      case 409 -> "UsageRecordConflict";
      case 503 -> "ServiceUnavailable";
      default -> "Status" + status;
    };
  }

  /** The base URL, as the cloud ARM endpoint's (with a trailing slash). */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  List<Upload> uploads() {
    synchronized (uploads) {
      return List.copyOf(uploads);
    }
  }

  /** The batch ids answered 200, in the order they arrived. */
  List<String> acknowledged() {
    return uploads().stream().filter(u -> u.status() == 200).map(Upload::batchId).toList();
  }

  void forget() {
    synchronized (uploads) {
      uploads.clear();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
