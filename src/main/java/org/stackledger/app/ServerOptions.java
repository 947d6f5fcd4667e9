package org.stackledger.app;

import java.nio.file.Path;
import java.time.Clock;

/**
 * How to run the service.
 *
 * @param host       the address every endpoint listens on
 * @param basePort   the cloud ARM endpoint's port; the other roles take the next four ports. 0 picks
 *                   free ports for each
 * @param dataDir    the data folder: embedded database, TLS certificate, {@code endpoints.json}
 * @param plainHttp  serve HTTP instead of HTTPS
 * @param jdbcUrl    a PostgreSQL JDBC URL, or {@code null} for the embedded store
 * @param bodyLimit  the largest request body accepted, in bytes
 * @param pageSize   the default number of items in one page of a list
 * @param clock      the clock every time-dependent piece reads
 * @param admin      the operator's admin service principal to create on first start, or
 *                   {@code null} to generate one (its secret is then printed once)
 * @param stackIdentity the external OIDC issuer the stack endpoints trust instead of the built-in
 *                   directory, or {@code null} for the built-in directory
 * @param cloud      the cloud plane this deployment is registered with, when it is another process's:
 *                   this process then builds and serves no cloud plane of its own; {@code null} for this
 *                   process's own cloud plane
 * @param cspSubscriptions how the registration provider asks Partner Center about an Azure
 *                   subscription, or {@code null} until Partner Center is wired: every look-up then
 *                   fails as unavailable (502 {@code MetadataResolverBadGatewayError})
 * @param jdbcCredentials the user and password for {@code jdbcUrl} when they are not in it, or {@code null}
 * @param kafka      the Kafka cluster the deployment's usage log keeps its events in and the cloud's commerce
 *                   queues uploads on ({@code serve --kafka}), or {@code null} for the database alone
 * @param roles      the work this process takes part in ({@code --roles}); all of it unless on Kafka
 * @param consoleSignIn how the console signs people in, or {@code null} for the default
 *                   ({@link org.stackledger.console.SignInFactory#DEFAULT})
 */
