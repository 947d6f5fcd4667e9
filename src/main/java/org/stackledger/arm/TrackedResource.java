package org.stackledger.arm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.stackledger.http.Json;
import org.stackledger.problem.Problem;

/**
 * Validation of the envelope every tracked resource shares: {@code location} and {@code tags},
 * with Resource Manager's limits (50 tags, names up to 512 characters, values up to 256).
 */
public final class TrackedResource {
  private static final Pattern LOCATION = Pattern.compile("[a-z0-9]{1,64}");
  private static final Pattern BAD_TAG_NAME = Pattern.compile("[<>%&\\\\?/]");

  private TrackedResource() {}

  /** The normalised location ({@code "East US"} becomes {@code eastus}); missing is a 400 naming it. */
  public static String location(ObjectNode body) {
    JsonNode node = body.get("location");
    if (node == null || node.isNull()) {
      throw Problem.invalid("LocationRequired", "location", "The location property is required for this resource.");
    }
    if (!node.isTextual()) {
      throw Problem.invalid("InvalidRequestContent", "location", "The location must be a string.");
    }
    String location = node.asText().replace(" ", "").toLowerCase(Locale.ROOT);
    if (!LOCATION.matcher(location).matches()) {
      throw Problem.invalid("InvalidLocation", "location",
          "The location '" + node.asText() + "' is invalid: use letters and digits, such as 'eastus' or 'global'.");
    }
    return location;
  }

  /** The validated tags as an object (empty when absent). */
  public static ObjectNode tags(ObjectNode body) {
    JsonNode node = body.get("tags");
    ObjectNode out = Json.object();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw Problem.invalid("InvalidTag", "tags", "The tags must be an object of string names to string values.");
    }
    if (node.size() > 50) {
      throw Problem.invalid("InvalidTag", "tags", "A resource can have at most 50 tags; " + node.size() + " were given.");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> tag = it.next();
      String name = tag.getKey();
      if (name.isEmpty() || name.length() > 512 || BAD_TAG_NAME.matcher(name).find()) {
        throw Problem.invalid("InvalidTagNameCharacters", "tags." + name,
            "The tag name '" + name + "' is invalid: 1-512 characters, none of <>%&\\?/.");
      }
      if (!tag.getValue().isTextual() || tag.getValue().asText().length() > 256) {
        throw Problem.invalid("InvalidTag", "tags." + name, "The value of tag '" + name
            + "' must be a string of at most 256 characters.");
      }
      out.put(name, tag.getValue().asText());
    }
    return out;
  }

  /** The {@code properties} object of a body; absent is empty, anything but an object is a 400. */
  public static ObjectNode properties(ObjectNode body, boolean required) {
    JsonNode node = body.get("properties");
    if (node == null || node.isNull()) {
      if (required) {
        throw Problem.invalid("InvalidRequestContent", "properties", "The properties object is required.");
      }
      return Json.object();
    }
    if (!node.isObject()) {
      throw Problem.invalid("InvalidRequestContent", "properties", "The properties must be a JSON object.");
    }
    return (ObjectNode) node;
  }

  /**
   * An optional string property of {@code properties}: {@code null} when absent, else a non-blank
   * string of at most {@code max} characters (trimmed); anything else is a 400 naming the field.
   */
  public static String text(ObjectNode properties, String field, int max) {
    JsonNode node = properties.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual() || node.asText().isBlank() || node.asText().length() > max) {
      throw Problem.invalid("InvalidRequestContent", "properties." + field,
          "properties." + field + " must be a non-empty string of at most " + max + " characters.");
    }
    return node.asText().trim();
  }
}
