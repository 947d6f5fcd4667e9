package org.stackledger.console;

import org.stackledger.console.web.Html;
import org.stackledger.console.web.Views;
import org.stackledger.http.ApiException;
import org.stackledger.http.ErrorFormat;
import org.stackledger.http.Exchange;
import org.stackledger.http.Reply;

/**
 * The console's error envelope: what the HTTP edge refuses before a console route runs (no route, a
 * wrong method, a malformed request, the server starting) and our own failures, as HTML pages with the
 * code and message and never a stack trace. A 404 is the not-found page.
 */
final class ConsoleErrors implements ErrorFormat {
  static final ConsoleErrors INSTANCE = new ConsoleErrors();

  @Override
  public Reply render(ApiException error, Exchange exchange) {
    Reply reply = error.status() == 404 ? Views.notFound(null)
        : Views.error(error.status(), null, error.code(), error.getMessage());
    error.headers().forEach(reply::header);
    return reply;
  }
}
