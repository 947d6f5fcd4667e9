package org.stackledger.app;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.stackledger.access.RoleAssignments;
import org.stackledger.arm.Arm;
import org.stackledger.console.Console;
import org.stackledger.console.SignIn;
import org.stackledger.console.SignInFactory;
import org.stackledger.console.SignInSite;
import org.stackledger.directory.FirstPartyClient;
import org.stackledger.console.api.Api;
import org.stackledger.console.api.Apis;
import org.stackledger.csp.CspSubscriptions;
import org.stackledger.directory.Directory;
import org.stackledger.directory.SigningKeys;
import org.stackledger.directory.TokenIssuer;
import org.stackledger.http.ExchangeObserver;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.http.SelfSignedCertificate;
import org.stackledger.identity.OidcIssuer;
import org.stackledger.identity.TrustedIssuers;
import org.stackledger.partnercenter.PartnerCenter;
import org.stackledger.registration.AzureStackProvider;
import org.stackledger.store.Database;

/**
 * The running service, the composition root: it opens the store, builds what both planes share, the
 * planes asked for — the cloud plane unless {@code --cloud} names another process's, and the stack
 * plane — lets each register its routes on the endpoint roles, and starts the server. Tests start the
 * same object on free ports.
 */
public final class Stackledger implements AutoCloseable {
  /** The home directory's domain, made on first start. */
  public static final String HOME_DOMAIN = "operator.onmicrosoft.local";
  public static final String CLOUD_AUDIENCE = "https://management.stackledger.local/";
  public static final String STACK_ADMIN_AUDIENCE = "https://adminmanagement.local.azurestack.external/";
  public static final String STACK_TENANT_AUDIENCE = "https://management.local.azurestack.external/";
  public static final String PARTNER_CENTER_AUDIENCE = "https://api.partnercenter.stackledger.local";
  /**
   * Test-only: names an {@link ExchangeObserver} class (public, no-argument constructor) that a server
   * started in another process by the test suite shows every answer to, so the suite's contract check
   * covers it too. Nothing outside the tests sets it; unset, nothing happens.
   */
  public static final String TEST_OBSERVER_PROPERTY = "stackledger.test.exchangeObserver";
  private static final org.slf4j.Logger BOOT = org.slf4j.LoggerFactory.getLogger("stackledger.startup");

  private final long bootStarted = System.nanoTime();
  private final ServerOptions options;
  /** Held from before the store opens until after it closes: one server per data folder. */
  private final DataFolderLock folderLock;
  /** The external issuer the stack endpoints trust instead of the directory, or {@code null}. */
  private final OidcIssuer stackIssuer;
  private final SelfSignedCertificate certificate;
  /** Every meter of the program: the HTTP server's, the bridge's, and Prometheus, which scrapes them. */
  private final CompositeMeterRegistry metrics = new CompositeMeterRegistry();
  private final Endpoints endpoints;
  private final PrometheusMeterRegistry prometheus;
  private final Shared shared;
  /** {@code null} when the deployment reports to another process's cloud ({@code --cloud}). */
  private final CloudPlane cloud;
  private final StackPlane stack;
  /** The cloud the deployment is registered with: another process's, or this one's own. */
  private final ServerOptions.Cloud reportsTo;

