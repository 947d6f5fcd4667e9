package org.stackledger.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.stackledger.arm.Arm;
import org.stackledger.arm.ArmErrors;
import org.stackledger.arm.MetadataRoutes;
import org.stackledger.http.Authenticator;
import org.stackledger.http.HttpServer;
import org.stackledger.http.Json;
import org.stackledger.http.Reply;
import org.stackledger.http.Router;
import org.stackledger.http.SelfSignedCertificate;
import org.stackledger.http.Site;
import org.stackledger.access.AccessControl;
import org.stackledger.access.RoleAssignmentRoutes;
import org.stackledger.access.RoleAssignments;
import org.stackledger.arm.Subscriptions;
import org.stackledger.directory.Directory;
import org.stackledger.directory.DirectoryIssuers;
import org.stackledger.directory.IdentityRoutes;
import org.stackledger.directory.SigningKeys;
import org.stackledger.directory.TokenIssuer;
import org.stackledger.http.ErrorFormat;
import org.stackledger.identity.JwtAuthenticator;
import org.stackledger.identity.OidcIssuer;
import org.stackledger.identity.TokenValidator;
import org.stackledger.identity.TrustedIssuers;
import org.stackledger.identityadmin.TenantAdminRoutes;
import org.stackledger.locks.LockRoutes;
import org.stackledger.meters.MeterCatalogue;
import org.stackledger.meters.MeterRoutes;
import org.stackledger.csp.CspSubscriptions;
import org.stackledger.partnercenter.PartnerAdminRoutes;
import org.stackledger.partnercenter.PartnerCenter;
import org.stackledger.partnercenter.PartnerCenterClient;
import org.stackledger.partnercenter.PartnerCenterErrors;
import org.stackledger.partnercenter.PartnerCenterRoutes;
import org.stackledger.registration.AzureStackProvider;
import org.stackledger.resources.ProviderRegistrations;
import org.stackledger.resources.ProviderRoutes;
import org.stackledger.resources.ResourceGroupRoutes;
import org.stackledger.resources.SubscriptionRoutes;
import org.stackledger.store.Database;
import org.stackledger.store.Settings;
import org.stackledger.usersubscriptions.UserSubscriptionRoutes;

/**
 * The running service: the composition root that opens the store, wires every feature's routes
 * into the endpoint roles and starts the HTTP server. Every route of the program is registered in
 * {@link #routes}; tests start the same object on free ports.
 */
