package org.stackledger.console.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import org.stackledger.console.ConsoleSession;
import org.stackledger.http.Exchange;

/**
 * A posted form ({@code application/x-www-form-urlencoded}), taken only once its {@code csrf} field
 * matches the session's token — compared in constant time, before anything is changed — so another
 * site cannot make a signed-in browser post here.
 */
public final class FormPost {
  /** A price sheet pasted or read from a file is the largest form: the API's own body limit. */
  private static final long LIMIT = 4L * 1024 * 1024;
  private final Map<String, String> fields;

  private FormPost(Map<String, String> fields) {
    this.fields = fields;
  }

  /** Thrown when the form's token is missing or not the session's: the console answers 403. */
  public static final class Forged extends RuntimeException {
    Forged() {
      super("The form's security token is missing or does not belong to this session. Reload the page and try again.",
          null, false, false);
    }
  }

  /** Reads the form and checks its token; a malformed body counts as forged (it cannot carry a valid token). */
  public static FormPost read(Exchange ex, ConsoleSession session) throws IOException {
    Map<String, String> fields;
    try {
      fields = Exchange.decodePairs(new String(ex.body(LIMIT), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException malformed) {
      throw new Forged();
    }
    String sent = fields.getOrDefault("csrf", "");
    if (!MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
        session.csrfToken().getBytes(StandardCharsets.UTF_8))) {
      throw new Forged();
    }
    return new FormPost(fields);
  }

  public Optional<String> field(String name) {
    return Optional.ofNullable(fields.get(name)).map(String::trim).filter(v -> !v.isEmpty());
  }

  /** The raw value, spaces kept (a pasted CSV). */
  public String raw(String name) {
    return fields.getOrDefault(name, "");
  }
}
