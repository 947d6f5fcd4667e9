package org.stackledger.stamp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ArmBody;
import org.stackledger.http.Exchange;
import org.stackledger.http.Guids;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.problem.Problem;
import org.stackledger.registration.BillingModel;
import org.stackledger.registration.RegistrationToken;

/**
 * The deployment's registration admin API on the stack admin ARM endpoint ({@code Microsoft.AzureBridge.Admin},
 * api-version {@code 2016-01-01}); every route is the operator's (a root-scope role):
 * <ul>
 *   <li>{@code GET /providers/Microsoft.AzureBridge.Admin/stampInfo} — CloudId, region, domain, identity
 *       system and registration status;</li>
 *   <li>{@code POST /providers/Microsoft.AzureBridge.Admin/registrationToken} — {@code New-RegistrationToken}, with
 *       the bridge key's certificate;</li>
 *   <li>{@code GET|PUT|DELETE /subscriptions/{adminSubscriptionId}/resourceGroups/azurestack-activation/providers/
 *       Microsoft.AzureBridge.Admin/activations/default} — the activation ({@code New-/Remove-AzsActivationResource});</li>
 *   <li>{@code GET /providers/Microsoft.AzureBridge.Admin/activationHistory} — every activation, oldest first.</li>
 * </ul>
 */
public final class StampRoutes {
  static final ApiVersions VERSIONS = ApiVersions.of("Microsoft.AzureBridge.Admin/activations", "2016-01-01");
  static final String PROVIDER = "/providers/Microsoft.AzureBridge.Admin";
  static final String ACTIVATION = "/subscriptions/{adminSubscriptionId}/resourceGroups/azurestack-activation"
      + PROVIDER + "/activations/default";
  private static final String READ = "Microsoft.AzureBridge.Admin/activations/read";
  private static final String WRITE = "Microsoft.AzureBridge.Admin/activations/write";
  private static final String DELETE = "Microsoft.AzureBridge.Admin/activations/delete";

  private final Arm arm;
  private final ArmBody body;
  private final StampFacts facts;
  private final ActivationStore store;
  private final ActivationKeyVerifier verifier;
  private final BridgeKey bridgeKey;
  private final Clock clock;

  public StampRoutes(Arm arm, ArmBody body, StampFacts facts, ActivationStore store, ActivationKeyVerifier verifier,
      BridgeKey bridgeKey, Clock clock) {
    this.bridgeKey = bridgeKey;
    this.arm = arm;
    this.body = body;
    this.facts = facts;
    this.store = store;
    this.verifier = verifier;
    this.clock = clock;
  }

  public void register(Router router) {
    router.get(PROVIDER + "/stampInfo", this::stampInfo);
    router.post(PROVIDER + "/registrationToken", this::registrationToken);
    router.get(PROVIDER + "/activationHistory", this::history);
    router.get(ACTIVATION, this::getActivation);
    router.put(ACTIVATION, this::putActivation);
    router.delete(ACTIVATION, this::deleteActivation);
  }

  private void operator(Exchange ex, String action) {
    VERSIONS.require(ex);
    arm.authorizeRoot(ex, action);
  }

  private Reply stampInfo(Exchange ex) {
    operator(ex, READ);
    ObjectNode out = Json.object();
    out.put("id", PROVIDER + "/stampInfo");
    out.put("name", "stampInfo");
    out.put("type", "Microsoft.AzureBridge.Admin/stampInfo");
    ObjectNode p = out.putObject("properties");
    p.put("cloudId", facts.cloudId());
    p.put("region", facts.region());
    p.put("externalDomain", facts.externalDomain());
    p.put("identitySystem", facts.identitySystem().name());
    var current = store.current();
    p.put("registrationStatus", current.map(a -> a.status(clock.instant())).orElse("Not registered"));
    if (current.isPresent()) {
      p.set("registration", details(current.get()));
    } else {
      p.putNull("registration");
    }
    return Reply.json(200, out);
  }