  private Stackledger(ServerOptions options) throws Exception {
    this.options = options;
    // Refusals first, before anything is created: a port taken, the folder in use.
    FreePorts.check(options.host(), options.basePort());
    this.stackIssuer = stackIssuer(options);
    boolean folderExisted = Files.exists(options.dataDir());
    boolean folderIsNew = DataFolder.isEmptyOrAbsent(options.dataDir());
    Files.createDirectories(options.dataDir());
    this.folderLock = DataFolderLock.take(options.dataDir());
    StoreOpening opening = StoreOpening.begin(options);
    Endpoints bound = null;
    Database db = null;
    CloudPlane cloudPlane = null;
    StackPlane stackPlane = null;
    try {
      this.certificate = options.plainHttp() ? null : SelfSignedCertificate.ensure(options.dataDir());
      bound = new Endpoints(options, stackIssuer, certificate, metrics, new Door());
      this.endpoints = bound;
      trace("https listening");
      db = opening.database();
      trace("store open");
      this.prometheus = opening.prometheus();
      metrics.add(prometheus);
      this.shared = Shared.open(db, options, endpoints.url(EndpointRole.IDENTITY));
      trace("first-start objects checked");
      this.reportsTo = options.cloud() != null ? options.cloud() : new ServerOptions.Cloud(
          endpoints.url(EndpointRole.CLOUD_ARM), endpoints.url(EndpointRole.IDENTITY), shared.homeTenantId(),
          endpoints.certificatePem());
      cloudPlane = options.cloud() == null ? new CloudPlane(shared, options, endpoints, metrics) : null;
      this.cloud = cloudPlane;
      stackPlane = new StackPlane(shared, options, reportsTo, stackIssuer != null, metrics);
      this.stack = stackPlane;
      // The console's client secret is made here at every start and only handed on in memory (never stored).
      FirstPartyClient consoleClient = FirstPartyClient.console(endpoints.url(EndpointRole.CONSOLE));
      shared.registerIdentity(endpoints.router(EndpointRole.IDENTITY), endpoints.url(EndpointRole.IDENTITY),
          endpoints::issuedAudiences, java.util.List.of(consoleClient));
      shared.registerDirectoryAdmin(endpoints.router(EndpointRole.CLOUD_ARM));
      if (cloud != null) {
        cloud.register(endpoints);
      }
      stack.register(endpoints);
      console(options, endpoints, shared, reportsTo, consoleClient).register(endpoints.router(EndpointRole.CONSOLE));
      trace("routes wired");
    } catch (Exception | Error e) {
      closeQuietly(cloudPlane);
      closeQuietly(stackPlane);
      if (bound != null) {
        bound.stopQuietly();
      }
      if (db == null && folderIsNew) {
        // What this start made is about to be removed: let the store finish opening so nothing writes after.
        db = opening.settled();
      }
      if (db != null) {
        db.close();
      } else {
        opening.cancel();
      }
      folderLock.close();
      if (folderIsNew) {
        DataFolder.undoFirstStart(options.dataDir(), folderExisted);
      }
      throw e;
    }
  }

  /**
   * The console, a client of this process's own APIs over loopback HTTPS (the cloud's, where the deployment
   * reports to another process's); its sign-in is {@code options.consoleSignIn()}, else the default.
   */
  private static Console console(ServerOptions options, Endpoints endpoints, Shared shared, ServerOptions.Cloud cloud,
      FirstPartyClient client) throws Exception {
    SignInFactory factory = options.consoleSignIn() != null ? options.consoleSignIn() : SignInFactory.DEFAULT;
    SignIn signIn = factory.make(new SignInSite(endpoints.url(EndpointRole.IDENTITY), endpoints.url(EndpointRole.CONSOLE),
        shared.homeTenantId(), endpoints.certificatePem(), options.clock(), client.clientId(), client.secret(),
        CLOUD_AUDIENCE));
    Apis apis = new Apis(new Api("cloud ARM", cloud.armUrl(), CLOUD_AUDIENCE),
        new Api("stack admin ARM", endpoints.url(EndpointRole.STACK_ADMIN_ARM), STACK_ADMIN_AUDIENCE),
        new Api("stack tenant ARM", endpoints.url(EndpointRole.STACK_TENANT_ARM), STACK_TENANT_AUDIENCE),
        new Api("Partner Center", endpoints.url(EndpointRole.PARTNER_CENTER), PARTNER_CENTER_AUDIENCE),
        shared.operatorSubscriptionId());
    return new Console(signIn, apis, endpoints.certificatePem(), endpoints.url(EndpointRole.IDENTITY), options.clock());
  }

  /** Opens the store, starts every endpoint and writes {@code endpoints.json}. */
  public static Stackledger start(ServerOptions options) throws Exception {
    Stackledger app = new Stackledger(options);
    try {
      String observer = System.getProperty(TEST_OBSERVER_PROPERTY);
      if (observer != null) {
        // Before ready(): every answer a client can get is seen. A class that cannot be made is a broken
        // test setup, so it stops the start rather than leaving the check silently off.
        app.observe(Class.forName(observer).asSubclass(ExchangeObserver.class).getDeclaredConstructor().newInstance());
      }
      app.endpoints.ready(app.homeTenantId(), app.operatorSubscriptionId());
    } catch (Exception e) {
      app.close();
      throw e;
    }
    return app;
  }

  /** What the sites read per request; requests wait (503) until {@link #start} has made all of it. */
  private final class Door implements Endpoints.Door {
    @Override
    public TrustedIssuers directory() {
      return iss -> shared.issuers().find(iss);
    }

    @Override
    public boolean admits(String tenantId) {
      return stack.admits(tenantId);
    }

    @Override
    public String homeTenantId() {
      return shared.homeTenantId();
    }

    @Override
    public Reply health() {
      return shared.health(stack == null ? java.util.Optional.empty() : stack.kafkaReachable());
    }

    @Override
    public String scrape() {
      return prometheus.scrape();
    }
  }

