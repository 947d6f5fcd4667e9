package org.stackledger.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.stackledger.http.Json;
import org.stackledger.problem.Problem;

/**
 * The usage file a disconnected deployment exports and the cloud imports: a JWS in the flattened JSON
 * serialization (RFC 7515 §7.2.2) signed RS256 with the deployment's bridge key — the key whose
 * certificate the registration gave the bridge identity — plus an unsigned {@code description} so a
 * person can tell what a file holds without decoding it. The signed payload is
 * <pre>{"format": "stackledger-usage-file/1", "cloudId", "registrationId", "from", "to", "createdAt",
 *  "batches": [{"batchId", "cloudId", "records": [...]}]}</pre>
 * with batches and records exactly as the bridge uploads them, so a file and the connected path
 * produce the same records and the cloud counts each once whichever way it came.
 */
public final class UsageFile {
  public static final String FORMAT = "stackledger-usage-file/1";
  static final JOSEObjectType TYPE = new JOSEObjectType("stackledger-usage-file");

  /** A verified file's content. {@code batches} are each an upload body. */
  public record Content(String cloudId, String registrationId, Instant from, Instant to, List<byte[]> batches,
      String certificateThumbprint) {}

  private UsageFile() {}

  /**
   * Writes a file. {@code batches} are the upload bodies ({@code {"batchId","cloudId","records"}}).
   */
  public static byte[] write(String cloudId, String registrationId, Instant from, Instant to, Instant createdAt,
      List<JsonNode> batches, com.nimbusds.jose.JWSSigner signer, X509Certificate certificate) {
    ObjectNode payload = Json.object();
    payload.put("format", FORMAT);
    payload.put("cloudId", cloudId);
    payload.put("registrationId", registrationId);
    payload.put("from", from.toString());
    payload.put("to", to.toString());
    payload.put("createdAt", createdAt.toString());
    ArrayNode list = payload.putArray("batches");
    long records = 0;
    for (JsonNode b : batches) {
      list.add(b);
      records += b.path("records").size();
    }
    JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).type(TYPE)
        .x509CertSHA256Thumbprint(Base64URL.encode(sha256(certificate))).build(),
        new Payload(Json.text(payload).getBytes(StandardCharsets.UTF_8)));
    try {
      jws.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("the bridge key cannot sign", e);
    }
    ObjectNode file = Json.object();
    file.put("format", FORMAT);
    ObjectNode d = file.putObject("description");
    d.put("cloudId", cloudId);
    d.put("registrationId", registrationId);
    d.put("from", from.toString());
    d.put("to", to.toString());
    d.put("createdAt", createdAt.toString());
    d.put("batches", batches.size());
    d.put("records", records);
    file.put("protected", jws.getHeader().toBase64URL().toString());
    file.put("payload", jws.getPayload().toBase64URL().toString());
    file.put("signature", jws.getSignature().toString());
    return Json.text(file).getBytes(StandardCharsets.UTF_8);
  }

  /** The CloudId a file says it is from, read before its signature can be checked (to find the key). */
  static String claimedCloudId(JsonNode payload) {
    return payload.path("cloudId").asText("");
  }

  /** Reads a file's signed parts without trusting them yet. */
  static JWSObject parse(byte[] file) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(file);
    } catch (IOException e) {
      throw invalid("The usage file is not JSON.");
    }
    if (root == null || !FORMAT.equals(root.path("format").asText())) {
      throw invalid("The file is not a stackledger usage file (format " + FORMAT + ").");
    }
    try {
      return new JWSObject(new Base64URL(root.path("protected").asText()), new Base64URL(root.path("payload").asText()),
          new Base64URL(root.path("signature").asText()));
    } catch (ParseException | RuntimeException e) {
      throw invalid("The usage file's signed part cannot be read.");
    }
  }

  /**
   * Checks the signature with the certificates the registration gave the deployment's bridge and
   * answers the content; a file signed by any other key, or of another CloudId, is refused.
   */
  static Content verify(JWSObject jws, String expectedCloudId, List<X509Certificate> bridgeCertificates) {
    if (!JWSAlgorithm.RS256.equals(jws.getHeader().getAlgorithm())) {
      throw invalid("The usage file must be signed RS256.");
    }
    X509Certificate signer = null;
    for (X509Certificate c : bridgeCertificates) {
      try {
        if (c.getPublicKey() instanceof RSAPublicKey rsa && jws.verify(new RSASSAVerifier(rsa))) {
          signer = c;
          break;
        }
      } catch (JOSEException e) {
        // not this certificate's key
      }
    }
    if (signer == null) {
      throw Problem.invalid("InvalidUsageFileSignature", "signature", "The usage file is not signed by the bridge key of "
          + "the registration of CloudId '" + expectedCloudId + "'.");
    }
    JsonNode payload;
    try {
      payload = Json.EXACT.readTree(jws.getPayload().toBytes());
    } catch (IOException e) {
      throw invalid("The usage file's payload is not JSON.");
    }
    if (!expectedCloudId.equalsIgnoreCase(payload.path("cloudId").asText())) {
      throw Problem.invalid("CloudIdMismatch", "cloudId", "The usage file is of CloudId '" + payload.path("cloudId").asText()
          + "', not '" + expectedCloudId + "'.");
    }
    List<byte[]> batches = new ArrayList<>();
    for (JsonNode b : payload.path("batches")) {
      if (!expectedCloudId.equalsIgnoreCase(b.path("cloudId").asText())) {
        throw Problem.invalid("CloudIdMismatch", "batches", "A batch of the usage file is of another CloudId.");
      }
      batches.add(Json.text(b).getBytes(StandardCharsets.UTF_8));
    }
    Instant from;
    Instant to;
    try {
      from = Instant.parse(payload.path("from").asText());
      to = Instant.parse(payload.path("to").asText());
    } catch (RuntimeException e) {
      throw invalid("The usage file's from and to must be instants.");
    }
    return new Content(payload.path("cloudId").asText().toLowerCase(java.util.Locale.ROOT),
        payload.path("registrationId").asText(), from, to, batches, Base64URL.encode(sha256(signer)).toString());
  }

  static JsonNode unverifiedPayload(JWSObject jws) {
    try {
      return Json.EXACT.readTree(jws.getPayload().toBytes());
    } catch (IOException e) {
      throw invalid("The usage file's payload is not JSON.");
    }
  }

  private static Problem invalid(String message) {
    return Problem.invalid("InvalidUsageFile", null, message);
  }

  static byte[] sha256(X509Certificate c) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(c.getEncoded());
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("cannot digest the certificate", e);
    }
  }
}