  private Reply registrationToken(Exchange ex) throws Exception {
    operator(ex, "Microsoft.AzureBridge.Admin/registrationToken/action");
    ObjectNode in = body.required(ex);
    String model = in.path("billingModel").asText("");
    BillingModel billing = BillingModel.parse(model).orElseThrow(() -> Problem.invalid("InvalidBillingModel",
        "billingModel", "billingModel '" + model + "' is not one of PayAsYouUse, Capacity, Development."));
    boolean usage = flag(in, "usageReportingEnabled");
    boolean syndication = flag(in, "marketplaceSyndicationEnabled");
    JsonNode agreement = in.get("agreementNumber");
    if (agreement != null && !agreement.isNull() && !agreement.isTextual()) {
      throw Problem.invalid("InvalidRequestContent", "agreementNumber", "agreementNumber must be text.");
    }
    String agreementNumber = agreement == null || agreement.isNull() || agreement.asText().isBlank() ? null
        : agreement.asText().trim();
    if (billing == BillingModel.Capacity && agreementNumber == null) {
      throw Problem.invalid("AgreementNumberRequired", "agreementNumber",
          "The Capacity billing model needs the Enterprise Agreement number (agreementNumber).");
    }
    if (billing == BillingModel.PayAsYouUse && !usage) {
      throw Problem.invalid("UsageReportingRequired", "usageReportingEnabled",
          "Usage reporting cannot be disabled with the PayAsYouUse billing model.");
    }
    String token = new RegistrationToken(facts.cloudId(), billing, usage, syndication, agreementNumber,
        clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), bridgeKey.certificate()).encode();
    return Reply.json(200, Json.object().put("registrationToken", token));
  }

  private static boolean flag(ObjectNode in, String name) {
    JsonNode node = in.get(name);
    if (node == null || node.isNull()) {
      return true;
    }
    if (!node.isBoolean()) {
      throw Problem.invalid("InvalidRequestContent", name, name + " must be true or false.");
    }
    return node.asBoolean();
  }

  private Reply history(Exchange ex) {
    operator(ex, READ);
    ObjectNode out = Json.object();
    var value = out.putArray("value");
    Instant now = clock.instant();
    store.history().forEach(a -> value.add(details(a).put("status", a.status(now))));
    return Reply.json(200, out);
  }

  private static String subscription(Exchange ex) {
    String sub = ex.pathParam("adminSubscriptionId");
    if (!Guids.isGuid(sub)) {
      throw Problem.invalid("InvalidSubscriptionId", "subscriptionId",
          "The provided subscription identifier '" + sub + "' is malformed or invalid.");
    }
    return sub;
  }

  private Reply getActivation(Exchange ex) {
    operator(ex, READ);
    String sub = subscription(ex);
    Activation a = store.current().orElseThrow(() -> Problem.notFound("ActivationNotFound",
        "This deployment is not activated (no activation 'default')."));
    return Reply.json(200, resource(sub, a));
  }

  private Reply putActivation(Exchange ex) throws Exception {
    operator(ex, WRITE);
    String sub = subscription(ex);
    ObjectNode in = body.required(ex);
    JsonNode key = in.path("properties").path("activationKey");
    if (!key.isTextual() || key.asText().isBlank()) {
      throw Problem.invalid("InvalidActivationKey", "properties.activationKey",
          "properties.activationKey is required: the key getactivationkey answered.");
    }
    ActivationKeyVerifier.Verified v = verifier.verify(key.asText(), facts.cloudId());
    ActivationStore.Activated done = store.activate(new Activation(0, v.registrationId(), v.registrationSubscriptionId(),
        v.cloudId(), v.billingModel(), v.usageReportingEnabled(), v.marketplaceSyndicationEnabled(), v.agreementNumber(),
        v.objectId(), v.keyId(), v.expiresAt(), null, null, v.bridgeAppId(), v.bridgeTenantId()));
    // Activations_CreateOrUpdate (azsadmin azurebridge 2016-01-01) lists only 200: generated SDKs throw on a 201.
    return Reply.json(200, resource(sub, done.activation()));
  }

  private Reply deleteActivation(Exchange ex) {
    operator(ex, DELETE);
    subscription(ex);
    return store.deactivate() ? Reply.empty(200) : Reply.empty(204);
  }

  private ObjectNode resource(String sub, Activation a) {
    ObjectNode out = Json.object();
    out.put("id", "/subscriptions/" + sub + "/resourceGroups/azurestack-activation" + PROVIDER + "/activations/default");
    out.put("name", "default");
    out.put("type", "Microsoft.AzureBridge.Admin/activations");
    out.put("location", facts.region());
    ObjectNode p = details(a);
    p.put("status", a.status(clock.instant()));
    p.put("provisioningState", "Succeeded");
    // The published names of the same facts, which typed SDKs read.
    p.put("azureRegistrationResourceIdentifier", a.registrationId());
    p.put("expiration", a.expiresAt().toString());
    out.set("properties", p);
    return out;
  }

  private static ObjectNode details(Activation a) {
    ObjectNode p = Json.object();
    p.put("activationId", a.id());
    p.put("registrationId", a.registrationId());
    p.put("registrationSubscriptionId", a.registrationSubscriptionId());
    p.put("cloudId", a.cloudId());
    p.put("billingModel", a.billingModel());
    p.put("usageReportingEnabled", a.usageReportingEnabled());
    p.put("marketplaceSyndicationEnabled", a.marketplaceSyndicationEnabled());
    if (a.agreementNumber() != null) {
      p.put("agreementNumber", a.agreementNumber());
    }
    p.put("objectId", a.objectId());
    if (a.bridgeAppId() != null) {
      p.put("bridgeAppId", a.bridgeAppId());
      p.put("bridgeTenantId", a.bridgeTenantId());
    }
    p.put("expiresOn", a.expiresAt().toString());
    p.put("activatedOn", a.activatedAt() == null ? null : a.activatedAt().toString());
    p.put("deactivatedOn", a.deactivatedAt() == null ? null : a.deactivatedAt().toString());
    return p;
  }
}
