package org.stackledger.commerce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSObject;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Function;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ArmResource;
import org.stackledger.arm.ResourceId;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;
import org.stackledger.registration.RegistrationStore;

/**
 * {@code POST /providers/Stackledger.Billing/usageFiles?api-version=2026-11-01}: imports a
 * disconnected deployment's usage file. The file names its CloudId; the registration bound to it now
 * says whose bridge key must have signed it and who may import it (whoever may report usage for that
 * registration: its owners, the operator). Records are then taken exactly as uploads are — the same
 * record arriving by file and by the bridge, or in two overlapping files, is counted once.
 */
public final class UsageFileImport {
  static final ApiVersions VERSIONS = ApiVersions.of("Stackledger.Billing/usageFiles", "2026-11-01");
  /** A month of a large deployment's records, with room to spare. */
  static final long MAX_FILE = 256L * 1024 * 1024;

  private final Arm arm;
  private final Commerce commerce;
  private final RegistrationStore registrations;
  private final Function<String, List<X509Certificate>> bridgeCertificates;
  private final Function<String, String> meters;

  /**
   * @param bridgeCertificates the certificates a bridge principal (by object id) signs in with
   */
  public UsageFileImport(Arm arm, Commerce commerce, RegistrationStore registrations,
      Function<String, List<X509Certificate>> bridgeCertificates, Function<String, String> meters) {
    this.arm = arm;
    this.commerce = commerce;
    this.registrations = registrations;
    this.bridgeCertificates = bridgeCertificates;
    this.meters = meters;
  }

  public void register(Router router) {
    router.post("/providers/Stackledger.Billing/usageFiles", this::importFile);
  }

  private Reply importFile(Exchange ex) {
    VERSIONS.require(ex);
    byte[] body;
    try {
      body = ex.body(MAX_FILE);
    } catch (Exchange.BodyTooLargeException e) {
      throw Problem.tooLarge("RequestEntityTooLarge", null, "A usage file is at most " + MAX_FILE + " bytes.");
    } catch (IOException e) {
      throw Problem.invalid("InvalidRequestContent", null, "The request body could not be read.");
    }
    JWSObject jws = UsageFile.parse(body);
    String cloudId = UsageFile.claimedCloudId(UsageFile.unverifiedPayload(jws));
    RegistrationStore.Period bound = registrations.cloudHistory(cloudId).periods().stream()
        .filter(p -> p.effectiveTo() == null).findFirst()
        .orElseThrow(() -> Problem.notFound("CloudIdNotFound", "No registration holds the CloudId '" + cloudId + "'."));
    ResourceId id = ResourceId.parse(bound.registrationId());
    arm.authorize(ex, id, CommerceRoutes.UPLOAD_ACTION);
    ArmResource registration = arm.resources().get(id.subscriptionId(), id).orElseThrow(() -> Problem.notFound(
        "CloudIdNotFound", "No registration holds the CloudId '" + cloudId + "'."));
    JsonNode p = registration.body().path("properties");
    UsageFile.Content content = UsageFile.verify(jws, p.path("cloudId").asText(),
        bridgeCertificates.apply(p.path("objectId").asText()));
    Commerce.Reporter reporter = Commerce.Reporter.of(registration);
    int records = 0;
    int accepted = 0;
    for (byte[] batch : content.batches()) {
      Commerce.Ack ack = commerce.ingestAsBridge(reporter, UsageReport.parse(batch, meters), "File");
      records += ack.records();
      accepted += ack.accepted();
    }
    ObjectNode out = Json.object();
    out.put("cloudId", content.cloudId());
    out.put("from", content.from().toString());
    out.put("to", content.to().toString());
    out.put("batches", content.batches().size());
    out.put("records", records);
    out.put("accepted", accepted);
    out.put("duplicates", records - accepted);
    return Reply.json(200, out);
  }
}
