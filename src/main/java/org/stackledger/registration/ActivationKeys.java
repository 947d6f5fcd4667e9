package org.stackledger.registration;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.Supplier;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ArmResource;
import org.stackledger.arm.ResourceId;
import org.stackledger.directory.Directory;
import org.stackledger.directory.TokenIssuer;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;

/**
 * {@code POST …/registrations/{name}/getactivationkey}: an RS256 JWT signed with the cloud's token
 * keys (so it verifies against the identity endpoint's JWKS) that binds the registration, its
 * CloudId, billing model, feature flags and bridge identity (its object id, and the client id and
 * directory tenant it signs in with: {@code bridgeAppId}, {@code bridgeTenantId}), valid for a year. Its audience is no
 * ARM endpoint's, so it is never accepted as an access token.
 */
final class ActivationKeys {
  /** The key's audience: what a deployment checks before it activates. */
  static final String AUDIENCE = "urn:stackledger:azurestack:activation";
  static final Duration LIFETIME = Duration.ofDays(365);

  private final Arm arm;
  private final TokenIssuer tokens;
  private final Supplier<String> issuer;
  private final Directory directory;

  ActivationKeys(Arm arm, TokenIssuer tokens, Supplier<String> issuer, Directory directory) {
    this.arm = arm;
    this.directory = directory;
    this.tokens = tokens;
    this.issuer = issuer;
  }

  void register(Router router) {
    router.post(AzureStackApi.ITEM + "/getactivationkey", this::activationKey);
  }

  private Reply activationKey(Exchange ex) {
    AzureStackApi.REGISTRATION_VERSIONS.require(ex);
    ResourceId id = AzureStackApi.registration(ex);
    arm.authorize(ex, id, AzureStackApi.GET_ACTIVATION_KEY);
    ArmResource registration = RegistrationRoutes.existing(arm, id);
    JsonNode p = registration.body().path("properties");
    Instant now = arm.clock().instant();
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
        .issuer(issuer.get())
        .audience(AUDIENCE)
        .subject(registration.id().toString())
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now))
        .expirationTime(Date.from(now.plus(LIFETIME)))
        .jwtID(UUID.randomUUID().toString())
        .claim("registrationId", registration.id().toString())
        .claim("registrationSubscriptionId", id.subscriptionId())
        .claim("cloudId", p.path("cloudId").asText())
        .claim("billingModel", p.path("billingModel").asText())
        .claim("usageReportingEnabled", p.path("usageReportingEnabled").asBoolean())
        .claim("marketplaceSyndicationEnabled", p.path("marketplaceSyndicationEnabled").asBoolean())
        .claim("objectId", p.path("objectId").asText());
    // The bridge signs in as this principal, in its own directory (the registration subscription's).
    directory.principal(p.path("objectId").asText()).ifPresent(bridge -> {
      bridge.appId().ifPresent(appId -> claims.claim("bridgeAppId", appId));
      claims.claim("bridgeTenantId", bridge.tenantId());
    });
    if (p.hasNonNull("agreementNumber")) {
      claims.claim("agreementNumber", p.path("agreementNumber").asText());
    }
    return Reply.json(200, Json.object().put("activationKey", tokens.sign(claims.build())));
  }
}
