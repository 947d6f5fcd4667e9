package org.stackledger.cli;

import java.nio.file.Path;
import org.stackledger.app.StartupConfig;
import org.stackledger.logging.LogFormat;
import org.stackledger.logging.LogSetup;
import picocli.CommandLine.Option;

/** The log flags of the verbs that run a server ({@code serve}, {@code demo}). */
final class LogOptions {
  @Option(names = "--log-format", paramLabel = "json|logfmt", description = "How the log file in the data folder's "
      + "logs/ writes each event. Default: $STACKLEDGER_LOG_FORMAT, else json.")
  String format;

  @Option(names = "--log-level", paramLabel = "LEVEL", description = "TRACE, DEBUG, INFO, WARN, ERROR or OFF. "
      + "Default: $STACKLEDGER_LOG_LEVEL, else INFO.")
  String level;

  @Option(names = {"-v", "--verbose"}, description = "Show every log event on the terminal too, request lines "
      + "included; without it the terminal shows warnings and errors only.")
  boolean verbose;

  /** The log settings once flags, environment and config file are read; checked before the server starts. */
  record Settings(LogFormat format, String level, boolean verbose) {
    /** Sends the log to the data folder's {@code logs/}; closing puts logging back as it was. */
    AutoCloseable open(Path dataDir) {
      return LogSetup.toDataFolder(dataDir, format, level, verbose);
    }
  }

  /** The settings, or a one-line refusal naming where a bad value came from. */
  Settings resolve(StartupConfig config) {
    return new Settings(parse(config, StartupConfig.Key.LOG_FORMAT, format, "json", LogFormat::parse),
        parse(config, StartupConfig.Key.LOG_LEVEL, level, "INFO", LogSetup::level), verbose);
  }

  private static <T> T parse(StartupConfig config, StartupConfig.Key key, String flag, String fallback,
      java.util.function.Function<String, T> parser) {
    var setting = config.setting(key, flag);
    try {
      return parser.apply(setting.map(StartupConfig.Setting::value).orElse(fallback));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(setting.map(StartupConfig.Setting::source).orElse(key.flag()) + ": "
          + e.getMessage());
    }
  }
}
