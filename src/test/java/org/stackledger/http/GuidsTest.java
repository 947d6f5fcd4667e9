package org.stackledger.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@link Guids}: one definition of a GUID, and the allocation-free check agrees with its pattern. */
class GuidsTest {
  @Test
  void aGuidIsEightFourFourFourTwelveHexDigitsInEitherCase() {
    assertThat(Guids.isGuid("0f8fad5b-d9cb-469f-a165-70867728950e")).isTrue();
    assertThat(Guids.isGuid("0F8FAD5B-D9CB-469F-A165-70867728950E")).isTrue();
    assertThat(Guids.isGuid("0f8fAD5b-d9cb-469f-a165-70867728950E")).isTrue();
  }

  @Test
  void anythingElseIsNot() {
    assertThat(Guids.isGuid(null)).isFalse();
    assertThat(Guids.isGuid("")).isFalse();
    assertThat(Guids.isGuid("{0f8fad5b-d9cb-469f-a165-70867728950e}")).as("braces").isFalse();
    assertThat(Guids.isGuid("0f8fad5bd9cb469fa16570867728950e")).as("no dashes").isFalse();
    assertThat(Guids.isGuid("0f8fad5b-d9cb-469f-a165-70867728950")).as("one digit short").isFalse();
    assertThat(Guids.isGuid("0f8fad5b-d9cb-469f-a165-70867728950e0")).as("one digit more").isFalse();
    assertThat(Guids.isGuid("0f8fad5g-d9cb-469f-a165-70867728950e")).as("not hex").isFalse();
    assertThat(Guids.isGuid("0f8fad5b-d9cb-469f-a165-7086772895٠e")).as("a non-ASCII digit").isFalse();
    assertThat(Guids.isGuid("0f8fad5b-d9cb-469f-a165-7086772895０e")).as("a full-width digit").isFalse();
    assertThat(Guids.isGuid("0f8fad5b_d9cb-469f-a165-70867728950e")).as("another separator").isFalse();
  }

  @Test
  void theCheckAndThePatternAgreeOnMutatedGuids() {
    long seed = System.nanoTime();
    SplittableRandom random = new SplittableRandom(seed);
    Pattern pattern = Pattern.compile(Guids.REGEX);
    String alphabet = "0123456789abcdefABCDEFgG-_{} ٠０";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder s = new StringBuilder(UUID.randomUUID().toString());
      int changes = random.nextInt(3);
      for (int c = 0; c < changes; c++) {
        int at = random.nextInt(s.length() + 1);
        switch (random.nextInt(3)) {
          case 0 -> s.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          case 1 -> s.deleteCharAt(Math.min(at, s.length() - 1));
          default -> s.setCharAt(Math.min(at, s.length() - 1), alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      String text = s.toString();
      assertThat(Guids.isGuid(text)).as("'%s' (seed %d)", text, seed).isEqualTo(pattern.matcher(text).matches());
    }
  }
}
