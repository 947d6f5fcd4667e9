package org.stackledger.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouterTest {
  private static final Router.Handler NOTHING = ex -> Reply.empty(200);

  private static ApiException refusal(Router router, String method, String path) {
    try {
      router.match(method, path);
    } catch (ApiException e) {
      return e;
    }
    throw new AssertionError("expected " + method + " " + path + " to be refused");
  }

  @Test
  void aLiteralSegmentBeatsAParameterWhateverTheOrderOfRegistration() {
    Router router = new Router()
        .get("/subscriptions/{sub}/providers/{namespace}/{type}/{name}", NOTHING)
        .get("/subscriptions/{sub}/providers/Microsoft.Authorization/locks/{lockName}", NOTHING);

    Router.Match match = router.match("GET", "/subscriptions/s1/providers/Microsoft.Authorization/locks/keep");

    assertThat(match.route().template()).isEqualTo("/subscriptions/{sub}/providers/Microsoft.Authorization/locks/{lockName}");
    assertThat(match.params()).containsEntry("sub", "s1").containsEntry("lockName", "keep").hasSize(2);
  }

  @Test
  void theParameterRouteStillServesWhatTheLiteralRouteDoesNot() {
    Router router = new Router()
        .get("/subscriptions/{sub}/providers/Microsoft.Authorization/locks/{lockName}", NOTHING)
        .get("/subscriptions/{sub}/providers/{namespace}/{type}/{name}", NOTHING);

    Router.Match match = router.match("GET", "/subscriptions/s1/providers/Microsoft.Web/sites/app");

    assertThat(match.route().template()).isEqualTo("/subscriptions/{sub}/providers/{namespace}/{type}/{name}");
    assertThat(match.params()).containsEntry("namespace", "Microsoft.Web").containsEntry("name", "app");
  }

  @Test
  void literalSegmentsMatchInAnyCaseAndParametersKeepTheirCase() {
    Router router = new Router().get("/subscriptions/{sub}/resourcegroups/{rg}", NOTHING);

    Router.Match match = router.match("GET", "/SUBSCRIPTIONS/S1/ResourceGroups/MyGroup");

    assertThat(match.params()).containsEntry("sub", "S1").containsEntry("rg", "MyGroup");
  }

  @Test
  void aPathNoTemplateMatchesIsA404NotFound() {
    Router router = new Router().get("/subscriptions/{sub}", NOTHING);

    ApiException e = refusal(router, "GET", "/subscriptions/s1/nothing-here");

    assertThat(e.status()).isEqualTo(404);
    assertThat(e.code()).isEqualTo("NotFound");
  }

  @Test
  void aPathThatMatchesOnlyForOtherMethodsIsA405NamingTheAllowedMethods() {
    Router router = new Router()
        .get("/subscriptions/{sub}/resourcegroups/{rg}", NOTHING)
        .put("/subscriptions/{sub}/resourcegroups/{rg}", NOTHING)
        .delete("/subscriptions/{sub}/resourcegroups/{rg}", NOTHING);

    ApiException e = refusal(router, "POST", "/subscriptions/s1/resourcegroups/rg1");

    assertThat(e.status()).isEqualTo(405);
    assertThat(e.code()).isEqualTo("MethodNotAllowed");
    assertThat(e.getMessage()).contains("DELETE, GET, PUT");
  }

  @Test
  void aParameterDoesNotMatchAnEmptySegmentNorDoesATemplateMatchAnotherLength() {
    Router router = new Router().get("/subscriptions/{sub}/resourcegroups/{rg}", NOTHING);

    assertThat(refusal(router, "GET", "/subscriptions//resourcegroups/rg1").status()).isEqualTo(404);
    assertThat(refusal(router, "GET", "/subscriptions/s1/resourcegroups").status()).isEqualTo(404);
    assertThat(refusal(router, "GET", "/subscriptions/s1/resourcegroups/rg1/extra").status()).isEqualTo(404);
  }

  @Test
  void theRootPathMatchesOnlyTheRootTemplate() {
    Router router = new Router().get("/", NOTHING).get("/healthz", NOTHING);

    assertThat(router.match("GET", "/").route().template()).isEqualTo("/");
    assertThatThrownBy(() -> router.match("GET", "/other")).isInstanceOf(ApiException.class);
  }

  @Test
  void methodsAreComparedInUpperCase() {
    Router router = new Router().add("get", "/healthz", true, NOTHING);

    Router.Match match = router.match("GET", "/healthz");

    assertThat(match.route().anonymous()).isTrue();
  }
}
