package org.stackledger.stamp;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;
import org.stackledger.arm.Arm;
import org.stackledger.http.Router;

/**
 * The deployment's stamp put together: its facts, its activations, the bridge key and the bridge's
 * sign-in to the cloud, the guest directories onboarded onto it, and the admin routes of both on the
 * stack admin ARM endpoint. Everything that reaches the cloud — the activation check, the bridge's
 * sign-in, guest directory discovery — does so over HTTPS at the cloud's identity endpoint, even when
 * the cloud is this process (the plane boundary).
 */
public final class Stamp {
  /**
   * The cloud the deployment is registered with, as the stamp reaches it.
   *
   * @param identityUrl  the cloud identity endpoint's base URL, with a trailing slash
   * @param homeTenantId the cloud's home directory tenant, whose issuer signs activation keys
   * @param caPem        certificates to trust for the cloud's TLS, or {@code null} for the JDK's
   */
  public record Cloud(String identityUrl, String homeTenantId, Path caPem) {}

  private final StampFacts facts;
  private final ActivationStore activations;
  private final BridgeKey bridgeKey;
  private final BridgeSignIn bridgeSignIn;
  private final GuestDirectories guestDirectories;
  private final StampOperations operations;
  private final GuestDirectoryAdmin guestDirectoryAdmin;
  private final StampRoutes stampRoutes;
  private final GuestDirectoryRoutes guestDirectoryRoutes;

  public Stamp(Jdbi jdbi, Clock clock, Arm arm, StampFacts facts, Cloud cloud) throws IOException {
    this.facts = facts;
    this.activations = new ActivationStore(jdbi, clock);
    this.bridgeKey = new BridgeKey(jdbi, facts::cloudId, clock);
    this.bridgeSignIn = new BridgeSignIn(activations, bridgeKey, cloud::identityUrl, cloud.caPem(), clock);
    this.guestDirectories = new GuestDirectories(jdbi, clock);
    // Activation keys are checked against the cloud's published keys.
    ActivationKeyVerifier verifier = new ActivationKeyVerifier(
        () -> URI.create(cloud.identityUrl() + cloud.homeTenantId() + "/discovery/v2.0/keys"),
        () -> cloud.identityUrl() + cloud.homeTenantId() + "/v2.0", cloud.caPem(), clock);
    this.operations = new StampOperations(arm, facts, activations, verifier, bridgeKey, clock);
    this.stampRoutes = new StampRoutes(operations, facts, arm.body(), clock);
    // Onboarding resolves a guest directory's tenant id at the login endpoint, as the cmdlet does.
    this.guestDirectoryAdmin = new GuestDirectoryAdmin(arm, facts, guestDirectories,
        new TenantDiscovery(cloud::identityUrl, cloud.caPem()));
    this.guestDirectoryRoutes = new GuestDirectoryRoutes(arm, guestDirectoryAdmin);
  }

  /** The deployment's CloudId, region, external domain and identity system, fixed at first start. */
  public StampFacts facts() {
    return facts;
  }

  /** The deployment's activations (its registration state), history kept. */
  public ActivationStore activations() {
    return activations;
  }

  /** The bridge's key: it signs the bridge's sign-in and the usage files a disconnected deployment exports. */
  public BridgeKey bridgeKey() {
    return bridgeKey;
  }

  /** The usage bridge's sign-in to the cloud as the registration's bridge principal. */
  public BridgeSignIn bridgeSignIn() {
    return bridgeSignIn;
  }

  /** The guest directory tenants onboarded onto the deployment (multi-tenancy), history kept. */
  public GuestDirectories guestDirectories() {
    return guestDirectories;
  }

  /** Stamp info, registration tokens and the activation as the signed-in operator reads and changes them (the console's way in). */
  public StampOperations operations() {
    return operations;
  }

  /** Guest directories as the signed-in operator onboards and offboards them (the console's way in). */
  public GuestDirectoryAdmin guestDirectoryAdmin() {
    return guestDirectoryAdmin;
  }

  /** The stamp's and the guest directories' admin routes, on the stack admin ARM endpoint. */
  public void register(Router router) {
    stampRoutes.register(router);
    guestDirectoryRoutes.register(router);
  }
}
