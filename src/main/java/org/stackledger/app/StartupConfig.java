package org.stackledger.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The settings of a start besides its flags: environment variables and a config file (Java
 * properties, {@code --config FILE} or {@code STACKLEDGER_CONFIG}). A flag beats the environment,
 * which beats the file, which beats the default — so a database password can live in the
 * environment or a file only its service user reads, and never on a command line that {@code ps}
 * shows. A key the file does not know, or a value that does not parse, is refused with the place it
 * came from rather than ignored.
 */
public final class StartupConfig {
  /** Every key, with the flag and environment variable that set it too. */
  public enum Key {
    DATA_DIR("data-dir", "--data-dir", "STACKLEDGER_HOME"),
    HOST("host", "--host", "STACKLEDGER_HOST"),
    PORT("port", "--port", "STACKLEDGER_PORT"),
    HTTP("http", "--http", "STACKLEDGER_HTTP"),
    DB_URL("db.url", "--db", "STACKLEDGER_DB_URL"),
    DB_USER("db.user", "--db-user", "STACKLEDGER_DB_USER"),
    KAFKA("kafka.bootstrap", "--kafka", "STACKLEDGER_KAFKA"),
    KAFKA_TOPIC_PREFIX("kafka.topic-prefix", "--kafka-topic-prefix", "STACKLEDGER_KAFKA_TOPIC_PREFIX"),
    KAFKA_CONFIG("kafka.config", "--kafka-config", "STACKLEDGER_KAFKA_CONFIG"),
    ROLES("roles", "--roles", "STACKLEDGER_ROLES"),
    /** No flag on purpose: a command line is visible to every user of the machine. */
    DB_PASSWORD("db.password", null, "STACKLEDGER_DB_PASSWORD"),
    LOG_FORMAT("log.format", "--log-format", "STACKLEDGER_LOG_FORMAT"),
    LOG_LEVEL("log.level", "--log-level", "STACKLEDGER_LOG_LEVEL"),
    ADMIN_CLIENT_ID("admin.client-id", null, "STACKLEDGER_ADMIN_CLIENT_ID"),
    ADMIN_CLIENT_SECRET("admin.client-secret", null, "STACKLEDGER_ADMIN_CLIENT_SECRET");

    private final String name;
    private final String flag;
    private final String env;

    Key(String name, String flag, String env) {
      this.name = name;
      this.flag = flag;
      this.env = env;
    }

    /** The key as the config file spells it. */
    public String fileKey() {
      return name;
    }

    /** The environment variable, e.g. {@code STACKLEDGER_DB_PASSWORD}. */
    public String env() {
      return env;
    }

    /** The flag, or {@code null} for a key kept off the command line. */
    public String flag() {
      return flag;
    }

    static Optional<Key> ofFileKey(String name) {
      for (Key k : values()) {
        if (k.name.equals(name)) {
          return Optional.of(k);
        }
      }
      return Optional.empty();
    }
  }

  /** The environment variable that names a config file when {@code --config} does not. */
  public static final String CONFIG_ENV = "STACKLEDGER_CONFIG";

  private final Map<String, String> env;
  private final Path file;
  private final Properties values;
  private final List<String> warnings = new ArrayList<>();

  private StartupConfig(Map<String, String> env, Path file, Properties values) {
    this.env = env;
    this.file = file;
    this.values = values;
  }

  /**
   * Reads the environment and the config file: {@code configFlag} if given, else the one
   * {@code STACKLEDGER_CONFIG} names, else none.
   *
   * @throws IllegalArgumentException with a one-line message when the file is missing, unreadable or
   *                                  holds a key this program does not know
   */
  public static StartupConfig load(Map<String, String> env, Path configFlag) {
    Path file = configFlag != null ? configFlag : blankToNull(env.get(CONFIG_ENV)) == null ? null
        : Path.of(env.get(CONFIG_ENV).trim());
    Properties values = new Properties();
    StartupConfig config = new StartupConfig(env, file, values);
    if (file == null) {
      return config;
    }
    String from = configFlag != null ? "--config" : CONFIG_ENV;
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      values.load(in);
    } catch (java.nio.file.NoSuchFileException e) {
      throw new IllegalArgumentException(from + ": no such config file: " + file);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(from + ": cannot read the config file " + file + ": " + e.getMessage());
    }
    for (String name : values.stringPropertyNames()) {
      if (Key.ofFileKey(name).isEmpty()) {
        throw new IllegalArgumentException("config file " + file + ": unknown key '" + name + "' (known: "
            + String.join(", ", java.util.Arrays.stream(Key.values()).map(Key::fileKey).toList()) + ")");
      }
    }
    if (values.containsKey(Key.DB_PASSWORD.fileKey()) || values.containsKey(Key.ADMIN_CLIENT_SECRET.fileKey())) {
      config.warnIfOthersCanRead(file);
    }
    return config;
  }

  /** Flags and file aside, the environment alone (the demo's log settings). */
  public static StartupConfig environment(Map<String, String> env) {
    return new StartupConfig(env, null, new Properties());
  }

  private void warnIfOthersCanRead(Path configFile) {
    try {
      var permissions = Files.getPosixFilePermissions(configFile);
      if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
        warnings.add("the config file " + configFile + " holds a secret and every user can read it; chmod 600 it");
      }
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system: nothing to say.
    }
  }

  /** Things worth telling the person starting the server (a secret in a file others can read). */
  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** The config file read, or {@code null}. */
  public Path file() {
    return file;
  }

  /** The value: the flag's if given, else the environment's, else the file's, else {@code fallback}. */
  public String resolve(Key key, String flag, String fallback) {
    return setting(key, flag).map(Setting::value).orElse(fallback);
  }

  /** A whole number, refused with where it came from when it is not one. */
  public int resolveInt(Key key, Integer flag, int fallback) {
    Optional<Setting> s = setting(key, flag == null ? null : flag.toString());
    if (s.isEmpty()) {
      return fallback;
    }
    try {
      return Integer.parseInt(s.get().value().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(s.get().source() + ": '" + s.get().value() + "' is not a whole number");
    }
  }

  /** {@code true} or {@code false} (any case), refused with where it came from otherwise. */
  public boolean resolveBoolean(Key key, Boolean flag, boolean fallback) {
    Optional<Setting> s = setting(key, flag == null ? null : flag.toString());
    if (s.isEmpty()) {
      return fallback;
    }
    String v = s.get().value().trim().toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new IllegalArgumentException(s.get().source() + ": '" + s.get().value() + "' is neither true nor false");
    }
    return Boolean.parseBoolean(v);
  }

  /** A value and where it came from, for messages: the flag, the variable, or the file and key. */
  public record Setting(String value, String source) {}

  /** The winning setting of a key, if anything sets it. */
  public Optional<Setting> setting(Key key, String flag) {
    if (blankToNull(flag) != null) {
      return Optional.of(new Setting(flag, key.flag()));
    }
    String fromEnv = blankToNull(env.get(key.env()));
    if (fromEnv != null) {
      return Optional.of(new Setting(fromEnv, key.env()));
    }
    String fromFile = blankToNull(values.getProperty(key.fileKey()));
    if (fromFile != null) {
      return Optional.of(new Setting(fromFile.trim(), "config file " + file + " (" + key.fileKey() + ")"));
    }
    return Optional.empty();
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