  private static OidcIssuer stackIssuer(ServerOptions options) throws IOException {
    ServerOptions.StackIdentity identity = options.stackIdentity();
    if (identity == null) {
      return null;
    }
    // The cache reads the same time as everything else, so tests can move it; the system clock
    // gets Caffeine's monotonic ticker instead, which wall-clock steps cannot disturb.
    Clock clock = options.clock();
    Ticker ticker = Clock.systemUTC().equals(clock) ? Ticker.systemTicker()
        : () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    return OidcIssuer.create(identity.discoveryUrl(), identity.caCertificate(), identity.tenantId(), ticker);
  }

  /** Start-up phases at DEBUG (STACKLEDGER_LOG_LEVEL=DEBUG), to see where start-up time goes. */
  private void trace(String phase) {
    if (BOOT.isDebugEnabled()) {
      BOOT.debug("start-up: {} after {} ms", phase, (System.nanoTime() - bootStarted) / 1_000_000);
    }
  }

  private static void closeQuietly(AutoCloseable plane) {
    if (plane != null) {
      try {
        plane.close();
      } catch (Exception ignored) {
        // Already failing; the first error is the one to report.
      }
    }
  }

  @Override
  public void close() throws Exception {
    try {
      if (cloud != null) {
        cloud.close();
      }
      endpoints.server().stop();
    } finally {
      try {
        stack.close();
      } finally {
        try {
          shared.database().close();
        } finally {
          folderLock.close();
        }
      }
    }
  }

  // What the server serves, and where.

  /** Whether this process serves the cloud plane, or reports to another process's ({@code --cloud}). */
  public boolean servesCloudPlane() {
    return cloud != null;
  }

  /** Whether this process serves a role's API; a role it does not serve answers 404 but for health and metrics. */
  public boolean serves(EndpointRole role) {
    return endpoints.advertises(role);
  }

  /** The base URL of a role, with a trailing slash (every role's port is bound, see {@link #serves}). */
  public String url(EndpointRole role) {
    return endpoints.url(role);
  }

  /** The roles this process serves and their URLs, as {@code endpoints.json} lists them. */
  public Map<EndpointRole, String> urls() {
    return Map.copyOf(endpoints.advertised());
  }

  /** The audiences tokens for a role carry: a stable name and the role's own URL. */
  public Set<String> audiences(EndpointRole role) {
    return endpoints.audiences(role);
  }

  /** The routes one endpoint role serves. */
  public List<Router.Description> routes(EndpointRole role) {
    return endpoints.router(role).describe();
  }

  /** Shows every answered request to {@code observer}; the contract tests check each against the API description. */
  public void observe(ExchangeObserver observer) {
    endpoints.server().observe(observer);
  }

  /** The PEM clients trust, or {@code null} when serving plain HTTP. */
  public Path certificate() {
    return endpoints.certificatePem();
  }

  /** The identity system the stack endpoints trust, for people: the built-in directory or the issuer's URL. */
  public String stackIdentity() {
    return stackIssuer == null ? "built-in directory" : "external OIDC issuer " + stackIssuer.discoveryUrl();
  }

  /**
   * The cloud plane the deployment is registered with: another process's when {@code --cloud} names
   * one, else this process's own — reached over HTTPS either way (the plane boundary).
   */
  public String cloudArmUrl() {
    return reportsTo.armUrl();
  }

  // Shared by both planes.

  public Database database() {
    return shared.database();
  }

  public String homeTenantId() {
    return shared.homeTenantId();
  }

  public String operatorSubscriptionId() {
    return shared.operatorSubscriptionId();
  }

  /** The admin credentials generated on this first start, to be shown once; empty otherwise. */
  public Optional<ServerOptions.AdminCredentials> generatedAdmin() {
    return Optional.ofNullable(shared.firstStart().generatedAdmin());
  }

  /** The operator admin service principal's client id. */
  /**
   * The operator's admin user (Owner at the root scope, for the console's sign-in) and its password
   * when this start made it — shown once, as the admin secret is.
   */
  public Optional<ServerOptions.AdminCredentials> generatedAdminUser() {
    return Optional.ofNullable(shared.firstStart().generatedAdminPassword())
        .map(p -> new ServerOptions.AdminCredentials(adminUser(), p));
  }

  /** The operator's admin user's sign-in name. */
  public String adminUser() {
    return Bootstrap.ADMIN_USER;
  }

  public String adminAppId() {
    return shared.firstStart().adminAppId();
  }

  public Directory directory() {
    return shared.directory();
  }

  /** Directory tenants, principal look-up and signing keys as the signed-in operator uses them (for the console). */
  public org.stackledger.identityadmin.DirectoryAdmin directoryAdmin() {
    return shared.directoryAdmin();
  }

  /** A tenant's service principals, users and guests as the signed-in operator manages them (for the console). */
  public org.stackledger.identityadmin.PrincipalAdmin principalAdmin() {
    return shared.principalAdmin();
  }

  /** Role assignments as a signed-in caller may read and change them (for the console). */
  public org.stackledger.access.RoleAssignmentAdmin roleAssignmentAdmin() {
    return shared.roleAssignmentAdmin();
  }

