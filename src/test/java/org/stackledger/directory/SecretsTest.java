package org.stackledger.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The password work factor: the default a server runs with, what the setting refuses, and stored counts. */
class SecretsTest {
  @Test
  void withoutTheSettingNewHashesUseOwaspsWorkFactor() {
    assertThat(Secrets.iterations(null)).isEqualTo(210_000);
    assertThat(Secrets.iterations(" ")).isEqualTo(210_000);
  }

  @Test
  void theSettingRefusesAWorkFactorTooLowToBeAHashOrNotANumber() {
    assertThat(Secrets.iterations("1000")).isEqualTo(1_000);
    assertThatThrownBy(() -> Secrets.iterations("999")).hasMessageContaining("at least 1000");
    assertThatThrownBy(() -> Secrets.iterations("many")).hasMessageContaining("not a whole number");
  }

  @Test
  void aHashIsCheckedWithTheCountStoredInItWhateverThisProcessHashesWith() {
    String strong = Secrets.hashPassword("correct horse battery", Secrets.DEFAULT_ITERATIONS);
    String weak = Secrets.hashPassword("correct horse battery", Secrets.MINIMUM_ITERATIONS);

    assertThat(strong).startsWith("pbkdf2-sha256$210000$");
    assertThat(weak).startsWith("pbkdf2-sha256$1000$");
    assertThat(Secrets.checkPassword("correct horse battery", strong)).isTrue();
    assertThat(Secrets.checkPassword("correct horse battery", weak)).isTrue();
    assertThat(Secrets.checkPassword("correct horse staple", strong)).isFalse();
    assertThat(Secrets.checkPassword("correct horse staple", weak)).isFalse();
  }
}
