package org.stackledger.stamp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.stackledger.access.AccessControl;
import org.stackledger.arm.Arm;
import org.stackledger.http.Guids;
import org.stackledger.identity.Caller;
import org.stackledger.problem.Problem;
import org.stackledger.registration.BillingModel;
import org.stackledger.registration.RegistrationToken;

/**
 * The deployment's registration as the operator reads and changes it: stamp info, registration
 * tokens, the activation and its history. Each way in checks the signed-in {@link Caller} for a
 * root-scope role allowing the action (403 {@code AuthorizationFailed}), then the path's admin
 * subscription; the admin API and the console both call here, so there is one check.
 *
 * <p>The writes are two steps, {@link #issuingToken} or {@link #activating} then the work, so a route
 * reads the request body only once the caller has passed, as ARM answers (who, then what).
 */
public final class StampOperations {
  static final String READ = "Microsoft.AzureBridge.Admin/activations/read";
  static final String WRITE = "Microsoft.AzureBridge.Admin/activations/write";
  static final String DELETE = "Microsoft.AzureBridge.Admin/activations/delete";
  static final String TOKEN = "Microsoft.AzureBridge.Admin/registrationToken/action";

  private final AccessControl access;
  private final StampFacts facts;
  private final ActivationStore store;
  private final ActivationKeyVerifier verifier;
  private final BridgeKey bridgeKey;
  private final Clock clock;

  StampOperations(Arm arm, StampFacts facts, ActivationStore store, ActivationKeyVerifier verifier,
      BridgeKey bridgeKey, Clock clock) {
    this.access = AccessControl.of(arm);
    this.facts = facts;
    this.store = store;
    this.verifier = verifier;
    this.bridgeKey = bridgeKey;
    this.clock = clock;
  }

  /** The stamp's facts and the activation in force, if any. */
  public record Info(StampFacts facts, Optional<Activation> current) {}

  public Info info(Caller caller) {
    access.requireRoot(caller, READ);
    return new Info(facts, store.current());
  }

  /** Every activation, oldest first. */
  public List<Activation> history(Caller caller) {
    access.requireRoot(caller, READ);
    return store.history();
  }

  /** The activation in force; 404 {@code ActivationNotFound} when the deployment is not activated. */
  public Activation activation(Caller caller, String adminSubscriptionId) {
    access.requireRoot(caller, READ);
    subscription(adminSubscriptionId);
    return store.current().orElseThrow(() -> Problem.notFound("ActivationNotFound",
        "This deployment is not activated (no activation 'default')."));
  }

  /** The caller's right to make registration tokens ({@code New-RegistrationToken}). */
  public TokenIssue issuingToken(Caller caller) {
    access.requireRoot(caller, TOKEN);
    return new TokenIssue();
  }

  /** The caller's right to activate the deployment ({@code New-AzsActivationResource}). */
  public Activating activating(Caller caller, String adminSubscriptionId) {
    access.requireRoot(caller, WRITE);
    subscription(adminSubscriptionId);
    return new Activating();
  }

  /** Ends the activation in force; false when there was none ({@code Remove-AzsActivationResource}). */
  public boolean deactivate(Caller caller, String adminSubscriptionId) {
    access.requireRoot(caller, DELETE);
    subscription(adminSubscriptionId);
    return store.deactivate();
  }

  /** A registration token a caller was allowed to make; only {@link StampOperations} makes one. */
  public final class TokenIssue {
    private TokenIssue() {}

    /** The token for the request's billing model and flags, with the bridge key's certificate. */
    public String issue(ObjectNode in) {
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
      return new RegistrationToken(facts.cloudId(), billing, usage, syndication, agreementNumber,
          clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), bridgeKey.certificate()).encode();
    }
  }

  /** An activation a caller was allowed to make; only {@link StampOperations} makes one. */
  public final class Activating {
    private Activating() {}

    /** Activates the deployment with the key the cloud's getactivationkey answered (in {@code properties}). */
    public ActivationStore.Activated activate(ObjectNode in) {
      JsonNode key = in.path("properties").path("activationKey");
      if (!key.isTextual() || key.asText().isBlank()) {
        throw Problem.invalid("InvalidActivationKey", "properties.activationKey",
            "properties.activationKey is required: the key getactivationkey answered.");
      }
      ActivationKeyVerifier.Verified v = verifier.verify(key.asText(), facts.cloudId());
      return store.activate(new Activation(0, v.registrationId(), v.registrationSubscriptionId(), v.cloudId(),
          v.billingModel(), v.usageReportingEnabled(), v.marketplaceSyndicationEnabled(), v.agreementNumber(),
          v.objectId(), v.keyId(), v.expiresAt(), null, null, v.bridgeAppId(), v.bridgeTenantId()));
    }
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

  private static String subscription(String sub) {
    if (!Guids.isGuid(sub)) {
      throw Problem.invalid("InvalidSubscriptionId", "subscriptionId",
          "The provided subscription identifier '" + sub + "' is malformed or invalid.");
    }
    return sub;
  }
}
