package org.stackledger.arm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.problem.Problem;

/**
 * Reads a request body the way Resource Manager does: JSON only (415 otherwise), no larger than the
 * configured limit (413), well-formed (400 {@code InvalidRequestContent}) and a JSON object.
 */
public final class ArmBody {
  private final long limit;

  public ArmBody(long limit) {
    this.limit = limit;
  }

  /** The body as an object; an absent body is an error. */
  public ObjectNode required(Exchange exchange) throws IOException {
    ObjectNode body = optional(exchange);
    if (body == null) {
      throw Problem.invalid("InvalidRequestContent", "body",
          "The request content was invalid: a JSON body is required.");
    }
    return body;
  }

  /** The body as an object, or {@code null} when the request has none. */
  public ObjectNode optional(Exchange exchange) throws IOException {
    byte[] bytes = exchange.body(limit);
    if (bytes.length == 0) {
      return null;
    }
    String type = exchange.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    String mediaType = type.split(";", 2)[0].trim();
    if (!mediaType.equals("application/json") && !mediaType.equals("text/json") && !mediaType.endsWith("+json")) {
      throw Problem.unsupportedContent("UnsupportedMediaType", "Content-Type", "The content type '" + (type.isEmpty() ? "(none)" : type) + "' is not supported. Send application/json.");
    }
    JsonNode node;
    try {
      // Trailing content after the object ("{...} x", "{}{}") is malformed JSON, not ignorable noise.
      node = Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(bytes);
    } catch (JsonProcessingException e) {
      throw Problem.invalid("InvalidRequestContent", "body",
          "The request content was invalid and could not be deserialized: " + e.getOriginalMessage()
              + (e.getLocation() == null ? "." : " (line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr() + ")."));
    }
    if (node == null || node.isMissingNode()) {
      return null;
    }
    if (!node.isObject()) {
      throw Problem.invalid("InvalidRequestContent", "body",
          "The request content was invalid: expected a JSON object.");
    }
    return (ObjectNode) node;
  }

  /**
   * A field naming a file on the server (an archive, a backup): the operator's own path, so it must be
   * absolute rather than resolved against wherever the server happens to run.
   */
  public static Path serverPath(JsonNode body, String field) {
    Path path;
    try {
      path = Path.of(body.path(field).asText());
    } catch (InvalidPathException e) {
      throw Problem.invalid("InvalidParameter", field, "'" + field + "' must be a path on the server.");
    }
    if (!path.isAbsolute()) {
      throw Problem.invalid("InvalidParameter", field, "'" + field + "' must be an absolute path on the server.");
    }
    return path;
  }
}