public record ServerOptions(String host, int basePort, Path dataDir, boolean plainHttp, String jdbcUrl,
    long bodyLimit, int pageSize, Clock clock, AdminCredentials admin, StackIdentity stackIdentity,
    org.stackledger.csp.CspSubscriptions cspSubscriptions, Stamp stamp, Cloud cloud, JdbcCredentials jdbcCredentials,
    org.stackledger.kafka.KafkaSettings kafka, java.util.Set<ProcessRole> roles,
    org.stackledger.console.SignInFactory consoleSignIn) {
  public ServerOptions {
    roles = roles == null || roles.isEmpty() ? ProcessRole.all() : java.util.Set.copyOf(roles);
  }

  public ServerOptions withRoles(java.util.Set<ProcessRole> r) {
    return new ServerOptions(host, basePort, dataDir, plainHttp, jdbcUrl, bodyLimit, pageSize, clock, admin, stackIdentity,
        cspSubscriptions, stamp, cloud, jdbcCredentials, kafka, r, consoleSignIn);
  }

  /** A database user and password; the password never shows in {@link #toString()}. */
  public record JdbcCredentials(String user, String password) {
    @Override
    public String toString() {
      return "JdbcCredentials[user=" + user + ", password=" + (password == null ? "none" : "(hidden)") + "]";
    }
  }

  public ServerOptions withKafka(org.stackledger.kafka.KafkaSettings settings) {
    return new ServerOptions(host, basePort, dataDir, plainHttp, jdbcUrl, bodyLimit, pageSize, clock, admin, stackIdentity,
        cspSubscriptions, stamp, cloud, jdbcCredentials, settings, roles, consoleSignIn);
  }

  public ServerOptions withJdbcCredentials(JdbcCredentials credentials) {
    return new ServerOptions(host, basePort, dataDir, plainHttp, jdbcUrl, bodyLimit, pageSize, clock, admin, stackIdentity,
        cspSubscriptions, stamp, cloud, credentials, kafka, roles, consoleSignIn);
  }

  /** A service principal's client id and secret. */
  public record AdminCredentials(String clientId, String clientSecret) {
    /**
     * The operator admin a data folder's first start creates, from {@code STACKLEDGER_ADMIN_CLIENT_ID}
     * and {@code STACKLEDGER_ADMIN_CLIENT_SECRET}; {@code null} (generate one) unless both are set.
     * Every command that may make a data folder ({@code serve}, {@code simulate}) reads them here.
     */
    public static AdminCredentials fromEnvironment(java.util.Map<String, String> env) {
      String id = env.get("STACKLEDGER_ADMIN_CLIENT_ID");
      String secret = env.get("STACKLEDGER_ADMIN_CLIENT_SECRET");
      return id == null || id.isBlank() || secret == null || secret.isBlank() ? null : new AdminCredentials(id, secret);
    }

    @Override
    public String toString() {
      return "AdminCredentials[clientId=" + clientId + ", clientSecret=(hidden)]";
    }
  }

  /**
   * An external identity system for the deployment (Entra ID, AD FS, Keycloak).
   *
   * @param discoveryUrl  its {@code .well-known/openid-configuration} URL (or the base it is under)
   * @param caCertificate a PEM of certificates to trust for its TLS, or {@code null} for the JDK's
   * @param tenantId      the directory tenant it stands for, or {@code null} to take it from the
   *                      issuer URL or the tokens' {@code tid}
   */
  public record StackIdentity(String discoveryUrl, Path caCertificate, String tenantId) {}

  /**
   * The deployment's facts asked for on the command line; each {@code null} means "the stored value,
   * or the default on first start". A value that differs from the stored one is refused at start.
   *
   * @param cloudId        the CloudId (a GUID)
   * @param region         the region name (default {@code local})
   * @param externalDomain the external domain (default {@code azurestack.external})
   * @param identitySystem {@code AzureAD} or {@code ADFS} (default ADFS with a stack identity issuer, else AzureAD)
   */
  public record Stamp(String cloudId, String region, String externalDomain, String identitySystem) {}

  public ServerOptions withStamp(Stamp s) {
    return new ServerOptions(host, basePort, dataDir, plainHttp, jdbcUrl, bodyLimit, pageSize, clock, admin, stackIdentity,
        cspSubscriptions, s, cloud, jdbcCredentials, kafka, roles, consoleSignIn);
  }

  /**
   * Another process's cloud plane, as its {@code endpoints.json} describes it: where the deployment
   * checks activation keys, resolves guest directories, signs its bridge in and ships usage.
   *
   * @param armUrl       the cloud ARM endpoint's base URL (ending in {@code /})
   * @param identityUrl  the cloud identity endpoint's base URL (ending in {@code /})
   * @param homeTenantId the cloud's home directory tenant, whose issuer signs activation keys
   * @param caPem        certificates to trust for the cloud's TLS, or {@code null} for the JDK's
   */
  public record Cloud(String armUrl, String identityUrl, String homeTenantId, Path caPem) {}

  public ServerOptions withCloud(Cloud c) {
    return new ServerOptions(host, basePort, dataDir, plainHttp, jdbcUrl, bodyLimit, pageSize, clock, admin, stackIdentity,
        cspSubscriptions, stamp, c, jdbcCredentials, kafka, roles, consoleSignIn);
  }

  public static final int DEFAULT_PORT = 8443;
  public static final long DEFAULT_BODY_LIMIT = 4L * 1024 * 1024;
  public static final int DEFAULT_PAGE_SIZE = 100;

  public static ServerOptions defaults(Path dataDir) {
    return new ServerOptions("127.0.0.1", DEFAULT_PORT, dataDir, false, null, DEFAULT_BODY_LIMIT, DEFAULT_PAGE_SIZE,
        Clock.systemUTC(), null, null, null, null, null, null, null, ProcessRole.all(), null);
  }

  public ServerOptions withPort(int port) {
    return new ServerOptions(host, port, dataDir, plainHttp, jdbcUrl, bodyLimit, pageSize, clock, admin, stackIdentity, cspSubscriptions, stamp, cloud, jdbcCredentials, kafka, roles, consoleSignIn);
  }

  public ServerOptions withPlainHttp(boolean http) {
    return new ServerOptions(host, basePort, dataDir, http, jdbcUrl, bodyLimit, pageSize, clock, admin, stackIdentity, cspSubscriptions, stamp, cloud, jdbcCredentials, kafka, roles, consoleSignIn);
  }

  public ServerOptions withJdbcUrl(String url) {
    return new ServerOptions(host, basePort, dataDir, plainHttp, url, bodyLimit, pageSize, clock, admin, stackIdentity, cspSubscriptions, stamp, cloud, jdbcCredentials, kafka, roles, consoleSignIn);
  }

  public ServerOptions withPageSize(int size) {
    return new ServerOptions(host, basePort, dataDir, plainHttp, jdbcUrl, bodyLimit, size, clock, admin, stackIdentity, cspSubscriptions, stamp, cloud, jdbcCredentials, kafka, roles, consoleSignIn);
  }

  public ServerOptions withBodyLimit(long limit) {
    return new ServerOptions(host, basePort, dataDir, plainHttp, jdbcUrl, limit, pageSize, clock, admin, stackIdentity, cspSubscriptions, stamp, cloud, jdbcCredentials, kafka, roles, consoleSignIn);
  }

  public ServerOptions withHost(String h) {
    return new ServerOptions(h, basePort, dataDir, plainHttp, jdbcUrl, bodyLimit, pageSize, clock, admin, stackIdentity, cspSubscriptions, stamp, cloud, jdbcCredentials, kafka, roles, consoleSignIn);
  }

  public ServerOptions withAdmin(AdminCredentials credentials) {
    return new ServerOptions(host, basePort, dataDir, plainHttp, jdbcUrl, bodyLimit, pageSize, clock, credentials,
        stackIdentity, cspSubscriptions, stamp, cloud, jdbcCredentials, kafka, roles, consoleSignIn);
  }

  public ServerOptions withClock(Clock c) {
    return new ServerOptions(host, basePort, dataDir, plainHttp, jdbcUrl, bodyLimit, pageSize, c, admin, stackIdentity, cspSubscriptions, stamp, cloud, jdbcCredentials, kafka, roles, consoleSignIn);
  }

  public ServerOptions withStackIdentity(StackIdentity identity) {
    return new ServerOptions(host, basePort, dataDir, plainHttp, jdbcUrl, bodyLimit, pageSize, clock, admin, identity, cspSubscriptions, stamp, cloud, jdbcCredentials, kafka, roles, consoleSignIn);
  }

  public ServerOptions withCspSubscriptions(org.stackledger.csp.CspSubscriptions partnerCenter) {
    return new ServerOptions(host, basePort, dataDir, plainHttp, jdbcUrl, bodyLimit, pageSize, clock, admin, stackIdentity,
        partnerCenter, stamp, cloud, jdbcCredentials, kafka, roles, consoleSignIn);
  }

  /** The console's sign-in (tests put a password form there until the authorization-code flow is wired). */
  public ServerOptions withConsoleSignIn(org.stackledger.console.SignInFactory factory) {
    return new ServerOptions(host, basePort, dataDir, plainHttp, jdbcUrl, bodyLimit, pageSize, clock, admin, stackIdentity,
        cspSubscriptions, stamp, cloud, jdbcCredentials, kafka, roles, factory);
  }
}
