package org.stackledger.arm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.stackledger.http.ApiException;
import org.stackledger.testing.HttpEdge;
import org.stackledger.http.Exchange;
import org.stackledger.http.Json;
import org.stackledger.http.TestExchanges;

class PagingTest {
  private static final String BASE = "https://arm.test:8443/subscriptions/s1/resourcegroups";
  private final Paging paging = new Paging(2);

  private static Exchange get(String query) {
    return TestExchanges.of("GET", BASE + "?" + query);
  }

  private static ObjectNode render(String key) {
    return Json.object().put("key", key);
  }

  private static String skipToken(String nextLink) {
    for (String pair : URI.create(nextLink).getRawQuery().split("&")) {
      if (pair.startsWith("$skipToken=")) {
        return pair.substring("$skipToken=".length());
      }
    }
    throw new AssertionError("no $skipToken in " + nextLink);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rg-1", "/subscriptions/s1/resourcegroups/rg (1)", "ключ/ü&x=y", ""})
  void aSkipTokenDecodesToTheKeyItWasMadeFrom(String key) {
    String token = Paging.encode(key);

    Paging.Cursor cursor = paging.cursor(get("api-version=1&$skipToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));

    assertThat(cursor.afterKey()).contains(key);
    assertThat(token).doesNotContain(key.isEmpty() ? "k:" : key).matches("[A-Za-z0-9_-]+");
  }

  @Test
  void withoutParametersACursorStartsAtTheBeginningWithThePageSize() {
    Paging.Cursor cursor = paging.cursor(get("api-version=1"));

    assertThat(cursor.afterKey()).isEmpty();
    assertThat(cursor.limit()).isEqualTo(2);
  }

  @Test
  void topOverridesThePageSizeWithinOneToAThousand() {
    assertThat(paging.cursor(get("api-version=1&$top=1")).limit()).isEqualTo(1);
    assertThat(paging.cursor(get("api-version=1&$top=1000")).limit()).isEqualTo(1000);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "1001", "ten", "1.5", ""})
  void aTopOutOfRangeIsA400NamingTop(String top) {
    assertThatThrownBy(HttpEdge.answer(() -> paging.cursor(get("api-version=1&$top=" + top))))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.target()).isEqualTo("$top");
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"not*base64", "eHl6", "%2B%2B%2B"})
  void aSkipTokenThisServerDidNotIssueIsA400InvalidSkipToken(String token) {
    assertThatThrownBy(HttpEdge.answer(() -> paging.cursor(get("api-version=1&$skipToken=" + token))))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          assertThat(e.code()).isEqualTo("InvalidSkipToken");
          assertThat(e.target()).isEqualTo("$skipToken");
        });
  }

  @Test
  void aFullPageLinksToTheNextWithAnAbsoluteUrlCarryingTheApiVersionAndTop() {
    Exchange ex = get("api-version=2020-01-01&$top=2");
    Paging.Cursor cursor = paging.cursor(ex);

    ObjectNode page = paging.page(ex, cursor, List.of("a", "b", "c"), k -> k, PagingTest::render);

    assertThat(page.path("value")).hasSize(2);
    assertThat(page.path("value").get(1).path("key").asText()).isEqualTo("b");
    String next = page.path("nextLink").asText();
    assertThat(next).startsWith(BASE + "?api-version=2020-01-01&$top=2&$skipToken=");
    assertThat(paging.cursor(TestExchanges.of("GET", next)).afterKey()).contains("b");
  }

  @Test
  void theLastPageHasNoNextLink() {
    Exchange ex = get("api-version=1");

    ObjectNode page = paging.page(ex, paging.cursor(ex), List.of("a", "b"), k -> k, PagingTest::render);

    assertThat(page.path("value")).hasSize(2);
    assertThat(page.has("nextLink")).isFalse();
  }

  @Test
  void followingNextLinksOverAKeyOrderedSourceYieldsEveryItemOnce() {
    List<String> all = List.of("a", "b", "c", "d", "e");
    List<String> seen = new ArrayList<>();
    String url = BASE + "?api-version=1";
    for (int pages = 0; url != null; pages++) {
      assertThat(pages).isLessThan(10);
      Exchange ex = TestExchanges.of("GET", url);
      Paging.Cursor cursor = paging.cursor(ex);
      List<String> slice = all.stream().filter(k -> k.compareTo(cursor.afterKey().orElse("")) > 0)
          .limit(cursor.limit() + 1L).toList();
      ObjectNode page = paging.page(ex, cursor, slice, k -> k, PagingTest::render);
      page.path("value").forEach(v -> seen.add(v.path("key").asText()));
      url = page.has("nextLink") ? page.path("nextLink").asText() : null;
      if (url != null) {
        assertThat(skipToken(url)).isNotEmpty();
      }
    }
    assertThat(seen).containsExactlyElementsOf(all);
  }
}