public final class Stackledger implements AutoCloseable {
  /** The home directory's domain, made on first start. */
  public static final String HOME_DOMAIN = "operator.onmicrosoft.local";
  public static final String CLOUD_AUDIENCE = "https://management.stackledger.local/";
  public static final String STACK_ADMIN_AUDIENCE = "https://adminmanagement.local.azurestack.external/";
  public static final String STACK_TENANT_AUDIENCE = "https://management.local.azurestack.external/";
  public static final String PARTNER_CENTER_AUDIENCE = "https://api.partnercenter.stackledger.local";
  /**
   * Test-only: names an {@link org.stackledger.http.ExchangeObserver} class (public, no-argument
   * constructor) that a server started in another process by the test suite shows every answer to, so
   * the suite's contract check covers it too. Nothing outside the tests sets it; unset, nothing happens.
   */
  public static final String TEST_OBSERVER_PROPERTY = "stackledger.test.exchangeObserver";
  private final ServerOptions options;
  private final Database database;
  private final Arm cloudArm;
  private final HttpServer server;
  private final SelfSignedCertificate certificate;
  /** Held from before the store opens until after it closes: one server per data folder. */
  private final DataFolderLock folderLock;
  private final String homeTenantId;
  private final String operatorSubscriptionId;
  private Directory directory;
  private SigningKeys signingKeys;
  private TokenIssuer tokenIssuer;
  private RoleAssignments roleAssignments;
  private ServerOptions.AdminCredentials generatedAdmin;
  private String adminAppId;
  private DirectoryIssuers issuers;
  private PartnerCenter partnerCenter;
  private PartnerCenterClient cspSubscriptions;
  /** The platform's own service principal, the one {@link #cspSubscriptions} signs in as. */
  private String platformObjectId;
  private ProviderRegistrations providerRegistrations;
  private AzureStackProvider azureStack;
  private org.stackledger.stamp.StampFacts stamp;
  private org.stackledger.stamp.ActivationStore activations;
  private org.stackledger.stamp.StampRoutes stampRoutes;
  private org.stackledger.stamp.BridgeSignIn bridgeSignIn;
  private org.stackledger.stamp.GuestDirectories guestDirectories;
  private org.stackledger.stamp.GuestDirectoryRoutes guestDirectoryRoutes;
  private final MeterCatalogue meters = MeterCatalogue.standard();
  private org.stackledger.usage.Usage usage;
  private org.stackledger.pricing.PriceSheet priceSheet;
  private org.stackledger.bridge.Bridge bridge;
  private org.stackledger.bridge.UsageFileExport usageFileExport;
  private org.stackledger.stamp.BridgeKey bridgeKey;
  /** Every meter of the program: the HTTP server's, the bridge's, and Prometheus, which scrapes them. */
  private final CompositeMeterRegistry metrics = new CompositeMeterRegistry();
  private org.stackledger.usersubscriptions.UserSubscriptions userSubscriptions;
  private UserSubscriptionRoutes userSubscriptionRoutes;
  private org.stackledger.commerce.Commerce commerce;
  private org.stackledger.commerce.CommerceRoutes commerceRoutes;
  private org.stackledger.commerce.BillingSettings billingSettings;
  private org.stackledger.commerce.InvoiceFinalizer invoiceFinalizer;
  private org.stackledger.commerce.BillingViewRoutes billingViewRoutes;
  /** The external issuer the stack endpoints trust instead of the directory, or {@code null}. */
  private final OidcIssuer stackIssuer;
  private final Map<EndpointRole, String> urls = new EnumMap<>(EndpointRole.class);
  private final Map<EndpointRole, Router> routers = new EnumMap<>(EndpointRole.class);
  private PrometheusMeterRegistry prometheus;

