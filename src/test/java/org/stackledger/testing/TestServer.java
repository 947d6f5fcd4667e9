package org.stackledger.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.ServerOptions;
import org.stackledger.app.Stackledger;

/**
 * A real stackledger server for one test: HTTPS on free ports, a temporary data folder, and a fresh
 * database of the chosen engine. {@link #client()} talks to it over real sockets, trusting its own
 * certificate.
 */
public final class TestServer implements AutoCloseable {
  private final Stackledger app;
  private final Path dataDir;
  private final Engine engine;
  private final TestClient client;

  private final ServerOptions.AdminCredentials admin;

  private TestServer(Stackledger app, Path dataDir, Engine engine, ServerOptions.AdminCredentials admin) throws IOException {
    this.app = app;
    this.dataDir = dataDir;
    this.engine = engine;
    this.admin = admin;
    app.observe(ContractCheck.SUITE);
    this.client = new TestClient(app.url(EndpointRole.CLOUD_ARM), app.certificate())
        .withToken(token(admin.clientId(), admin.clientSecret(), app.homeTenantId(), Stackledger.CLOUD_AUDIENCE));
  }

  public static TestServer start(Engine engine) throws Exception {
    return start(engine, UnaryOperator.identity());
  }

  /** Starts a server whose options the caller may adjust (page size, body limit, clock, plain HTTP). */
  public static TestServer start(Engine engine, UnaryOperator<ServerOptions> adjust) throws Exception {
    Path dir = Files.createTempDirectory("stackledger-test");
    ServerOptions.AdminCredentials admin = new ServerOptions.AdminCredentials(UUID.randomUUID().toString(),
        "test-admin-secret-" + UUID.randomUUID());
    ServerOptions options = adjust.apply(ServerOptions.defaults(dir).withPort(0).withJdbcUrl(TestDatabases.freshMigrated(engine))
        .withAdmin(admin));
    if (options.dataDir().equals(dir)) {
      DataFolderTemplate.seed(dir, options.jdbcUrl() == null);
    }
    return new TestServer(Stackledger.start(options), dir, engine, options.admin());
  }

  /**
   * Starts a server on an existing data folder and its embedded store (one restored from a backup),
   * signing in with the admin credentials that store was first started with.
   */
  public static TestServer startOn(Path dir, ServerOptions.AdminCredentials admin, UnaryOperator<ServerOptions> adjust)
      throws Exception {
    ServerOptions options = adjust.apply(ServerOptions.defaults(dir).withPort(0).withAdmin(admin));
    return new TestServer(Stackledger.start(options), dir, Engine.H2, options.admin());
  }

  public Stackledger app() {
    return app;
  }

  public Engine engine() {
    return engine;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The operator admin service principal's credentials (Owner at the root scope). */
  public ServerOptions.AdminCredentials admin() {
    return admin;
  }

  /**
   * Signs in with the client-credentials grant at the identity endpoint's v2.0 token endpoint and
   * returns the access token.
   */
  public String token(String clientId, String clientSecret, String tenant, String audience) {
    try {
      TestClient identity = new TestClient(app.url(EndpointRole.IDENTITY), app.certificate()).anonymous();
      TestClient.Response r = identity.form("/" + tenant + "/oauth2/v2.0/token", java.util.Map.of(
          "grant_type", "client_credentials", "client_id", clientId, "client_secret", clientSecret,
          "scope", audience + (audience.endsWith("/") ? ".default" : "/.default")));
      if (r.status() != 200) {
        throw new IllegalStateException("sign-in failed: " + r.status() + " " + r.body());
      }
      return r.json().path("access_token").asText();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A client of the cloud ARM endpoint that sends the admin's bearer token. */
  public TestClient client() {
    return client;
  }

  /** A client of another endpoint role, with the admin's token for that role where it has an audience. */
  public TestClient client(EndpointRole role) throws IOException {
    TestClient c = new TestClient(app.url(role), app.certificate());
    return app.audiences(role).isEmpty() ? c.anonymous() : c.withToken(token(admin.clientId(), admin.clientSecret(),
        app.homeTenantId(), app.audiences(role).stream().filter(a -> !a.startsWith("https://127.")).findFirst().orElseThrow()));
  }

  /**
   * A directory tenant with a service principal that owns one subscription of the tenant, and a
   * client of the cloud ARM endpoint signed in as that principal.
   */
  public record TestTenant(String tenantId, String domain, String clientId, String clientSecret, String objectId,
      String subscriptionId, TestClient client) {}

  public TestTenant newTenant(String domain) {
    var directory = app.directory();
    var tenant = directory.createTenant(null, domain, domain);
    var sp = directory.createServicePrincipal(tenant.tenantId(), "owner of " + domain, null, null);
    String subscription = UUID.randomUUID().toString();
    app.cloudArm().subscriptions().create(subscription, domain + " subscription", tenant.tenantId());
    app.roleAssignments().assign(UUID.randomUUID().toString(), "/subscriptions/" + subscription,
        org.stackledger.access.RoleDefinition.OWNER, sp.principal().objectId(), "ServicePrincipal");
    String clientId = sp.principal().appId().orElseThrow();
    TestClient c = client.anonymous().withToken(token(clientId, sp.clientSecret(), tenant.tenantId(), Stackledger.CLOUD_AUDIENCE));
    return new TestTenant(tenant.tenantId(), tenant.domain(), clientId, sp.clientSecret(), sp.principal().objectId(),
        subscription, c);
  }

  /** Creates a subscription in the home tenant and returns its id. */
  public String newSubscription() {
    String id = UUID.randomUUID().toString();
    app.cloudArm().subscriptions().create(id, "test subscription " + id.substring(0, 8), app.homeTenantId());
    return id;
  }

  @Override
  public void close() throws Exception {
    app.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
