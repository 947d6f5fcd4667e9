package org.stackledger.console.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;
import org.stackledger.http.Reply;

/**
 * Console answers: pages rendered by the templates precompiled at build time (HTML-escaped by
 * default), redirects and downloads, each with the security headers of {@link #secured}.
 */
public final class Html {
  private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(ContentType.Html);
  /**
   * Scripts and styles from our own origin only, never inline (the pages carry none): what a page's
   * text could inject is inert. Forms post back to the console; {@link #policy} adds the identity
   * endpoint, which sign-out may send the browser on to.
   */
  private static final String CSP = policy("");

  /** The content security policy, with forms also allowed to lead to {@code formTarget} (an origin, or empty). */
  public static String policy(String formTarget) {
    return ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self' " + formTarget).trim();
  }

  private Html() {}

  public static Reply page(int status, Page page) {
    StringOutput out = new StringOutput(8192);
    TEMPLATES.render("page.jte", Map.of("page", page), out);
    byte[] body = out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return secured(Reply.bytes(status, body, "text/html; charset=utf-8")).header("Cache-Control", "no-store");
  }

  /** A 303 to a console path (after a post, so a reload does not post again) or a 302 for a GET. */
  public static Reply redirect(int status, String location) {
    return secured(Reply.empty(status)).header("Location", location).header("Cache-Control", "no-store");
  }

  /** A file to save: CSV exports and the reconciliation file. */
  public static Reply download(byte[] body, String contentType, String fileName) {
    return secured(Reply.bytes(200, body, contentType)).header("Content-Disposition",
        "attachment; filename=\"" + fileName.replaceAll("[^A-Za-z0-9._-]", "_") + "\"").header("Cache-Control", "no-store");
  }

  /** The headers every console answer carries. */
  public static Reply secured(Reply reply) {
    return reply.header("Content-Security-Policy", CSP)
        .header("X-Frame-Options", "DENY")
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "same-origin");
  }
}
