package org.stackledger.csv;

import java.util.regex.Pattern;

/**
 * The guard against spreadsheet formula injection (OWASP's "CSV injection"): a cell that a
 * spreadsheet would run as a formula, one starting with {@code =}, {@code +}, {@code -}, {@code @},
 * a tab or a carriage return, is written with a single quote in front, which spreadsheets show as
 * text instead of evaluating it. So a resource named {@code =HYPERLINK(...)} reads as that name, not
 * as a link to click.
 *
 * <p>A cell that is wholly a decimal number ({@code -1.50}, {@code +3}, {@code -2E-3}) is a number,
 * not a formula, and is left alone: amounts and quantities must stay numbers a spreadsheet sums.
 *
 * <p>The guard is undone exactly on reading ({@link #unguard}): a quote is added to a cell whose
 * text past any quotes it already starts with begins with one of those characters (and is not a
 * number), and only such a cell loses one on reading. Guarding {@code '=x} therefore gives
 * {@code ''=x}, which reads back as {@code '=x}; a cell no writer of ours produced, like a
 * spreadsheet user's own {@code 'note}, reads back as it is.
 */
public final class FormulaGuard {
  /** A plain decimal as a spreadsheet reads one; anything more (an operator, a function) is not matched. */
  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private FormulaGuard() {}

  /** The text as a cell a spreadsheet shows as text: quoted in front when it would start a formula. */
  public static String guard(String text) {
    return startsFormula(text) ? "'" + text : text;
  }

  /** The text a cell written by {@link #guard} came from. */
  public static String unguard(String cell) {
    return cell.startsWith("'") && startsFormula(cell.substring(1)) ? cell.substring(1) : cell;
  }

  /**
   * Whether the text, past any leading quotes, starts with a formula's first character and is not
   * a number. Leading quotes are looked past so that guarding stays undoable: without it a
   * guarded {@code '=x} and a text that was {@code '=x} to begin with would read back the same.
   */
  static boolean startsFormula(String text) {
    int i = 0;
    while (i < text.length() && text.charAt(i) == '\'') {
      i++;
    }
    if (i == text.length()) {
      return false;
    }
    char c = text.charAt(i);
    boolean trigger = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    return trigger && !NUMBER.matcher(text).region(i, text.length()).matches();
  }
}
