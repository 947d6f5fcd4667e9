package org.stackledger.console;

import java.util.Optional;
import org.stackledger.console.web.Block;
import org.stackledger.console.web.Html;
import org.stackledger.console.web.Page;
import org.stackledger.http.Exchange;
import org.stackledger.http.Reply;

/**
 * Makes the console's {@link SignIn} once the endpoints are bound. The server takes it from
 * {@code ServerOptions.withConsoleSignIn}; without one it uses {@link #DEFAULT}. The authorization-code
 * flow ({@code OidcSignIn}) plugs in here: {@code DEFAULT = OidcSignIn::new} (or its factory), and tests
 * that need another pass their own.
 */
@FunctionalInterface
public interface SignInFactory {
  SignIn make(SignInSite site) throws Exception;

  /** Until the authorization-code flow is wired: every page says sign-in is not available, and nobody is signed in. */
  SignInFactory DEFAULT = site -> new SignIn() {
    @Override
    public Optional<ConsoleSession> session(Exchange ex) {
      return Optional.empty();
    }

    @Override
    public Reply begin(Exchange ex, Optional<String> tenant, String returnTo) {
      return Html.page(503, Page.titled("Sign-in is not available", null).section(null,
          Block.Notice.error("SignInUnavailable", "This server's console has no sign-in configured yet. Use the CLI "
              + "or the API meanwhile.")).build());
    }

    @Override
    public Reply callback(Exchange ex) {
      return begin(ex, Optional.empty(), "/");
    }

    @Override
    public Reply signOut(Exchange ex, ConsoleSession session) {
      return Html.redirect(303, "/signin");
    }
  };
}
