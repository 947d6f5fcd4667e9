package org.stackledger.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * Logging set up in code rather than from {@code logback.xml}: parsing XML cost a few hundred
 * milliseconds of every start. At first use, one line per event on stderr with UTC timestamps, at
 * the level of {@code STACKLEDGER_LOG_LEVEL} (default INFO), request lines held back (see
 * {@link TerminalFilter}) and noisy libraries at WARN. A server then {@linkplain #toDataFolder opens
 * its log file}.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
  private static final String TERMINAL = "stderr";
  private static final String FILE = "file";
  /** Each file is rolled at this size, and at midnight UTC. */
  static final String MAX_FILE_SIZE = "10MB";
  /** Rolled files are kept this many days, and together never above {@link #TOTAL_SIZE_CAP}. */
  static final int MAX_HISTORY_DAYS = 14;
  static final String TOTAL_SIZE_CAP = "1GB";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    // %kvp: the request log's fields, when --verbose lets request lines through.
    encoder.setPattern("%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z', UTC} %-5level %logger{20} %msg%replace( %kvp){'^ $', ''}%n");
    encoder.start();
    ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
    console.setContext(context);
    console.setName(TERMINAL);
    console.setTarget("System.err");
    console.setEncoder(encoder);
    TerminalFilter filter = new TerminalFilter();
    filter.setContext(context);
    filter.start();
    console.addFilter(filter);
    console.start();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    String level = System.getenv("STACKLEDGER_LOG_LEVEL");
    root.setLevel(Level.toLevel(level, Level.INFO));
    root.addAppender(console);
    for (String noisy : new String[] {"org.eclipse.jetty", "com.zaxxer.hikari", "org.flywaydb", "org.jdbi",
        "org.apache.kafka"}) {
      context.getLogger(noisy).setLevel(Level.WARN);
    }
    // A Kafka client warns at every reconnection attempt while a broker is down (several a second); the
    // server says once, in its own words, that the cluster does not answer (503s, /healthz).
    context.getLogger("org.apache.kafka.clients.NetworkClient").setLevel(Level.ERROR);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /**
   * The level named {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN}, {@code ERROR} or
   * {@code OFF} (any case); anything else is refused rather than read as INFO.
   */
  public static String level(String name) {
    String upper = name.trim().toUpperCase(Locale.ROOT);
    return switch (upper) {
      case "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF" -> upper;
      default -> throw new IllegalArgumentException("'" + name + "' is not a log level; use TRACE, DEBUG, INFO, WARN, "
          + "ERROR or OFF");
    };
  }

  /**
   * Sends every event at {@code level} to {@code dataDir/logs/stackledger.log} in {@code format},
   * rolled daily and at {@value #MAX_FILE_SIZE}, kept {@value #MAX_HISTORY_DAYS} days; the terminal
   * then shows warnings and errors only, or everything when {@code verbose}. Closing the result puts
   * logging back as it was (the tests run several servers in one JVM).
   */
  public static AutoCloseable toDataFolder(Path dataDir, LogFormat format, String level, boolean verbose) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    Path logs = dataDir.toAbsolutePath().resolve("logs");

    RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
    file.setContext(context);
    file.setName(FILE);
    file.setFile(logs.resolve("stackledger.log").toString());
    SizeAndTimeBasedRollingPolicy<ILoggingEvent> rolling = new SizeAndTimeBasedRollingPolicy<>();
    rolling.setContext(context);
    rolling.setParent(file);
    rolling.setFileNamePattern(logs.resolve("stackledger-%d{yyyy-MM-dd, UTC}.%i.log.gz").toString());
    rolling.setMaxFileSize(FileSize.valueOf(MAX_FILE_SIZE));
    rolling.setMaxHistory(MAX_HISTORY_DAYS);
    rolling.setTotalSizeCap(FileSize.valueOf(TOTAL_SIZE_CAP));
    rolling.start();
    file.setRollingPolicy(rolling);
    StructuredEncoder encoder = new StructuredEncoder(format);
    encoder.setContext(context);
    encoder.start();
    file.setEncoder(encoder);
    file.start();

    root.setLevel(Level.toLevel(level(level)));
    root.addAppender(file);
    TerminalFilter terminal = terminalFilter(root);
    if (terminal != null) {
      terminal.show(verbose, verbose ? Level.ALL : Level.WARN);
    }
    return () -> {
      root.detachAppender(file);
      file.stop();
      root.setLevel(before);
      if (terminal != null) {
        terminal.show(false, Level.ALL);
      }
    };
  }

  private static TerminalFilter terminalFilter(ch.qos.logback.classic.Logger root) {
    var console = root.getAppender(TERMINAL);
    if (console == null) {
      return null;
    }
    return console.getCopyOfAttachedFiltersList().stream().filter(TerminalFilter.class::isInstance)
        .map(TerminalFilter.class::cast).findFirst().orElse(null);
  }
}
