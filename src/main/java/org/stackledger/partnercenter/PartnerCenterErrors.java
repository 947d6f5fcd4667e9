package org.stackledger.partnercenter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.stackledger.http.ApiException;
import org.stackledger.http.ErrorFormat;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;

/**
 * Partner Center's error shape: {@code {"code": <int>, "description", "errorName", "data": [], "source":
 * "PartnerFD"}}. {@code data} carries the request field at fault, when there is one, which the
 * description names too. Codes of our own errors are in {@link #CODES}; any other error's code is its
 * HTTP status.
 */
public final class PartnerCenterErrors implements ErrorFormat {
  public static final PartnerCenterErrors INSTANCE = new PartnerCenterErrors();

  /** Our numeric codes, by error name. */
  static final Map<String, Integer> CODES = Map.ofEntries(
      Map.entry("InvalidInput", 2000),
      Map.entry("InvalidRequestContent", 2000),
      Map.entry("InvalidOffer", 2001),
      Map.entry("InvalidTenant", 2002),
      Map.entry("DomainAlreadyExists", 2003),
      Map.entry("SubscriptionDeleted", 2004),
      Map.entry("CustomerNotFound", 2100),
      Map.entry("SubscriptionNotFound", 2101),
      Map.entry("OrderNotFound", 2102),
      Map.entry("PartnerNotFound", 2103));

  private PartnerCenterErrors() {}

  @Override
  public Reply render(ApiException error, Exchange exchange) {
    ObjectNode out = Json.object();
    out.put("code", CODES.getOrDefault(error.code(), error.status()));
    out.put("description", error.getMessage());
    out.put("errorName", error.code());
    var data = out.putArray("data");
    if (error.target() != null) {
      data.add(error.target());
    }
    out.put("source", "PartnerFD");
    Reply reply = Reply.json(error.status(), out);
    error.headers().forEach(reply::header);
    return reply;
  }
}
