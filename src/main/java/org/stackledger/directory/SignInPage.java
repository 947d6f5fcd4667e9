package org.stackledger.directory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import org.stackledger.http.Reply;

/**
 * The identity endpoint's few HTML pages: the sign-in form, a refusal that must not redirect (an
 * unknown client, an unregistered redirect URI), the {@code form_post} hand-back and "signed out".
 * Self-contained (no external assets, no script: the only style is one fixed block allowed by its
 * hash), readable at a phone's 390 px, every input with its label. Every value is HTML-escaped.
 */
final class SignInPage {
  private static final String STYLE = "body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f3f4f6;color:#111}"
      + "main{max-width:26rem;margin:2rem auto;padding:1.5rem;background:#fff;border:1px solid #d1d5db;border-radius:6px}"
      + "@media (max-width:440px){main{margin:0;border:0;border-radius:0}}"
      + "h1{font-size:1.5rem;margin:0 0 1rem}label{display:block;margin:1rem 0 .25rem;font-weight:600}"
      + "input{box-sizing:border-box;width:100%;padding:.6rem;font:inherit;border:1px solid #6b7280;border-radius:4px}"
      + "button{margin-top:1.25rem;width:100%;padding:.7rem;font:inherit;font-weight:600;color:#fff;background:#1d4ed8;"
      + "border:0;border-radius:4px;cursor:pointer}button:focus,input:focus{outline:3px solid #f59e0b;outline-offset:1px}"
      + ".problem{padding:.75rem;border-left:4px solid #b91c1c;background:#fef2f2;color:#7f1d1d}"
      + ".who{color:#374151}code{font-size:.9em}";
  private static final String STYLE_HASH = sha256(STYLE);

  private SignInPage() {}

  /**
   * The sign-in form, posting {@code hidden} (the authorize request's parameters and the anti-forgery
   * value) back to {@code action}; {@code formTarget} is the origin the post may end up at (the
   * redirect URI's), which the content security policy must allow.
   */
  static Reply form(int status, String action, String appName, String directory, String username, String problem,
      Map<String, String> hidden, String formTarget) {
    StringBuilder b = head("Sign in");
    b.append("<h1>Sign in</h1><p class=\"who\">to <strong>").append(esc(appName)).append("</strong> with your <strong>")
        .append(esc(directory)).append("</strong> account</p>");
    if (problem != null) {
      b.append("<p class=\"problem\" role=\"alert\" id=\"problem\">").append(esc(problem)).append("</p>");
    }
    b.append("<form method=\"post\" action=\"").append(esc(action)).append("\">");
    hidden.forEach((k, v) -> b.append("<input type=\"hidden\" name=\"").append(esc(k)).append("\" value=\"")
        .append(esc(v)).append("\">"));
    b.append("<label for=\"username\">User name</label><input id=\"username\" name=\"username\" type=\"email\" "
        + "autocomplete=\"username\" required autofocus value=\"").append(esc(username)).append("\">")
        .append("<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" "
            + "autocomplete=\"current-password\" required>")
        .append("<button id=\"signin\" type=\"submit\">Sign in</button></form>");
    return finish(status, b, "'self' " + formTarget);
  }

  /** A refusal shown here, never sent to a redirect URI: the code and what to do about it. */
  static Reply refusal(int status, String code, String description) {
    StringBuilder b = head("Sign-in failed");
    b.append("<h1>Sign-in failed</h1><p class=\"problem\" role=\"alert\"><code>").append(esc(code)).append("</code> ")
        .append(esc(description)).append("</p>");
    return finish(status, b, "'none'");
  }

  /** {@code response_mode=form_post}: the answer posted to the redirect URI when the person presses Continue. */
  static Reply formPost(String redirectUri, Map<String, String> fields, String formTarget) {
    StringBuilder b = head("Continue");
    b.append("<h1>Signed in</h1><p>Continue to the application.</p><form method=\"post\" action=\"")
        .append(esc(redirectUri)).append("\">");
    fields.forEach((k, v) -> b.append("<input type=\"hidden\" name=\"").append(esc(k)).append("\" value=\"")
        .append(esc(v)).append("\">"));
    b.append("<button id=\"continue\" type=\"submit\">Continue</button></form>");
    return finish(200, b, formTarget);
  }

  static Reply signedOut() {
    StringBuilder b = head("Signed out");
    b.append("<h1>You have signed out</h1><p>You can close this window.</p>");
    return finish(200, b, "'none'");
  }

  private static StringBuilder head(String title) {
    return new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>").append(esc(title))
        .append(" — stackledger</title><style>").append(STYLE).append("</style></head><body><main>");
  }

  private static Reply finish(int status, StringBuilder b, String formAction) {
    b.append("</main></body></html>");
    return Reply.text(status, b.toString(), "text/html; charset=utf-8")
        .header("Content-Security-Policy", "default-src 'none'; style-src 'sha256-" + STYLE_HASH + "'; form-action "
            + formAction + "; frame-ancestors 'none'; base-uri 'none'")
        .header("Cache-Control", "no-store")
        .header("X-Content-Type-Options", "nosniff")
        .header("Referrer-Policy", "no-referrer");
  }

  static String esc(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String sha256(String text) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
