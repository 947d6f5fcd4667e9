package org.stackledger.csv;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The formula guard alone: what it quotes, what it leaves, and that reading undoes it exactly. */
class FormulaGuardTest {
  @ParameterizedTest
  @ValueSource(strings = {"=HYPERLINK(\"http://evil.example\",\"open\")", "=1+2", "+1+2", "-1+2", "-cmd|' /C calc'!A0",
      "@SUM(1+1)", "\t=1", "\r=1", "\tname", "\rname", "=", "+", "-", "@", "- 1", "-1.5.5", "+-1", "--1", "-1e", "-.",
      "-0x1F", "-1,5", "-Infinity", "@1"})
  void aCellThatASpreadsheetWouldRunAsAFormulaGetsAQuoteInFront(String text) {
    assertThat(FormulaGuard.guard(text)).isEqualTo("'" + text);
    assertThat(FormulaGuard.unguard(FormulaGuard.guard(text))).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1.50", "-1", "+3", "-0", "-.5", "+.5", "-1.", "-2E-3", "+1e+10",
      "-12345678901234567890.123456789", "0.008", "1E+2", "100"})
  void aNumberIsLeftAloneWhateverItsSign(String number) {
    assertThat(FormulaGuard.guard(number)).isEqualTo(number);
    assertThat(FormulaGuard.unguard(number)).isEqualTo(number);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "web", "Contoso, Ltd.", "App Service \"vCPU\", GB", "line\nbreak", "\nstarts with LF",
      " =leading space", "a=b", "a-b", "e@mail", "{\"env\":\"=1\"}", "/subscriptions/x/=HYPERLINK(1)", "'", "'note",
      "''", "'-1", "2026-11-01T00:00:00Z", "true", "Ωmega", "＝full-width"})
  void textThatStartsNoFormulaIsLeftAlone(String text) {
    assertThat(FormulaGuard.guard(text)).isEqualTo(text);
    assertThat(FormulaGuard.unguard(text)).isEqualTo(text);
  }

  @Test
  void aTextThatAlreadyStartsWithTheGuardsQuoteGetsAnotherSoThatReadingGivesItBack() {
    assertThat(FormulaGuard.guard("'=x")).isEqualTo("''=x");
    assertThat(FormulaGuard.unguard("''=x")).isEqualTo("'=x");
    assertThat(FormulaGuard.guard("''@x")).isEqualTo("'''@x");
    assertThat(FormulaGuard.unguard("'''@x")).isEqualTo("''@x");
    // A quote a person typed in front of a formula, as a spreadsheet has them do, reads as the text behind it.
    assertThat(FormulaGuard.unguard("'=x")).isEqualTo("=x");
  }

  @Test
  void readingUndoesTheGuardForAnyText() {
    long seed = new SplittableRandom().nextLong();
    SplittableRandom random = new SplittableRandom(seed);
    List<Character> alphabet = List.of('=', '+', '-', '@', '\t', '\r', '\n', '\'', '"', ',', ' ', '.', 'e', 'E', '1',
        '0', 'a', '(', ')');
    for (int round = 0; round < 20_000; round++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(7);
      for (int i = 0; i < length; i++) {
        text.append(alphabet.get(random.nextInt(alphabet.size())));
      }
      String original = text.toString();
      String cell = FormulaGuard.guard(original);
      assertThat(FormulaGuard.unguard(cell)).as("seed %s, text [%s]", seed, original).isEqualTo(original);
      boolean formula = !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0
          && !cell.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
      assertThat(formula).as("seed %s: the cell of [%s] starts a formula", seed, original).isFalse();
    }
  }
}
