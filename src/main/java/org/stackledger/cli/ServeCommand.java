package org.stackledger.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.ServerOptions;
import org.stackledger.app.Stackledger;
import org.stackledger.identity.OidcIssuer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code stackledger serve}: runs both planes until SIGTERM or Ctrl-C, then shuts down gracefully. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the service (cloud plane and one stack deployment).")
final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @picocli.CommandLine.Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", description = "Port of the cloud ARM endpoint; the other endpoints take the next four. "
      + "0 picks free ports. Default: ${DEFAULT-VALUE}.", defaultValue = "" + ServerOptions.DEFAULT_PORT)
  int port;

  @Option(names = "--data-dir", description = "Data folder. Default: $STACKLEDGER_HOME or ~/.stackledger.")
  Path dataDir;

  @Option(names = "--http", description = "Serve plain HTTP instead of HTTPS (local experiments only).")
  boolean http;

  @Option(names = "--db", description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://host:5432/stackledger?user=u&password=p. "
      + "Default: the embedded store in the data folder.")
  String db;

  @Option(names = "--host", description = "Address to listen on. Default: ${DEFAULT-VALUE}.", defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--stack-identity-issuer", paramLabel = "URL", description = "Make the deployment's ARM endpoints "
      + "trust this external OIDC issuer (Entra ID, AD FS, Keycloak) instead of the built-in directory: its "
      + ".well-known/openid-configuration URL, or the base URL it is under. The cloud endpoints keep the built-in directory.")
  String stackIssuer;

  @Option(names = "--stack-identity-issuer-ca", paramLabel = "PEM", description = "Certificates to trust for the "
      + "issuer's HTTPS instead of the JDK's (e.g. another stackledger's tls/server.pem).")
  Path stackIssuerCa;

  @Option(names = "--stack-identity-tenant", paramLabel = "GUID", description = "The directory tenant the issuer "
      + "stands for, used for tokens without a 'tid' (AD FS). Default: the GUID the issuer URL starts with, if any.")
  String stackTenant;

  @Option(names = "--cloud-id", paramLabel = "GUID", description = "The deployment's CloudId. Fixed at first start "
      + "(default: a new GUID); later starts keep it and refuse another.")
  String cloudId;

  @Option(names = "--region", description = "The deployment's region name. Fixed at first start (default: local).")
  String region;

  @Option(names = "--external-domain", paramLabel = "FQDN", description = "The deployment's external domain. Fixed at "
      + "first start (default: azurestack.external).")
  String externalDomain;

  @Option(names = "--identity-system", paramLabel = "AzureAD|ADFS", description = "The deployment's identity system. "
      + "Fixed at first start (default: ADFS with --stack-identity-issuer, else AzureAD).")
  String identitySystem;

  @Option(names = "--cloud", paramLabel = "FILE", description = "Register this deployment with another stackledger "
      + "process's cloud plane: the endpoints.json in that process's data folder (its URLs, certificate and home tenant). "
      + "Default: this process's own cloud plane.")
  Path cloud;

  @Option(names = "--clock-file", paramLabel = "FILE", hidden = true, description = "Tests and demos only: the "
      + "service's time is the ISO 8601 instant written in FILE, moved by rewriting it.")
  Path clockFile;

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    Path dir = dataDir != null ? dataDir : StackledgerCommand.defaultDataDir();
    ServerOptions options = ServerOptions.defaults(dir).withPort(port).withPlainHttp(http).withJdbcUrl(db)
        .withHost(host).withAdmin(ServerOptions.AdminCredentials.fromEnvironment(System.getenv()))
        .withStackIdentity(stackIdentity())
        .withStamp(new ServerOptions.Stamp(cloudId, region, externalDomain, identitySystem));
    if (cloud != null) {
      options = options.withCloud(cloudOf(cloud));
    }
    if (clockFile != null) {
      options = options.withClock(new org.stackledger.app.FileClock(clockFile));
    }
    Stackledger app;
    try {
      app = Stackledger.start(options);
    } catch (org.stackledger.stamp.StampFacts.ConflictException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping");
      try {
        app.close();
      } catch (Exception e) {
        LOG.warn("shutdown did not complete cleanly", e);
      }
    }, "shutdown"));
    long millis = (System.nanoTime() - started) / 1_000_000;
    StringBuilder out = new StringBuilder("stackledger " + VersionCommand.version() + " is serving (data: "
        + dir.toAbsolutePath() + ", store: " + app.database().engine() + ")\n");
    for (EndpointRole role : EndpointRole.values()) {
      out.append(String.format("  %-15s %s%n", role.key(), app.url(role)));
    }
    out.append(String.format("  %-15s %s%n", "certificate", app.certificate() == null ? "(plain HTTP)" : app.certificate()));
    out.append(String.format("  %-15s %s%n", "stackIdentity", app.stackIdentity()));
    out.append(String.format("  %-15s %s (region %s, domain %s, %s)%n", "cloudId", app.stamp().cloudId(),
        app.stamp().region(), app.stamp().externalDomain(), app.stamp().identitySystem()));
    out.append(String.format("  %-15s %s%n", "homeTenantId", app.homeTenantId()));
    out.append(String.format("  %-15s %s%n", "operatorSub", app.operatorSubscriptionId()));
    out.append(String.format("  %-15s %s%n", "adminClientId", app.adminAppId()));
    app.generatedAdmin().ifPresent(admin -> out.append(String.format(
        "  %-15s %s   <- shown this once; sign in with: stackledger login --service-principal -u %s -p <secret> --tenant %s%n",
        "adminSecret", admin.clientSecret(), admin.clientId(), app.homeTenantId())));
    out.append("  endpoints.json  ").append(dir.resolve("endpoints.json").toAbsolutePath()).append('\n');
    out.append("started in ").append(millis).append(" ms (JVM up ")
        .append(java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime()).append(" ms)");
    spec.commandLine().getOut().println(out);
    spec.commandLine().getOut().flush();
    return 0;
  }

  private ServerOptions.StackIdentity stackIdentity() {
    if (stackIssuer == null) {
      if (stackIssuerCa != null || stackTenant != null) {
        throw new ParameterException(spec.commandLine(),
            "--stack-identity-issuer-ca and --stack-identity-tenant need --stack-identity-issuer");
      }
      return null;
    }
    try {
      OidcIssuer.discoveryUrl(stackIssuer);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--stack-identity-issuer: " + e.getMessage());
    }
    if (stackTenant != null && !stackTenant.matches("[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")) {
      throw new ParameterException(spec.commandLine(), "--stack-identity-tenant must be a directory tenant id (a GUID)");
    }
    return new ServerOptions.StackIdentity(stackIssuer, stackIssuerCa, stackTenant);
  }

  /** The cloud another process serves, from the endpoints.json it wrote. */
  static ServerOptions.Cloud cloudOf(Path endpointsFile) throws java.io.IOException {
    com.fasterxml.jackson.databind.JsonNode e = org.stackledger.http.Json.MAPPER.readTree(endpointsFile.toFile());
    String arm = e.path(EndpointRole.CLOUD_ARM.key()).asText(null);
    String identity = e.path(EndpointRole.IDENTITY.key()).asText(null);
    String tenant = e.path("homeTenantId").asText(null);
    if (arm == null || identity == null || tenant == null) {
      throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new ServeCommand()),
          "--cloud: " + endpointsFile + " is not a stackledger endpoints.json (cloudArm, identity and homeTenantId are required)");
    }
    String certificate = e.path("certificate").asText(null);
    return new ServerOptions.Cloud(arm, identity, tenant, certificate == null ? null : Path.of(certificate));
  }
}
