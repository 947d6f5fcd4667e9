package org.stackledger.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;
import org.stackledger.http.Guids;
import org.stackledger.http.Json;
import org.stackledger.identity.Certificates;

/**
 * The registration token a deployment produces ({@code New-RegistrationToken} on the privileged
 * endpoint) and the registration PUT carries as {@code properties.registrationToken}: standard
 * base64 of the UTF-8 JSON object
 * <pre>{"CloudId":"&lt;guid&gt;","BillingModel":"PayAsYouUse|Capacity|Development",
 *  "UsageReportingEnabled":true,"MarketplaceSyndicationEnabled":true,
 *  "AgreementNumber":"&lt;text or null&gt;","IssueTime":"&lt;ISO-8601 instant&gt;",
 *  "BridgeCertificate":"&lt;base64 DER&gt;"}</pre>
 * {@code CloudId} and {@code BillingModel} are required; the flags default to {@code true} (the
 * connected tool's defaults); {@code AgreementNumber} and {@code IssueTime} may be absent.
 * {@code BridgeCertificate} is the deployment's bridge key certificate, the credential its usage
 * bridge signs in with; tokens of earlier versions have none and stay valid. Names are
 * matched case-insensitively on reading; unknown names are ignored, so later fields can be added.
 */
public record RegistrationToken(String cloudId, BillingModel billingModel, boolean usageReportingEnabled,
    boolean marketplaceSyndicationEnabled, String agreementNumber, Instant issueTime, X509Certificate bridgeCertificate) {

  /** A token without a bridge certificate, as earlier versions made them. */
  public RegistrationToken(String cloudId, BillingModel billingModel, boolean usageReportingEnabled,
      boolean marketplaceSyndicationEnabled, String agreementNumber, Instant issueTime) {
    this(cloudId, billingModel, usageReportingEnabled, marketplaceSyndicationEnabled, agreementNumber, issueTime, null);
  }

  /** A token that cannot be read; the message says why, for the 400 that reports it. */
  public static final class InvalidTokenException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidTokenException(String message) {
      super(message);
    }
  }

  /** The token text: base64 of the JSON object. */
  public String encode() {
    ObjectNode json = Json.object();
    json.put("CloudId", cloudId);
    json.put("BillingModel", billingModel.name());
    json.put("UsageReportingEnabled", usageReportingEnabled);
    json.put("MarketplaceSyndicationEnabled", marketplaceSyndicationEnabled);
    if (agreementNumber == null) {
      json.putNull("AgreementNumber");
    } else {
      json.put("AgreementNumber", agreementNumber);
    }
    if (issueTime != null) {
      json.put("IssueTime", issueTime.toString());
    }
    if (bridgeCertificate != null) {
      json.put("BridgeCertificate", Certificates.toBase64(bridgeCertificate));
    }
    return Base64.getEncoder().encodeToString(Json.text(json).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a token (standard or URL-safe base64, padding optional).
   *
   * @throws InvalidTokenException naming what is wrong
   */
  public static RegistrationToken decode(String text) {
    if (text == null || text.isBlank()) {
      throw new InvalidTokenException("the registration token is empty");
    }
    byte[] bytes;
    try {
      String t = text.trim().replace('-', '+').replace('_', '/');
      bytes = Base64.getMimeDecoder().decode(t);
    } catch (IllegalArgumentException e) {
      throw new InvalidTokenException("the registration token is not base64");
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(new String(bytes, StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
      throw new InvalidTokenException("the registration token does not hold a JSON object");
    }
    if (node == null || !node.isObject()) {
      throw new InvalidTokenException("the registration token does not hold a JSON object");
    }
    ObjectNode lower = Json.object();
    node.fields().forEachRemaining(f -> lower.set(f.getKey().toLowerCase(Locale.ROOT), f.getValue()));
    String cloudId = lower.path("cloudid").asText("");
    if (!Guids.isGuid(cloudId)) {
      throw new InvalidTokenException("the token's CloudId '" + cloudId + "' is not a GUID");
    }
    String model = lower.path("billingmodel").asText("");
    BillingModel billing = BillingModel.parse(model).orElseThrow(() -> new InvalidTokenException(
        "the token's BillingModel '" + model + "' is not one of PayAsYouUse, Capacity, Development"));
    boolean usage = flag(lower, "usagereportingenabled", "UsageReportingEnabled");
    boolean syndication = flag(lower, "marketplacesyndicationenabled", "MarketplaceSyndicationEnabled");
    JsonNode agreement = lower.get("agreementnumber");
    String agreementNumber = agreement == null || agreement.isNull() || agreement.asText().isBlank() ? null
        : agreement.asText().trim();
    Instant issued = null;
    JsonNode issue = lower.get("issuetime");
    if (issue != null && !issue.isNull()) {
      try {
        issued = Instant.parse(issue.asText());
      } catch (DateTimeParseException e) {
        throw new InvalidTokenException("the token's IssueTime '" + issue.asText() + "' is not an ISO-8601 instant");
      }
    }
    X509Certificate bridge = null;
    JsonNode certificate = lower.get("bridgecertificate");
    if (certificate != null && !certificate.isNull()) {
      try {
        bridge = Certificates.fromBase64(certificate.isTextual() ? certificate.asText() : "?");
      } catch (IllegalArgumentException e) {
        throw new InvalidTokenException("the token's BridgeCertificate cannot be read: " + e.getMessage());
      }
    }
    return new RegistrationToken(cloudId.toLowerCase(Locale.ROOT), billing, usage, syndication, agreementNumber, issued,
        bridge);
  }

  private static boolean flag(ObjectNode json, String key, String name) {
    JsonNode node = json.get(key);
    if (node == null || node.isNull()) {
      return true;
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isTextual() && (node.asText().equalsIgnoreCase("true") || node.asText().equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(node.asText().toLowerCase(Locale.ROOT));
    }
    throw new InvalidTokenException("the token's " + name + " must be true or false");
  }
}