  private Stackledger(ServerOptions options) throws Exception {
    this.options = options;
    // Refusals first, before anything is created: a port taken, the folder in use.
    FreePorts.check(options.host(), options.basePort());
    this.stackIssuer = stackIssuer(options);
    boolean folderExisted = Files.exists(options.dataDir());
    boolean folderIsNew = DataFolder.isEmptyOrAbsent(options.dataDir());
    Files.createDirectories(options.dataDir());
    this.folderLock = DataFolderLock.take(options.dataDir());
    // Opening the store and loading the TLS stack are each a few hundred milliseconds of class
    // loading; doing them side by side keeps start-up short.
    ExecutorService boot = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "open-store");
      t.setDaemon(true);
      return t;
    });
    Future<Database> opening = boot.submit(() -> {
      Database db = options.jdbcUrl() == null ? Database.embedded(options.dataDir())
          : Database.open(options.jdbcUrl(), options.jdbcCredentials() == null ? null : options.jdbcCredentials().user(),
              options.jdbcCredentials() == null ? null : options.jdbcCredentials().password());
      db.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
      return db;
    });
    // Prometheus is another few hundred milliseconds of class loading; it follows the store on the
    // same thread and joins the composite registry the server records into before it is ready.
    Future<PrometheusMeterRegistry> scraping = boot.submit(() -> {
      PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      new JvmMemoryMetrics().bindTo(registry);
      new JvmThreadMetrics().bindTo(registry);
      new ProcessorMetrics().bindTo(registry);
      new UptimeMetrics().bindTo(registry);
      return registry;
    });
    boot.shutdown();
    Database db = null;
    HttpServer http = null;
    try {
      this.certificate = options.plainHttp() ? null : SelfSignedCertificate.ensure(options.dataDir());
      for (EndpointRole role : EndpointRole.values()) {
        routers.put(role, new Router());
      }
      http = new HttpServer(options.host(), sites(routers, metrics),
          certificate == null ? null : certificate.keyStore(), metrics);
      try {
        http.start();
      } catch (IOException e) {
        // Taken between the check and the bind: still one line, not a stack trace.
        throw e.getCause() instanceof java.net.BindException ? new StartRefused("cannot listen: " + e.getMessage()
            + "; stop what uses the port or choose another base port with --port") : e;
      }
      trace("https listening");
      this.server = http;
      for (EndpointRole role : EndpointRole.values()) {
        urls.put(role, server.baseUrl(role.key()));
      }
      try {
        db = opening.get();
        trace("store open");
        this.prometheus = scraping.get();
        metrics.add(prometheus);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
      this.database = db;
      Settings settings = new Settings(database.jdbi());
      this.homeTenantId = settings.getOrCreate("homeTenantId", () -> UUID.randomUUID().toString());
      this.directory = new Directory(database.jdbi(), options.clock());
      this.signingKeys = new SigningKeys(database.jdbi(), options.clock()).ensureActive();
      trace("signing keys loaded");
      this.tokenIssuer = new TokenIssuer(signingKeys, () -> url(EndpointRole.IDENTITY), options.clock());
      this.issuers = new DirectoryIssuers(directory, signingKeys, () -> url(EndpointRole.IDENTITY));
      this.roleAssignments = new RoleAssignments(database.jdbi(), options.clock());
      Subscriptions subscriptions = new Subscriptions(database.jdbi(), options.clock());
      this.cloudArm = Arm.create(database.jdbi(), options.clock(), options.bodyLimit(), options.pageSize(),
          new AccessControl(subscriptions, roleAssignments, homeTenantId));
      Bootstrap.Result first = new Bootstrap(settings, directory, roleAssignments, cloudArm.subscriptions())
          .run(homeTenantId, options.admin());
      this.adminAppId = first.adminAppId();
      this.generatedAdmin = first.generatedAdmin();
      this.operatorSubscriptionId = first.operatorSubscriptionId();
      this.partnerCenter = new PartnerCenter(database.jdbi(), options.clock(), directory, roleAssignments);
      this.cspSubscriptions = platformClient(new Bootstrap(settings, directory, roleAssignments, cloudArm.subscriptions())
          .platform(homeTenantId));
      trace("first-start objects checked");
      this.providerRegistrations = new ProviderRegistrations(database.jdbi());
      // Partner Center is asked over HTTPS, as in Azure; tests may put a fake at that boundary.
      this.azureStack = new AzureStackProvider(cloudArm, providerRegistrations, directory, roleAssignments, tokenIssuer,
          () -> tokenIssuer.issuer(homeTenantId, TokenIssuer.Version.V2),
          options.cspSubscriptions() != null ? options.cspSubscriptions() : cspSubscriptions);
      this.billingSettings = new org.stackledger.commerce.BillingSettings(settings, cloudArm);
      this.commerce = new org.stackledger.commerce.Commerce(database.jdbi(), options.clock(), azureStack.store(),
          this::rates, billingSettings::maxUsageAge);
      this.commerceRoutes = new org.stackledger.commerce.CommerceRoutes(cloudArm, commerce,
          id -> meters.find(id).map(org.stackledger.meters.Meter::id).orElse(null),
          new org.stackledger.commerce.Explanations(cloudArm, database.jdbi(), azureStack.store()));
      this.billingViewRoutes = new org.stackledger.commerce.BillingViewRoutes(cloudArm, commerce, partnerCenter,
          roleAssignments, directory);
      ServerOptions.Stamp asked = options.stamp() != null ? options.stamp() : new ServerOptions.Stamp(null, null, null, null);
      this.stamp = org.stackledger.stamp.StampFacts.resolve(settings, asked.cloudId(), asked.region(),
          asked.externalDomain(), asked.identitySystem(), stackIssuer != null);
      this.activations = new org.stackledger.stamp.ActivationStore(database.jdbi(), options.clock());
      this.bridgeKey = new org.stackledger.stamp.BridgeKey(database.jdbi(), stamp::cloudId,
          options.clock());
      // The usage bridge signs in at the cloud identity endpoint over HTTPS, like the activation check.
      this.bridgeSignIn = new org.stackledger.stamp.BridgeSignIn(activations, bridgeKey, this::cloudIdentityUrl, cloudCa(),
          options.clock());
      // The deployment checks activation keys against the cloud's published keys, read over HTTPS
      // from the cloud identity endpoint: the plane boundary, even in one process.
      this.stampRoutes = new org.stackledger.stamp.StampRoutes(cloudArm, cloudArm.body(), stamp, activations,
          new org.stackledger.stamp.ActivationKeyVerifier(
              () -> java.net.URI.create(cloudIdentityUrl() + cloudHomeTenantId() + "/discovery/v2.0/keys"),
              () -> cloudIdentityUrl() + cloudHomeTenantId() + "/v2.0", cloudCa(), options.clock()),
          bridgeKey, options.clock());
      this.guestDirectories = new org.stackledger.stamp.GuestDirectories(database.jdbi(), options.clock());
      // Onboarding resolves a guest directory's tenant id over HTTPS at the login endpoint, as the cmdlet does.
      this.guestDirectoryRoutes = new org.stackledger.stamp.GuestDirectoryRoutes(cloudArm, cloudArm.body(), stamp,
          guestDirectories, new org.stackledger.stamp.TenantDiscovery(this::cloudIdentityUrl, cloudCa()));
      this.userSubscriptions = new org.stackledger.usersubscriptions.UserSubscriptions(database.jdbi(), options.clock(),
          cloudArm.subscriptions(), roleAssignments);
      // A user subscription's directory must be able to sign in to the deployment: home or onboarded guest.
      this.userSubscriptionRoutes = new UserSubscriptionRoutes(cloudArm, userSubscriptions, directory, roleAssignments,
          tenant -> tenant.equalsIgnoreCase(homeTenantId) || guestDirectories.isOnboarded(tenant), stamp::region,
          operatorSubscriptionId);
      // The seed of the intake's event fingerprints: random, chosen once, so nobody can aim eventIds at a collision.
      long seed = Long.parseLong(settings.getOrCreate("usageFingerprintSeed",
          () -> Long.toString(new java.security.SecureRandom().nextLong())));
      this.usage = org.stackledger.usage.Usage.open(database.jdbi(), cloudArm,
          id -> meters.find(id).map(org.stackledger.meters.Meter::id).orElse(null),
          new org.stackledger.usage.JdbcUsageSubscriptions(database.jdbi()), options.clock(), seed, true);
      this.priceSheet = new org.stackledger.pricing.PriceSheet(database.jdbi(), meters, options.clock());
      this.bridge = openBridge();
      routers.forEach(this::routes);
      trace("routes wired");
      this.invoiceFinalizer = org.stackledger.commerce.InvoiceFinalizer.start(commerce,
          billingSettings::invoiceGracePeriod);
    } catch (Exception | Error e) {
      stopQuietly(http);
      if (db == null && folderIsNew) {
        // What this start made is about to be removed: let the store finish opening so nothing writes after.
        db = settled(opening);
      }
      if (db != null) {
        db.close();
      } else {
        opening.cancel(true);
      }
      folderLock.close();
      if (folderIsNew) {
        DataFolder.undoFirstStart(options.dataDir(), folderExisted);
      }
      throw e;
    }
  }

  /**
   * The usage bridge: ships the deployment's closed hours to the commerce intake of the cloud it is
   * registered with ({@link #cloudArmUrl}, over HTTPS trusting {@link #cloudCa}), as the registration's
   * bridge principal.
   */
  private org.stackledger.bridge.Bridge openBridge() throws IOException {
    // The bridge signs in as the registration's own service principal with the deployment's key.
    org.stackledger.bridge.BridgeToken token = () -> {
      try {
        return bridgeSignIn.accessToken(CLOUD_AUDIENCE);
      } catch (org.stackledger.stamp.BridgeSignIn.NotReady e) {
        throw new org.stackledger.bridge.BridgeNotReady(e.code(), e.getMessage());
      }
    };
    org.stackledger.bridge.Bridge.Deployment deployment = new org.stackledger.bridge.Bridge.Deployment(stamp.cloudId(),
        usage, activations, id -> userSubscriptions.find(id)
            .map(org.stackledger.usersubscriptions.UserSubscriptions.UserSubscription::tenantId).orElse(null));
    // A disconnected deployment's usage leaves as a file signed with the same key the bridge signs in with.
    this.usageFileExport = new org.stackledger.bridge.UsageFileExport(deployment, cloudArm,
        (cloud, registration, from, to, batches) -> org.stackledger.commerce.UsageFile.write(cloud, registration, from, to,
            options.clock().instant(), batches, bridgeKey.signer(), bridgeKey.certificate()));
    return org.stackledger.bridge.Bridge.open(database.jdbi(), deployment,
        new org.stackledger.bridge.Bridge.Cloud(this::cloudArmUrl, token,
            new org.stackledger.bridge.HttpsCommerceTarget(cloudCa())),
        cloudArm, metrics, options.clock(), java.util.concurrent.ThreadLocalRandom.current().nextLong(), true);
  }

  /**
   * The cloud plane the deployment is registered with: another process's when {@code --cloud} names
   * one, else this process's own — reached over HTTPS either way (the plane boundary).
   */
  public String cloudArmUrl() {
    return options.cloud() != null ? options.cloud().armUrl() : url(EndpointRole.CLOUD_ARM);
  }

  String cloudIdentityUrl() {
    return options.cloud() != null ? options.cloud().identityUrl() : url(EndpointRole.IDENTITY);
  }

  String cloudHomeTenantId() {
    return options.cloud() != null ? options.cloud().homeTenantId() : homeTenantId;
  }

  /** What the stack plane trusts for the cloud's TLS. */
  java.nio.file.Path cloudCa() {
    if (options.cloud() != null) {
      return options.cloud().caPem();
    }
    return certificate == null ? null : certificate.pem();
  }

  /** The price sheet as rating reads it: a snapshot in the billing currency, taken once per batch. */
  private org.stackledger.commerce.Rates rates() {
    org.stackledger.pricing.Prices prices = priceSheet.snapshot(billingSettings.currency());
    return new org.stackledger.commerce.Rates() {
      @Override
      public String currency() {
        return prices.currency();
      }

      @Override
      public java.util.Optional<Rate> at(String meterId, java.time.Instant at) {
        return prices.at(meterId, at).map(p -> new Rate(p.commerceMeterId(), p.unitPrice(), p.unitDivisor()));
      }
    };
  }

  /** Commerce: usage records from deployments, attribution, rating, invoices. */
  public org.stackledger.commerce.Commerce commerce() {
    return commerce;
  }

  /** The HTTPS client of the partnerCenter endpoint, signed in as the platform's own principal. */
  private PartnerCenterClient platformClient(Bootstrap.Platform platform) {
    this.platformObjectId = platform.objectId();
    return new PartnerCenterClient(new PartnerCenterClient.Settings(url(EndpointRole.PARTNER_CENTER),
        url(EndpointRole.IDENTITY), homeTenantId, platform.appId(), platform.secret(), PARTNER_CENTER_AUDIENCE,
        certificate == null ? null : certificate.pem(), java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(5)));
  }

  /**
   * Partner Center as the registration provider consumes it: an HTTPS client of this server's
   * partnerCenter endpoint, signed in as the platform's own service principal.
   */
  public CspSubscriptions cspSubscriptions() {
    return cspSubscriptions;
  }

  public PartnerCenter partnerCenter() {
    return partnerCenter;
  }

  /** The admin credentials generated on this first start, to be shown once; empty otherwise. */
  public java.util.Optional<ServerOptions.AdminCredentials> generatedAdmin() {
    return java.util.Optional.ofNullable(generatedAdmin);
  }

  /** The operator admin service principal's client id. */
  public String adminAppId() {
    return adminAppId;
  }

  public Directory directory() {
    return directory;
  }

  public RoleAssignments roleAssignments() {
    return roleAssignments;
  }

  public SigningKeys signingKeys() {
    return signingKeys;
  }

  /** The Microsoft.AzureStack provider: registrations, customer subscriptions and their history. */
  public AzureStackProvider azureStack() {
    return azureStack;
  }

  /** The deployment's CloudId, region, external domain and identity system, fixed at first start. */
  public org.stackledger.stamp.StampFacts stamp() {
    return stamp;
  }

  /** The deployment's activations (its registration state), history kept. */
  public org.stackledger.stamp.ActivationStore activations() {
    return activations;
  }

  /**
   * The usage bridge's sign-in to the cloud as the registration's bridge principal, with the
   * deployment's bridge key: bearer tokens for the cloud ARM ({@link #CLOUD_AUDIENCE}) and others.
   */
  public org.stackledger.stamp.BridgeSignIn bridgeSignIn() {
    return bridgeSignIn;
  }

  /** The guest directory tenants onboarded onto the deployment (multi-tenancy), history kept. */
  public org.stackledger.stamp.GuestDirectories guestDirectories() {
    return guestDirectories;
  }

  /** The deployment's user subscriptions, deleted ones included, and which provider each is a direct tenant of. */
  public org.stackledger.usersubscriptions.UserSubscriptions userSubscriptions() {
    return userSubscriptions;
  }

  public TokenIssuer tokenIssuer() {
    return tokenIssuer;
  }

  /** The audiences tokens for a role carry: a stable name and the role's own URL. */
  public Set<String> audiences(EndpointRole role) {
    return switch (role) {
      case CLOUD_ARM -> Set.of(CLOUD_AUDIENCE, url(role));
      case STACK_ADMIN_ARM -> Set.of(STACK_ADMIN_AUDIENCE, url(role));
      case STACK_TENANT_ARM -> Set.of(STACK_TENANT_AUDIENCE, url(role));
      case PARTNER_CENTER -> Set.of(PARTNER_CENTER_AUDIENCE, url(role));
      case IDENTITY -> Set.of();
    };
  }

  private Set<String> allAudiences() {
    Set<String> all = new java.util.HashSet<>();
    for (EndpointRole role : EndpointRole.values()) {
      all.addAll(audiences(role));
    }
    return all;
  }

  private final long bootStarted = System.nanoTime();

  /** Start-up phases at DEBUG (STACKLEDGER_LOG_LEVEL=DEBUG), to see where start-up time goes. */
  private void trace(String phase) {
    if (BOOT.isDebugEnabled()) {
      BOOT.debug("start-up: {} after {} ms", phase, (System.nanoTime() - bootStarted) / 1_000_000);
    }
  }

  private static final org.slf4j.Logger BOOT = org.slf4j.LoggerFactory.getLogger("stackledger.startup");

  /** The store the opening thread made, once it is done, or {@code null} if it failed. */
  private static Database settled(Future<Database> opening) {
    try {
      return opening.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      return null;
    }
  }

  private static void stopQuietly(HttpServer http) {
    if (http != null) {
      try {
        http.stop();
      } catch (Exception ignored) {
        // Already failing; the first error is the one to report.
      }
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

  /** The identity system the stack endpoints trust, for people: the built-in directory or the issuer's URL. */
  public String stackIdentity() {
    return stackIssuer == null ? "built-in directory" : "external OIDC issuer " + stackIssuer.discoveryUrl();
  }

  /** Opens the store, starts every endpoint and writes {@code endpoints.json}. */
  public static Stackledger start(ServerOptions options) throws Exception {
    Stackledger app = new Stackledger(options);
    try {
      String observer = System.getProperty(TEST_OBSERVER_PROPERTY);
      if (observer != null) {
        // Before ready(): every answer a client can get is seen. A class that cannot be made is a broken
        // test setup, so it stops the start rather than leaving the check silently off.
        app.observe(Class.forName(observer).asSubclass(org.stackledger.http.ExchangeObserver.class)
            .getDeclaredConstructor().newInstance());
      }
      app.writeEndpointsFile();
      app.server.ready();
    } catch (Exception e) {
      app.close();
      throw e;
    }
    return app;
  }

  private List<Site> sites(Map<EndpointRole, Router> routers, MeterRegistry metrics) {
    List<Site> sites = new ArrayList<>();
    for (EndpointRole role : EndpointRole.values()) {
      Router router = routers.get(role);
      router.anonymous("GET", "/healthz", ex -> health());
      router.anonymous("GET", "/metrics", ex -> Reply.text(200, prometheus.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
      org.stackledger.openapi.OpenApiRoutes.register(router, org.stackledger.openapi.ApiDescription.bundled(), role.key(),
          () -> url(role));
      router.catalogue(org.stackledger.openapi.ApiDescription.bundled().catalogue(role.key()));
      // The store opens while the ports bind; the directory's issuers are read per request, after it is ready.
      TrustedIssuers directoryIssuers = iss -> issuers.find(iss);
      boolean stack = role == EndpointRole.STACK_ADMIN_ARM || role == EndpointRole.STACK_TENANT_ARM;
      boolean external = stackIssuer != null && stack;
      // The deployment trusts the home directory and the guest directories onboarded onto it (multi-tenancy);
      // any other tenant's issuer is refused as untrusted. Read per request, so offboarding is immediate.
      TrustedIssuers trusted = external ? stackIssuer : !stack ? directoryIssuers
          : iss -> issuers.find(iss).filter(i -> i.tenantId().equalsIgnoreCase(homeTenantId)
              || guestDirectories.isOnboarded(i.tenantId()));
      Authenticator auth = switch (role) {
        case CLOUD_ARM, STACK_ADMIN_ARM, STACK_TENANT_ARM, PARTNER_CENTER -> new JwtAuthenticator(
            new TokenValidator(trusted, () -> audiences(role), options.clock()),
            external ? stackIssuer::loginEndpoint : () -> url(EndpointRole.IDENTITY) + homeTenantId);
        case IDENTITY -> Authenticator.NONE;
      };
      ErrorFormat errors = switch (role) {
        case IDENTITY -> IdentityRoutes.errors();
        case PARTNER_CENTER -> PartnerCenterErrors.INSTANCE;
        case CLOUD_ARM, STACK_ADMIN_ARM, STACK_TENANT_ARM -> ArmErrors.INSTANCE;
      };
      sites.add(new Site(role.key(), role.port(options.basePort()), router, errors, auth));
    }
    return sites;
  }

  /** Every route of the program, by endpoint role. */
  private void routes(EndpointRole role, Router router) {
    switch (role) {
      case CLOUD_ARM -> {
        MetadataRoutes.register(router, () -> metadata(role, CLOUD_AUDIENCE));
        SubscriptionRoutes.register(router, cloudArm);
        ResourceGroupRoutes.register(router, cloudArm);
        ProviderRoutes.register(router, cloudArm, providerRegistrations);
        LockRoutes.register(router, cloudArm);
        azureStack.register(router);
        RoleAssignmentRoutes.register(router, cloudArm, roleAssignments,
            objectId -> directory.principal(objectId).map(p -> p.kind().name()));
        TenantAdminRoutes.register(router, cloudArm, directory, signingKeys, homeTenantId);
        PartnerAdminRoutes.register(router, cloudArm, partnerCenter, directory);
        commerceRoutes.register(router);
        new org.stackledger.commerce.UsageFileImport(cloudArm, commerce, azureStack.store(), directory::keyCredentials,
            id -> meters.find(id).map(org.stackledger.meters.Meter::id).orElse(null)).register(router);
        billingSettings.register(router);
        org.stackledger.pricing.PriceSheetRoutes.register(router, cloudArm, priceSheet, options.bodyLimit());
        billingViewRoutes.register(router);
      }
      case STACK_ADMIN_ARM -> {
        MetadataRoutes.register(router, () -> metadata(role, STACK_ADMIN_AUDIENCE));
        userSubscriptionRoutes.registerAdmin(router);
        MeterRoutes.register(router, meters);
        stampRoutes.register(router);
        guestDirectoryRoutes.register(router);
        usage.registerIntake(router);
        usage.registerProviderApi(router);
        bridge.register(router);
        usageFileExport.register(router);
      }
      case STACK_TENANT_ARM -> {
        MetadataRoutes.register(router, () -> metadata(role, STACK_TENANT_AUDIENCE));
        userSubscriptionRoutes.registerTenant(router);
        MeterRoutes.register(router, meters);
        usage.registerTenantApi(router);
      }
      case IDENTITY -> IdentityRoutes.register(router, directory, signingKeys, tokenIssuer,
          () -> url(EndpointRole.IDENTITY), this::allAudiences, options.clock());
      case PARTNER_CENTER -> PartnerCenterRoutes.register(router, partnerCenter, cloudArm.body(), ex -> {
        // The platform's own principal, or an operator principal with a root-scope role allowing it.
        boolean platform = ex.attribute(org.stackledger.identity.Caller.class)
            .map(c -> c.objectId().equals(platformObjectId) && c.tenantId().equals(homeTenantId)).orElse(false);
        if (!platform) {
          cloudArm.authorizeRoot(ex, "Stackledger.PartnerCenter/subscriptions/read");
        }
      });
    }
  }

  private MetadataRoutes.Endpoints metadata(EndpointRole role, String audience) {
    String identity = url(EndpointRole.IDENTITY);
    // Like Azure Stack with AD FS, a deployment with its own identity system sends clients there to sign in.
    boolean external = stackIssuer != null && role != EndpointRole.CLOUD_ARM;
    return new MetadataRoutes.Endpoints(external ? stackIssuer.loginEndpoint() : identity, List.of(audience, url(role)), url(role) + "portal/",
        url(role) + "gallery/", identity + "graph/");
  }

  private Reply health() {
    ObjectNode out = Json.object();
    if (database.answers()) {
      out.put("status", "Healthy");
      out.put("store", database.engine().name());
      return Reply.json(200, out);
    }
    out.put("status", "Unhealthy");
    out.put("reason", "the database does not answer");
    return Reply.json(503, out);
  }

  private void writeEndpointsFile() throws IOException {
    EndpointsFile.write(options.dataDir(), urls, certificate == null ? null : certificate.pem(), homeTenantId,
        operatorSubscriptionId);
  }

  /** The routes one endpoint role serves. */
  public List<Router.Description> routes(EndpointRole role) {
    return routers.get(role).describe();
  }

  /** Shows every answered request to {@code observer}; the contract tests check each against the API description. */
  public void observe(org.stackledger.http.ExchangeObserver observer) {
    server.observe(observer);
  }

  /** The base URL of a role, with a trailing slash. */
  public String url(EndpointRole role) {
    return urls.get(role);
  }

  public Map<EndpointRole, String> urls() {
    return Map.copyOf(urls);
  }

  public String homeTenantId() {
    return homeTenantId;
  }

  public String operatorSubscriptionId() {
    return operatorSubscriptionId;
  }

  /** The PEM clients trust, or {@code null} when serving plain HTTP. */
  public Path certificate() {
    return certificate == null ? null : certificate.pem();
  }

  public Arm cloudArm() {
    return cloudArm;
  }

  public Database database() {
    return database;
  }

  @Override
  public void close() throws Exception {
    try {
      if (invoiceFinalizer != null) {
        invoiceFinalizer.close();
      }
      server.stop();
    } finally {
      if (bridge != null) {
        bridge.close();
      }
      if (usage != null) {
        usage.close();
      }
      try {
        database.close();
      } finally {
        folderLock.close();
      }
    }
  }

  /** The cloud plane's price sheet: effective-dated prices per meter and currency, for rating. */
  public org.stackledger.pricing.PriceSheet priceSheet() {
    return priceSheet;
  }

  /** The deployment's usage bridge to the cloud: its outbox, shipping passes and status. */
  public org.stackledger.bridge.Bridge bridge() {
    return bridge;
  }

  /** The deployment's usage: intake, aggregation and the usage APIs. */
  public org.stackledger.usage.Usage usage() {
    return usage;
  }
}
