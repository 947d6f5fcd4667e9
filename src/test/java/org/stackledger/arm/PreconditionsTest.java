package org.stackledger.arm;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.stackledger.http.ApiException;
import org.stackledger.testing.HttpEdge;

class PreconditionsTest {
  private static final String ETAG = "\"0a1b2c\"";

  private static void assertPreconditionFailed(Preconditions conditions, String current, String target) {
    assertThatThrownBy(HttpEdge.answer(() -> conditions.check(current))).isInstanceOfSatisfying(ApiException.class, e -> {
      org.assertj.core.api.Assertions.assertThat(e.status()).isEqualTo(412);
      org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo("PreconditionFailed");
      org.assertj.core.api.Assertions.assertThat(e.target()).isEqualTo(target);
    });
  }

  @Test
  void noConditionsAlwaysHold() {
    assertThatCode(() -> Preconditions.NONE.check(null)).doesNotThrowAnyException();
    assertThatCode(() -> Preconditions.NONE.check(ETAG)).doesNotThrowAnyException();
  }

  @Test
  void ifMatchHoldsForTheCurrentEtagQuotedUnquotedOrWeak() {
    assertThatCode(() -> new Preconditions(ETAG, null).check(ETAG)).doesNotThrowAnyException();
    assertThatCode(() -> new Preconditions("0a1b2c", null).check(ETAG)).doesNotThrowAnyException();
    assertThatCode(() -> new Preconditions("W/\"0a1b2c\"", null).check(ETAG)).doesNotThrowAnyException();
    assertThatCode(() -> new Preconditions("\"other\", \"0a1b2c\"", null).check(ETAG)).doesNotThrowAnyException();
  }

  @Test
  void ifMatchFailsForAnotherEtag() {
    assertPreconditionFailed(new Preconditions("\"stale\"", null), ETAG, "If-Match");
  }

  @Test
  void ifMatchFailsWhenTheResourceDoesNotExistEvenForAStar() {
    assertPreconditionFailed(new Preconditions("*", null), null, "If-Match");
    assertPreconditionFailed(new Preconditions(ETAG, null), null, "If-Match");
  }

  @Test
  void ifMatchStarHoldsForAnyExistingResource() {
    assertThatCode(() -> new Preconditions("*", null).check(ETAG)).doesNotThrowAnyException();
  }

  @Test
  void ifNoneMatchStarFailsWhenTheResourceExistsAndHoldsWhenItDoesNot() {
    assertPreconditionFailed(new Preconditions(null, "*"), ETAG, "If-None-Match");
    assertThatCode(() -> new Preconditions(null, "*").check(null)).doesNotThrowAnyException();
  }

  @Test
  void ifNoneMatchWithAnEtagFailsOnlyWhenItIsTheCurrentOne() {
    assertPreconditionFailed(new Preconditions(null, ETAG), ETAG, "If-None-Match");
    assertThatCode(() -> new Preconditions(null, "\"stale\"").check(ETAG)).doesNotThrowAnyException();
  }
}
