package org.stackledger.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stackledger.app.ProcessRole;
import org.stackledger.app.ServerOptions;
import org.stackledger.app.StartupConfig;
import org.stackledger.logging.LogFormat;
import picocli.CommandLine;

/**
 * Where {@code serve} takes each setting from: its flag, else the environment, else the config file,
 * else the default; and what it says when a setting is wrong.
 */
class ServeCommandConfigTest {
  @TempDir
  Path dir;

  private record Parsed(ServerOptions options, LogOptions.Settings logs, StartupConfig config) {}

  private static Parsed parse(Map<String, String> env, String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(args);
    StartupConfig config = StartupConfig.load(env, serve.config);
    return new Parsed(serve.options(config), serve.logs.resolve(config), config);
  }

  private Path file(String text) throws Exception {
    Path f = dir.resolve("stackledger.properties");
    Files.writeString(f, text);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    return f;
  }

  @Test
  void aFlagBeatsTheEnvironmentWhichBeatsTheConfigFileWhichBeatsTheDefault() throws Exception {
    Path config = file("""
        # every key of the file
        port = 9443
        host = 0.0.0.0
        data-dir = /srv/from-file
        db.url = jdbc:postgresql://db.example:5432/ledger
        db.user = from-file
        db.password = file-password
        log.format = logfmt
        log.level = DEBUG
        """);
    Parsed fileOnly = parse(Map.of(), "--config", config.toString());
    assertThat(fileOnly.options().basePort()).isEqualTo(9443);
    assertThat(fileOnly.options().host()).isEqualTo("0.0.0.0");
    assertThat(fileOnly.options().dataDir()).isEqualTo(Path.of("/srv/from-file"));
    assertThat(fileOnly.options().jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5432/ledger");
    assertThat(fileOnly.options().jdbcCredentials().user()).isEqualTo("from-file");
    assertThat(fileOnly.options().jdbcCredentials().password()).isEqualTo("file-password");
    assertThat(fileOnly.logs().format()).isEqualTo(LogFormat.LOGFMT);
    assertThat(fileOnly.logs().level()).isEqualTo("DEBUG");

    Map<String, String> env = Map.of("STACKLEDGER_CONFIG", config.toString(), "STACKLEDGER_PORT", "10443",
        "STACKLEDGER_DB_PASSWORD", "env-password", "STACKLEDGER_HOME", "/srv/from-env", "STACKLEDGER_LOG_LEVEL", "warn");
    Parsed envOverFile = parse(env);
    assertThat(envOverFile.config().file()).isEqualTo(config);
    assertThat(envOverFile.options().basePort()).isEqualTo(10443);
    assertThat(envOverFile.options().dataDir()).isEqualTo(Path.of("/srv/from-env"));
    assertThat(envOverFile.options().jdbcCredentials().password()).isEqualTo("env-password");
    assertThat(envOverFile.options().jdbcCredentials().user()).isEqualTo("from-file");
    assertThat(envOverFile.logs().level()).isEqualTo("WARN");

    Parsed flags = parse(env, "--port", "11443", "--data-dir", "/srv/from-flag", "--db-user", "from-flag",
        "--log-format", "json", "--log-level", "ERROR", "--host", "127.0.0.2");
    assertThat(flags.options().basePort()).isEqualTo(11443);
    assertThat(flags.options().dataDir()).isEqualTo(Path.of("/srv/from-flag"));
    assertThat(flags.options().jdbcCredentials().user()).isEqualTo("from-flag");
    assertThat(flags.options().host()).isEqualTo("127.0.0.2");
    assertThat(flags.logs().format()).isEqualTo(LogFormat.JSON);
    assertThat(flags.logs().level()).isEqualTo("ERROR");
    // The password has no flag: only the environment or the file give it.
    assertThat(flags.options().jdbcCredentials().password()).isEqualTo("env-password");
    assertThat(flags.options().jdbcCredentials().toString()).doesNotContain("env-password");

    Parsed defaults = parse(Map.of("HOME", "/home/x"));
    assertThat(defaults.options().basePort()).isEqualTo(ServerOptions.DEFAULT_PORT);
    assertThat(defaults.options().host()).isEqualTo("127.0.0.1");
    assertThat(defaults.options().jdbcUrl()).isNull();
    assertThat(defaults.options().jdbcCredentials()).isNull();
    assertThat(defaults.logs().format()).isEqualTo(LogFormat.JSON);
  }

  @Test
  void theAdminCredentialsComeFromTheEnvironmentOrTheFileAndNeverShowInToString() throws Exception {
    Path config = file("admin.client-id = 11111111-2222-3333-4444-555555555555\nadmin.client-secret = file-secret-value\n");
    ServerOptions options = parse(Map.of(), "--config", config.toString()).options();
    assertThat(options.admin().clientId()).isEqualTo("11111111-2222-3333-4444-555555555555");
    assertThat(options.admin().clientSecret()).isEqualTo("file-secret-value");
    assertThat(options.toString()).doesNotContain("file-secret-value");
    Map<String, String> env = new HashMap<>(Map.of("STACKLEDGER_ADMIN_CLIENT_SECRET", "env-secret-value"));
    assertThat(parse(env, "--config", config.toString()).options().admin().clientSecret()).isEqualTo("env-secret-value");
  }

  @Test
  void aConfigFileWithAnUnknownKeyIsRefusedNamingTheKey() throws Exception {
    Path config = file("prot = 9443\n");
    assertThatThrownBy(() -> parse(Map.of(), "--config", config.toString()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown key 'prot'")
        .hasMessageContaining(config.toString());
  }

  @Test
  void aMissingConfigFileIsRefusedNamingWhereItWasAskedFor() {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> parse(Map.of("STACKLEDGER_CONFIG", missing.toString())))
        .hasMessage("STACKLEDGER_CONFIG: no such config file: " + missing);
  }

  @Test
  void aBadValueIsRefusedNamingWhereItCameFrom() throws Exception {
    Path config = file("port = eighty\nlog.format = xml\n");
    assertThatThrownBy(() -> parse(Map.of(), "--config", config.toString()))
        .hasMessageContaining("config file " + config + " (port)").hasMessageContaining("'eighty' is not a whole number");
    assertThatThrownBy(() -> parse(Map.of("STACKLEDGER_LOG_LEVEL", "loud")))
        .hasMessageContaining("STACKLEDGER_LOG_LEVEL: 'loud' is not a log level");
    assertThatThrownBy(() -> parse(Map.of(), "--config", config.toString(), "--port", "8443"))
        .hasMessageContaining("config file " + config + " (log.format): 'xml' is not a log format");
    assertThatThrownBy(() -> parse(Map.of("STACKLEDGER_DB_PASSWORD", "x")))
        .hasMessageContaining("no database");
  }

  @Test
  void theRolesAreAllThreeByDefaultAndOthersNeedKafka() throws Exception {
    assertThat(parse(Map.of()).options().roles()).isEqualTo(ProcessRole.all());
    assertThat(parse(Map.of(), "--roles", "intake,aggregator,commerce").options().roles()).isEqualTo(ProcessRole.all());
    assertThat(parse(Map.of(), "--kafka", "127.0.0.1:9092", "--roles", "intake, aggregator").options().roles())
        .containsExactlyInAnyOrder(ProcessRole.INTAKE, ProcessRole.AGGREGATOR);
    assertThat(parse(Map.of("STACKLEDGER_KAFKA", "127.0.0.1:9092", "STACKLEDGER_ROLES", "commerce")).options().roles())
        .containsExactly(ProcessRole.COMMERCE);
    assertThat(parse(Map.of(), "--config", file("kafka.bootstrap = k:9092\nroles = commerce\n").toString())
        .options().roles()).containsExactly(ProcessRole.COMMERCE);
    assertThatThrownBy(() -> parse(Map.of(), "--roles", "commerce"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs --kafka");
    assertThatThrownBy(() -> parse(Map.of(), "--kafka", "127.0.0.1:9092", "--roles", "intake,billing"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'billing' is not a role");
  }

  @Test
  void aSecretInAConfigFileEveryUserCanReadIsWarnedAbout() throws Exception {
    Path config = file("db.url = jdbc:postgresql://db/ledger\ndb.password = p\n");
    assertThat(parse(Map.of(), "--config", config.toString()).config().warnings()).isEmpty();
    Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(parse(Map.of(), "--config", config.toString()).config().warnings()).singleElement()
        .asString().contains("chmod 600");
  }

  @Test
  void theExampleConfigFileThatShipsIsAccepted() {
    Parsed shipped = parse(Map.of(), "--config", Path.of("packaging", "stackledger.properties").toString());
    assertThat(shipped.options().dataDir()).isEqualTo(Path.of("/var/lib/stackledger"));
    assertThat(shipped.options().host()).isEqualTo("0.0.0.0");
    assertThat(shipped.options().jdbcUrl()).isNull();
  }
}
