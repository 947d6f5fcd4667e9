package org.stackledger.console;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.stackledger.console.api.ApiClient;
import org.stackledger.console.api.Apis;
import org.stackledger.console.web.Html;
import org.stackledger.console.web.Visit;
import org.stackledger.http.ErrorFormat;
import org.stackledger.http.Router;

/**
 * The console as the composition root builds it: a {@link SignIn}, the APIs it is a client of and the
 * clock. {@link #register} puts its routes ({@link ConsoleRoutes}, the one list of them) on the console
 * endpoint role's router.
 */
public final class Console {
  private final SignIn signIn;
  private final Apis apis;
  private final ApiClient client;
  private final Clock clock;
  /** The content security policy of every page: the default, with the identity endpoint's origin as a form target. */
  private final String csp;
  /**
   * Which views each session gets, asked of the APIs once and kept a few minutes (bounded): the
   * navigation is drawn on every page, the questions cost two API calls.
   */
  private final Cache<String, Visit.Views> views = Caffeine.newBuilder().maximumSize(10_000)
      .expireAfterWrite(Duration.ofMinutes(5)).build();

  /** @param identityUrl the identity endpoint, where forms may lead (sign-out ends there) */
  public Console(SignIn signIn, Apis apis, Path certificatePem, String identityUrl, Clock clock) throws IOException {
    this.signIn = signIn;
    this.csp = Html.policy(java.net.URI.create(identityUrl).resolve("/").toString().replaceAll("/$", ""));
    this.apis = apis;
    this.client = new ApiClient(certificatePem);
    this.clock = clock;
  }

  /** The console's error pages, for its endpoint role's site (they need no console instance). */
  public static ErrorFormat errorFormat() {
    return ConsoleErrors.INSTANCE;
  }

  public void register(Router router) {
    new ConsoleRoutes(this).register(router);
  }

  SignIn signIn() {
    return signIn;
  }

  Apis apis() {
    return apis;
  }

  ApiClient client() {
    return client;
  }

  String csp() {
    return csp;
  }

  Clock clock() {
    return clock;
  }

  /**
   * The operator is whoever the deployment's admin API answers (a root-scope role in the home
   * directory); a partner whoever Partner Center knows as one. Both asked at once, with the person's
   * own tokens: the views follow the API's decision, not a list of ours.
   */
  Visit.Views views(ConsoleSession session) {
    return views.get(session.id(), id -> {
      CompletableFuture<Boolean> operator = answers(client.async(session, apis.stackAdmin(), "GET",
          "/providers/Microsoft.AzureBridge.Admin/stampInfo?api-version=2016-01-01", null, null));
      CompletableFuture<Boolean> partner = answers(client.async(session, apis.partnerCenter(), "GET", "/v1/customers",
          null, null));
      return new Visit.Views(operator.join(), partner.join());
    });
  }

  private static CompletableFuture<Boolean> answers(CompletableFuture<ApiClient.Answer> call) {
    return call.handle((answer, failure) -> failure == null);
  }
}
