package org.stackledger.identityadmin;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

/** Everything the server logs while a test runs (messages, fields, stack traces) as text, to prove no credential is ever written there. */
public final class LogCapture implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger requests = (Logger) LoggerFactory.getLogger("stackledger.request");
  private final ch.qos.logback.classic.Level requestLevel = requests.getLevel();

  public LogCapture() {
    // The test run holds logging at WARN; the request log is INFO and must be seen here.
    requests.setLevel(ch.qos.logback.classic.Level.INFO);
    appender.setName("capture-" + System.identityHashCode(this));
    appender.start();
    root.addAppender(appender);
  }

  /** Every event so far: message, arguments as formatted, and any stack trace. */
  public String text() {
    StringBuilder out = new StringBuilder();
    for (ILoggingEvent e : java.util.List.copyOf(appender.list)) {
      out.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
      // The request log's fields are key-value pairs, not part of the message.
      if (e.getKeyValuePairs() != null) {
        e.getKeyValuePairs().forEach(kv -> out.append(' ').append(kv.key).append('=').append(kv.value));
      }
      out.append('\n');
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        out.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
      }
    }
    return out.toString();
  }

  public int size() {
    return appender.list.size();
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
    requests.setLevel(requestLevel);
  }
}
