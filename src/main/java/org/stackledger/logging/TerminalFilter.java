package org.stackledger.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * What reaches the terminal. Request lines never do unless asked for ({@code --verbose}): a demo
 * makes thousands of requests and the person came for its results. Once a log file takes every
 * event, the terminal keeps only warnings and errors, again unless asked for everything.
 */
final class TerminalFilter extends Filter<ILoggingEvent> {
  /** The request log's logger, {@code org.stackledger.http.RequestLog}'s. */
  static final String REQUEST_LOGGER = "stackledger.request";
  private volatile boolean requests;
  private volatile Level minimum = Level.ALL;

  void show(boolean requestLines, Level atLeast) {
    this.requests = requestLines;
    this.minimum = atLeast;
  }

  @Override
  public FilterReply decide(ILoggingEvent event) {
    if (!requests && REQUEST_LOGGER.equals(event.getLoggerName())) {
      return FilterReply.DENY;
    }
    return event.getLevel().isGreaterOrEqual(minimum) ? FilterReply.NEUTRAL : FilterReply.DENY;
  }
}
