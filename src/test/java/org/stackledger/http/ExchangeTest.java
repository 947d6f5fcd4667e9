package org.stackledger.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExchangeTest {
  @Test
  void repeatedSlashesCollapseAndATrailingSlashIsDropped() {
    assertThat(Exchange.normalisePath("//subscriptions//abc/")).isEqualTo("/subscriptions/abc");
    assertThat(Exchange.normalisePath("subscriptions")).isEqualTo("/subscriptions");
    assertThat(Exchange.normalisePath("/")).isEqualTo("/");
    assertThat(Exchange.normalisePath("")).isEqualTo("/");
    assertThat(Exchange.normalisePath(null)).isEqualTo("/");
  }

  @Test
  void queryParameterNamesAreLookedUpInAnyCaseAndValuesAreDecoded() {
    Exchange ex = TestExchanges.of("GET", "https://h:1/x?API-Version=2020-01-01&%24skiptoken=a%2Bb&flag");

    assertThat(ex.query("api-version")).contains("2020-01-01");
    assertThat(ex.query("$skipToken")).contains("a+b");
    assertThat(ex.query("flag")).contains("");
    assertThat(ex.query("missing")).isEmpty();
  }

  @Test
  void aParameterRepeatedWithAnotherValueIsRefusedAndTheSameValueTwiceIsNot() {
    Exchange twice = TestExchanges.of("GET", "https://h:1/x?api-version=first&API-Version=second");
    Exchange same = TestExchanges.of("GET", "https://h:1/x?api-version=first&api-version=first");

    assertThatThrownBy(twice::checkQuery).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.status()).isEqualTo(400);
      assertThat(e.code()).isEqualTo("AmbiguousQueryParameter");
      assertThat(e.target()).isEqualTo("API-Version");
    });
    same.checkQuery();
    assertThat(same.query("api-version")).contains("first");
  }

  @Test
  void theUrlIsTheAddressTheClientUsedWithoutTheQuery() {
    Exchange ex = TestExchanges.of("get", "https://example.test:8443/subscriptions/abc?api-version=1",
        Map.of("x-ms-client-request-id", "c1"));

    assertThat(ex.method()).isEqualTo("GET");
    assertThat(ex.url()).isEqualTo("https://example.test:8443/subscriptions/abc");
    assertThat(ex.header("X-MS-Client-Request-Id")).contains("c1");
  }
}
