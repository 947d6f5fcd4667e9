package org.stackledger.arm;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.stackledger.http.ApiException;
import org.stackledger.http.ErrorFormat;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;

/**
 * ARM's error envelope, {@code {"error":{"code","message","target"}}}, with the code repeated in the
 * {@code x-ms-error-code} header as Resource Manager does.
 */
public final class ArmErrors implements ErrorFormat {
  public static final ArmErrors INSTANCE = new ArmErrors();

  private ArmErrors() {}

  @Override
  public Reply render(ApiException error, Exchange exchange) {
    ObjectNode inner = definition(error);
    if (!error.details().isEmpty()) {
      var details = inner.putArray("details");
      error.details().forEach(d -> details.add(definition(d)));
    }
    ObjectNode envelope = Json.object();
    envelope.set("error", inner);
    Reply reply = Reply.json(error.status(), envelope).header("x-ms-error-code", error.code());
    error.headers().forEach(reply::header);
    return reply;
  }

  private static ObjectNode definition(ApiException error) {
    ObjectNode node = Json.object();
    node.put("code", error.code());
    node.put("message", error.getMessage());
    if (error.target() != null) {
      node.put("target", error.target());
    }
    return node;
  }
}