  public RoleAssignments roleAssignments() {
    return shared.roleAssignments();
  }

  public SigningKeys signingKeys() {
    return shared.signingKeys();
  }

  public TokenIssuer tokenIssuer() {
    return shared.tokenIssuer();
  }

  /** The ARM conventions over the store, which both planes' ARM endpoints follow. */
  public Arm cloudArm() {
    return shared.arm();
  }

  // The cloud plane: refused on a process started with --cloud.

  private CloudPlane cloudPlane() {
    if (cloud == null) {
      throw new IllegalStateException("this process serves no cloud plane: it reports to " + reportsTo.armUrl());
    }
    return cloud;
  }

  /**
   * Partner Center as the registration provider consumes it: an HTTPS client of this server's
   * partnerCenter endpoint, signed in as the platform's own service principal.
   */
  public CspSubscriptions cspSubscriptions() {
    return cloudPlane().cspSubscriptions();
  }

  public PartnerCenter partnerCenter() {
    return cloudPlane().partnerCenter().partnerCenter();
  }

  /** The operator's Partner Center verbs as a signed-in caller may use them (for the console). */
  public org.stackledger.partnercenter.PartnerAdmin partnerAdmin() {
    return cloudPlane().partnerCenter().admin();
  }

  /** The Microsoft.AzureStack provider: registrations, customer subscriptions and their history. */
  public AzureStackProvider azureStack() {
    return cloudPlane().azureStack();
  }

  /** Commerce: usage records from deployments, attribution, rating, invoices. */
  public org.stackledger.commerce.Commerce commerce() {
    return cloudPlane().billing().commerce();
  }

  /** Billing as a signed-in caller may read and change it: invoices, views, settings (for the console). */
  public org.stackledger.commerce.Billing billing() {
    return cloudPlane().billing();
  }

  /** The cloud plane's price sheet: effective-dated prices per meter and currency, for rating. */
  public org.stackledger.pricing.PriceSheet priceSheet() {
    return cloudPlane().priceSheet();
  }

  /** The price sheet as a signed-in caller may read and import it: the operator's alone (for the console). */
  public org.stackledger.pricing.OperatorPriceSheet operatorPriceSheet() {
    return cloudPlane().operatorPriceSheet();
  }

  // The stack plane.

  /** The deployment's CloudId, region, external domain and identity system, fixed at first start. */
  public org.stackledger.stamp.StampFacts stamp() {
    return stack.stamp().facts();
  }

  /** The deployment's activations (its registration state), history kept. */
  public org.stackledger.stamp.ActivationStore activations() {
    return stack.stamp().activations();
  }

  /**
   * The usage bridge's sign-in to the cloud as the registration's bridge principal, with the
   * deployment's bridge key: bearer tokens for the cloud ARM ({@link #CLOUD_AUDIENCE}) and others.
   */
  public org.stackledger.stamp.BridgeSignIn bridgeSignIn() {
    return stack.stamp().bridgeSignIn();
  }

  /** Stamp info, registration tokens and the activation as the signed-in operator uses them (for the console). */
  public org.stackledger.stamp.StampOperations stampOperations() {
    return stack.stamp().operations();
  }

  /** Guest directories as the signed-in operator onboards and offboards them (for the console). */
  public org.stackledger.stamp.GuestDirectoryAdmin guestDirectoryAdmin() {
    return stack.stamp().guestDirectoryAdmin();
  }

  /** The guest directory tenants onboarded onto the deployment (multi-tenancy), history kept. */
  public org.stackledger.stamp.GuestDirectories guestDirectories() {
    return stack.stamp().guestDirectories();
  }

  /** The deployment's user subscriptions, deleted ones included, and which provider each is a direct tenant of. */
  public org.stackledger.usersubscriptions.UserSubscriptions userSubscriptions() {
    return stack.userSubscriptions();
  }

  /** User subscriptions as the signed-in operator makes, changes and removes them (for the console). */
  public org.stackledger.usersubscriptions.AdminSubscriptionWrites userSubscriptionWrites() {
    return stack.userSubscriptionRoutes().adminWrites();
  }

  /** Plans and offers as the signed-in operator makes, changes and removes them (for the console). */
  public org.stackledger.usersubscriptions.OfferingWrites offeringWrites() {
    return stack.userSubscriptionRoutes().offeringWrites();
  }

  /** The deployment's usage: intake, aggregation and the usage APIs. */
  public org.stackledger.usage.Usage usage() {
    return stack.usage();
  }

  /** The deployment's usage bridge to the cloud: its outbox, shipping passes and status. */
  public org.stackledger.bridge.Bridge bridge() {
    return stack.bridge();
  }
}
