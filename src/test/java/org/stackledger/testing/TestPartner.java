package org.stackledger.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.Stackledger;

/**
 * A CSP partner made through the operator's {@code Stackledger.PartnerCenter} API, with its admin
 * service principal's credentials and clients signed in as it.
 */
public record TestPartner(TestServer server, String partnerId, String tenantId, String domain, String clientId,
    String clientSecret, String objectId) {

  public static final String API = "?api-version=2026-11-01";
  public static final String BASE = "/providers/Stackledger.PartnerCenter";

  /** Makes a partner of the kind, an indirect reseller naming its provider. */
  public static TestPartner create(TestServer server, String kind, String indirectProviderId) {
    String id = UUID.randomUUID().toString();
    String domain = kind.toLowerCase() + "-" + id.substring(0, 8) + ".onmicrosoft.local";
    String provider = indirectProviderId == null ? "" : ",\"indirectProviderId\":\"" + indirectProviderId + "\"";
    TestClient.Response r = server.client().put(BASE + "/partners/" + id + API, "{\"properties\":{\"displayName\":\""
        + kind + " partner\",\"kind\":\"" + kind + "\",\"domain\":\"" + domain + "\"" + provider + "}}");
    if (r.status() != 201) {
      throw new IllegalStateException("partner not made: " + r.status() + " " + r.body());
    }
    var p = r.json().path("properties");
    String clientId = p.path("adminClientId").asText();
    return new TestPartner(server, id, p.path("tenantId").asText(), domain, clientId, p.path("adminClientSecret").asText(),
        server.app().directory().principalByAppId(clientId).orElseThrow().objectId());
  }

  /** A client of the Partner Center endpoint signed in as the partner's admin. */
  public TestClient pc() {
    return client(EndpointRole.PARTNER_CENTER, tenantId, Stackledger.PARTNER_CENTER_AUDIENCE);
  }

  /** A client of the cloud ARM endpoint signed in as the partner's admin, in the given tenant (its own or a customer's). */
  public TestClient arm(String tenant) {
    return client(EndpointRole.CLOUD_ARM, tenant, Stackledger.CLOUD_AUDIENCE);
  }

  private TestClient client(EndpointRole role, String tenant, String audience) {
    try {
      return new TestClient(server.app().url(role), server.app().certificate())
          .withToken(server.token(clientId, clientSecret, tenant, audience));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Creates a customer with a new domain and returns its answer. */
  public TestClient.Response newCustomer(String company) {
    String domain = company.toLowerCase().replaceAll("[^a-z0-9]", "") + "-" + UUID.randomUUID().toString().substring(0, 8)
        + ".onmicrosoft.local";
    return pc().post("/v1/customers", "{\"companyProfile\":{\"domain\":\"" + domain + "\"},\"billingProfile\":"
        + "{\"companyName\":\"" + company + "\"}}");
  }

  /** Orders one CSP (MS-AZR-0145P) subscription for the customer and returns the order's answer. */
  public TestClient.Response orderCsp(String customerId, String friendlyName) {
    return pc().post("/v1/customers/" + customerId + "/orders", "{\"referenceCustomerId\":\"" + customerId
        + "\",\"lineItems\":[{\"lineItemNumber\":0,\"offerId\":\"MS-AZR-0145P\",\"friendlyName\":\"" + friendlyName
        + "\",\"quantity\":1}]}");
  }
}
