package org.stackledger.stamp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.ApiVersions;
import org.stackledger.arm.ArmBody;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.identity.Caller;

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
 * The routes parse and render; {@link StampOperations} checks the request's caller and does the work.
 */
public final class StampRoutes {
  static final ApiVersions VERSIONS = ApiVersions.of("Microsoft.AzureBridge.Admin/activations", "2016-01-01");
  static final String PROVIDER = "/providers/Microsoft.AzureBridge.Admin";
  static final String ACTIVATION = "/subscriptions/{adminSubscriptionId}/resourceGroups/azurestack-activation"
      + PROVIDER + "/activations/default";

  private final StampOperations operations;
  private final StampFacts facts;
  private final ArmBody body;
  private final Clock clock;

  StampRoutes(StampOperations operations, StampFacts facts, ArmBody body, Clock clock) {
    this.operations = operations;
    this.facts = facts;
    this.body = body;
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

  private static Caller caller(Exchange ex) {
    VERSIONS.require(ex);
    return AccessControl.caller(ex);
  }

  private Reply stampInfo(Exchange ex) {
    StampOperations.Info info = operations.info(caller(ex));
    ObjectNode out = Json.object();
    out.put("id", PROVIDER + "/stampInfo");
    out.put("name", "stampInfo");
    out.put("type", "Microsoft.AzureBridge.Admin/stampInfo");
    ObjectNode p = out.putObject("properties");
    p.put("cloudId", info.facts().cloudId());
    p.put("region", info.facts().region());
    p.put("externalDomain", info.facts().externalDomain());
    p.put("identitySystem", info.facts().identitySystem().name());
    var current = info.current();
    p.put("registrationStatus", current.map(a -> a.status(clock.instant())).orElse("Not registered"));
    if (current.isPresent()) {
      p.set("registration", details(current.get()));
    } else {
      p.putNull("registration");
    }
    return Reply.json(200, out);
  }

  private Reply registrationToken(Exchange ex) throws Exception {
    StampOperations.TokenIssue issue = operations.issuingToken(caller(ex));
    return Reply.json(200, Json.object().put("registrationToken", issue.issue(body.required(ex))));
  }

  private Reply history(Exchange ex) {
    List<Activation> history = operations.history(caller(ex));
    ObjectNode out = Json.object();
    var value = out.putArray("value");
    Instant now = clock.instant();
    history.forEach(a -> value.add(details(a).put("status", a.status(now))));
    return Reply.json(200, out);
  }

  private Reply getActivation(Exchange ex) {
    String sub = ex.pathParam("adminSubscriptionId");
    return Reply.json(200, resource(sub, operations.activation(caller(ex), sub)));
  }

  private Reply putActivation(Exchange ex) throws Exception {
    String sub = ex.pathParam("adminSubscriptionId");
    StampOperations.Activating activating = operations.activating(caller(ex), sub);
    ActivationStore.Activated done = activating.activate(body.required(ex));
    // Activations_CreateOrUpdate (azsadmin azurebridge 2016-01-01) lists only 200: generated SDKs throw on a 201.
    return Reply.json(200, resource(sub, done.activation()));
  }

  private Reply deleteActivation(Exchange ex) {
    return operations.deactivate(caller(ex), ex.pathParam("adminSubscriptionId")) ? Reply.empty(200)
        : Reply.empty(204);
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
