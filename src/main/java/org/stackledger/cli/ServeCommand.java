package org.stackledger.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stackledger.app.EndpointRole;
import org.stackledger.app.ServerOptions;
import org.stackledger.app.Stackledger;
import org.stackledger.app.StartRefused;
import org.stackledger.app.StartupConfig;
import org.stackledger.http.Guids;
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

  @Option(names = "--config", paramLabel = "FILE", description = "A properties file with the same keys as these "
      + "flags (data-dir, host, port, http, db.url, db.user, db.password, log.format, log.level, admin.client-id, "
      + "admin.client-secret). A flag beats an environment variable, which beats the file. Default: $STACKLEDGER_CONFIG.")
  Path config;

  @Option(names = "--port", description = "Port of the cloud ARM endpoint; the other endpoints take the next four. "
      + "0 picks free ports. Default: $STACKLEDGER_PORT, else " + ServerOptions.DEFAULT_PORT + ".")
  Integer port;

  @Option(names = "--data-dir", description = "Data folder. Default: $STACKLEDGER_HOME or ~/.stackledger.")
  Path dataDir;

  @Option(names = "--http", description = "Serve plain HTTP instead of HTTPS (local experiments only).")
  Boolean http;

  @Option(names = "--db", paramLabel = "JDBC-URL", description = "PostgreSQL JDBC URL, e.g. "
      + "jdbc:postgresql://host:5432/stackledger. Default: $STACKLEDGER_DB_URL, else the embedded store in the data "
      + "folder. The password goes in $STACKLEDGER_DB_PASSWORD or the config file, not here.")
  String db;

  @Option(names = "--db-user", paramLabel = "USER", description = "The database user. Default: $STACKLEDGER_DB_USER.")
  String dbUser;

  @Option(names = "--host", description = "Address to listen on. Default: $STACKLEDGER_HOST, else 127.0.0.1.")
  String host;

  @picocli.CommandLine.Mixin
  LogOptions logs = new LogOptions();

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

  @Option(names = "--kafka", paramLabel = "BOOTSTRAP", description = "Keep the deployment's usage log on Apache "
      + "Kafka: host:port[,host:port...] of the cluster. The batches' events go to the topic PREFIXusage-log (made if "
      + "absent), acknowledged by every in-sync replica before the intake answers; hours, counts and keys stay in the "
      + "database. Default: $STACKLEDGER_KAFKA, else none (the database alone).")
  String kafka;

  @Option(names = "--kafka-topic-prefix", paramLabel = "PREFIX", description = "Prefix of every topic stackledger "
      + "makes (several deployments may share a cluster). Default: $STACKLEDGER_KAFKA_TOPIC_PREFIX, else stackledger.")
  String kafkaTopicPrefix;

  @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client properties (security.protocol, "
      + "ssl.*, sasl.*), as Kafka's own tools take them. Default: $STACKLEDGER_KAFKA_CONFIG.")
  Path kafkaConfig;

  @Option(names = "--roles", paramLabel = "LIST", description = "With --kafka, the work this process takes part "
      + "in, comma-separated: intake, aggregator, commerce (commerce: run a commerce worker storing the uploads "
      + "queued on the topic PREFIXusage-records). Every process serves the API. Default: $STACKLEDGER_ROLES, else all "
      + "three.")
  String roles;

  @Option(names = "--clock-file", paramLabel = "FILE", hidden = true, description = "Tests and demos only: the "
      + "service's time is the ISO 8601 instant written in FILE, moved by rewriting it.")
  Path clockFile;

  @Override
  public Integer call() throws Exception {
    long started = System.nanoTime();
    StartupConfig settings;
    ServerOptions options;
    LogOptions.Settings logging;
    try {
      settings = StartupConfig.load(System.getenv(), config);
      options = options(settings);
      logging = logs.resolve(settings);
    } catch (IllegalArgumentException e) {
      // A setting from the environment or the config file is not a command-line mistake: one line, no usage.
      spec.commandLine().getErr().println("error: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 2;
    }
    settings.warnings().forEach(w -> spec.commandLine().getErr().println("warning: " + w));
    Path dir = options.dataDir();
    Stackledger app;
    try {
      app = Stackledger.start(options);
    } catch (org.stackledger.stamp.StampFacts.ConflictException | StartRefused e) {
      return refused(e.getMessage());
    } catch (com.zaxxer.hikari.pool.HikariPool.PoolInitializationException e) {
      // Never the URL: it may carry a password.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return refused("cannot open the database given by --db/db.url: " + cause.getMessage());
    }
    AutoCloseable logFile = logging.open(dir);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("stopping");
      try {
        app.close();
      } catch (Exception e) {
        LOG.warn("shutdown did not complete cleanly", e);
      }
      try {
        logFile.close();
      } catch (Exception ignored) {
        // The process is ending.
      }
    }, "shutdown"));
    long millis = (System.nanoTime() - started) / 1_000_000;
    StringBuilder out = new StringBuilder("stackledger " + VersionCommand.version() + " is serving (data: "
        + dir.toAbsolutePath() + ", store: " + app.database().engine() + ")\n");
    for (EndpointRole role : EndpointRole.values()) {
      // A deployment reporting to another process's cloud binds the cloud's ports but serves none of its API.
      out.append(String.format("  %-15s %s%n", role.key(), app.serves(role) ? app.url(role)
          : "(not served: this deployment reports to the cloud at " + app.cloudArmUrl() + ")"));
    }
    out.append(String.format("  %-15s %s%n", "certificate", app.certificate() == null ? "(plain HTTP)" : app.certificate()));
    out.append(String.format("  %-15s %s%n", "stackIdentity", app.stackIdentity()));
    if (options.kafka() != null) {
      out.append(String.format("  %-15s %s (topics %s*), roles %s%n", "kafka", options.kafka().bootstrap(),
          options.kafka().topicPrefix(), options.roles().stream().sorted().map(r -> r.key())
              .collect(java.util.stream.Collectors.joining(","))));
    }
    out.append(String.format("  %-15s %s (region %s, domain %s, %s)%n", "cloudId", app.stamp().cloudId(),
        app.stamp().region(), app.stamp().externalDomain(), app.stamp().identitySystem()));
    out.append(String.format("  %-15s %s%n", "homeTenantId", app.homeTenantId()));
    out.append(String.format("  %-15s %s%n", "operatorSub", app.operatorSubscriptionId()));
    out.append(String.format("  %-15s %s%n", "adminClientId", app.adminAppId()));
    app.generatedAdmin().ifPresent(admin -> out.append(String.format("  %-15s %s   <- shown this once%n",
        "adminSecret", admin.clientSecret())));
    out.append(String.format("  %-15s %s (the console's operator sign-in)%n", "adminUser", app.adminUser()));
    app.generatedAdminUser().ifPresent(user -> out.append(String.format("  %-15s %s   <- shown this once%n",
        "adminPassword", user.clientSecret())));
    out.append(String.format("  %-15s %s%n", "endpoints.json", dir.resolve("endpoints.json").toAbsolutePath()));
    out.append(String.format("  %-15s %s%n", "logs", dir.resolve("logs").resolve("stackledger.log").toAbsolutePath()));
    out.append(signInHint(dir, app));
    out.append("started in ").append(millis).append(" ms (JVM up ")
        .append(java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime()).append(" ms)");
    spec.commandLine().getOut().println(out);
    spec.commandLine().getOut().flush();
    return 0;
  }

  /**
   * How to reach this server from another terminal. The CLI finds a server by its data folder, so a
   * folder other than the default must travel with the commands: the export comes first.
   */
  private static String signInHint(Path dir, Stackledger app) {
    StringBuilder hint = new StringBuilder("Sign in (another terminal):\n");
    Path absolute = dir.toAbsolutePath().normalize();
    if (!absolute.equals(StackledgerCommand.defaultDataDir().toAbsolutePath().normalize())
        || System.getenv("STACKLEDGER_HOME") != null) {
      hint.append("  export STACKLEDGER_HOME=").append(absolute).append('\n');
    }
    hint.append("  stackledger login --service-principal -u ").append(app.adminAppId()).append(" -p ")
        .append(app.generatedAdmin().isPresent() ? "<adminSecret above>" : "<secret>").append(" --tenant ")
        .append(app.homeTenantId()).append('\n');
    return hint.toString();
  }

  private int refused(String message) {
    spec.commandLine().getErr().println("error: " + message);
    spec.commandLine().getErr().flush();
    return 1;
  }

  /** The server's options from the flags, the environment and the config file, in that order. */
  ServerOptions options(StartupConfig settings) {
    String folder = settings.resolve(StartupConfig.Key.DATA_DIR, dataDir == null ? null : dataDir.toString(), null);
    Path dir = folder != null ? Path.of(folder) : StackledgerCommand.defaultDataDir();
    String adminId = settings.resolve(StartupConfig.Key.ADMIN_CLIENT_ID, null, null);
    String adminSecret = settings.resolve(StartupConfig.Key.ADMIN_CLIENT_SECRET, null, null);
    String url = settings.resolve(StartupConfig.Key.DB_URL, db, null);
    String user = settings.resolve(StartupConfig.Key.DB_USER, dbUser, null);
    String password = settings.resolve(StartupConfig.Key.DB_PASSWORD, null, null);
    if (url == null && (user != null || password != null)) {
      throw new IllegalArgumentException("a database user or password is set but no database: give --db (or db.url)");
    }
    int basePort = settings.resolveInt(StartupConfig.Key.PORT, port, ServerOptions.DEFAULT_PORT);
    if (basePort != 0 && (basePort < 1 || basePort > 65535 - EndpointRole.values().length + 1)) {
      throw new IllegalArgumentException("--port: " + basePort + " is not a port whose next four are ports too (1-65531, or 0)");
    }
    String bootstrap = settings.resolve(StartupConfig.Key.KAFKA, kafka, null);
    String prefix = settings.resolve(StartupConfig.Key.KAFKA_TOPIC_PREFIX, kafkaTopicPrefix, "stackledger.");
    String kafkaFile = settings.resolve(StartupConfig.Key.KAFKA_CONFIG, kafkaConfig == null ? null
        : kafkaConfig.toString(), null);
    if (bootstrap == null && kafkaFile != null) {
      throw new IllegalArgumentException("a Kafka client properties file is set but no cluster: give --kafka "
          + "(or kafka.bootstrap)");
    }
    org.stackledger.kafka.KafkaSettings kafkaSettings = bootstrap == null ? null
        : org.stackledger.kafka.KafkaSettings.of(bootstrap, prefix, kafkaFile == null ? null : Path.of(kafkaFile));
    String roleList = settings.resolve(StartupConfig.Key.ROLES, roles, null);
    java.util.Set<org.stackledger.app.ProcessRole> processRoles = roleList == null
        ? org.stackledger.app.ProcessRole.all() : org.stackledger.app.ProcessRole.parse(roleList);
    if (kafkaSettings == null && !processRoles.equals(org.stackledger.app.ProcessRole.all())) {
      throw new IllegalArgumentException("--roles " + roleList + " needs --kafka: without Kafka one process does all "
          + "the work (intake,aggregator,commerce)");
    }
    ServerOptions options = ServerOptions.defaults(dir).withPort(basePort)
        .withPlainHttp(settings.resolveBoolean(StartupConfig.Key.HTTP, http, false)).withJdbcUrl(url)
        .withJdbcCredentials(user == null && password == null ? null : new ServerOptions.JdbcCredentials(user, password))
        .withHost(settings.resolve(StartupConfig.Key.HOST, host, "127.0.0.1"))
        .withAdmin(adminId == null || adminSecret == null ? null : new ServerOptions.AdminCredentials(adminId, adminSecret))
        .withStackIdentity(stackIdentity())
        .withStamp(new ServerOptions.Stamp(cloudId, region, externalDomain, identitySystem)).withKafka(kafkaSettings)
        .withRoles(processRoles);
    if (cloud != null) {
      try {
        options = options.withCloud(cloudOf(cloud));
      } catch (java.io.IOException e) {
        throw new IllegalArgumentException("--cloud: cannot read " + cloud + ": " + e.getMessage());
      }
    }
    if (clockFile != null) {
      options = options.withClock(new org.stackledger.app.FileClock(clockFile));
    }
    return options;
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
    if (stackTenant != null && !Guids.isGuid(stackTenant)) {
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
