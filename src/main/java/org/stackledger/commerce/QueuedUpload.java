package org.stackledger.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.stackledger.http.Json;

/**
 * An upload as it waits on the commerce topic: everything a worker needs to store it later without
 * the HTTP request — who reported it (the registration as it was when the upload was authorized), the
 * source, when it arrived (the usage age is judged as of then) and the upload's own bytes, parsed again
 * by the worker (the bytes are already the batch's most compact form).
 *
 * <p>Stored form: a version byte (1), the length of a JSON header (4 bytes, big-endian), the header
 * ({@code uploadId, registrationId, subscriptionId, cloudId, billingModel, source, batchId, records,
 * receivedAt}), then the body.
 *
 * @param uploadId an id of this upload alone (the same batch uploaded twice is two uploads): what a
 *                 rejection is recorded under, once however often the message is delivered
 */
record QueuedUpload(String uploadId, Commerce.Reporter reporter, String source, String batchId, int records,
    Instant receivedAt, byte[] body) {
  private static final byte VERSION = 1;

  byte[] encode() {
    ObjectNode h = Json.object();
    h.put("uploadId", uploadId);
    h.put("registrationId", reporter.registrationId());
    h.put("subscriptionId", reporter.subscriptionId());
    h.put("cloudId", reporter.cloudId());
    h.put("billingModel", reporter.billingModel());
    h.put("source", source);
    h.put("batchId", batchId);
    h.put("records", records);
    h.put("receivedAt", receivedAt.toString());
    byte[] header = Json.text(h).getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(1 + 4 + header.length + body.length).put(VERSION).putInt(header.length).put(header)
        .put(body).array();
  }

  /** The upload of a stored value; a value of another version or cut short is an error, never a guess. */
  static QueuedUpload decode(byte[] value) {
    if (value == null || value.length < 5 || value[0] != VERSION) {
      throw new IllegalArgumentException("not a queued upload of version " + VERSION);
    }
    int length = ByteBuffer.wrap(value, 1, 4).getInt();
    if (length < 0 || 5 + length > value.length) {
      throw new IllegalArgumentException("a queued upload's header runs past its end");
    }
    JsonNode h;
    try {
      h = Json.MAPPER.readTree(value, 5, length);
    } catch (IOException e) {
      throw new IllegalArgumentException("a queued upload's header is not JSON", e);
    }
    return new QueuedUpload(h.path("uploadId").asText(), new Commerce.Reporter(h.path("registrationId").asText(),
        h.path("subscriptionId").asText(), h.path("cloudId").asText(), h.path("billingModel").asText()),
        h.path("source").asText(), h.path("batchId").asText(), h.path("records").asInt(),
        Instant.parse(h.path("receivedAt").asText()), Arrays.copyOfRange(value, 5 + length, value.length));
  }
}
